/**
 * EMF metrics of one run, per portal: `BackupAgeHours`, `Findings` by severity and
 * `CheckFailed`, in the namespace set by POWERTOOLS_METRICS_NAMESPACE.
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { FindingCode, Severity } from './policy/types.ts';
import type { CheckRun } from './run-check.ts';

const HOUR_MS = 3_600_000;

/** Adds one metric set per portal to `metrics` (publishing stays with the caller). */
export function recordRunMetrics(metrics: Pick<Metrics, 'singleMetric'>, run: CheckRun): void {
  for (const verdict of run.verdicts) {
    const single = metrics.singleMetric();
    single.addDimension('Portal', verdict.portal);
    if (verdict.lastBackupTime)
      single.addMetric('BackupAgeHours', MetricUnit.Count, Math.max(0, (run.checkedAt.getTime() - verdict.lastBackupTime.getTime()) / HOUR_MS));
    single.addMetric('CheckFailed', MetricUnit.Count, verdict.findings.some((finding) => finding.code === FindingCode.CHECK_FAILED) ? 1 : 0);
    single.addMetric('CriticalFindings', MetricUnit.Count, verdict.findings.filter((finding) => finding.severity === Severity.CRITICAL).length);
    single.addMetric('WarningFindings', MetricUnit.Count, verdict.findings.filter((finding) => finding.severity === Severity.WARNING).length);
    single.publishStoredMetrics();
  }
}
