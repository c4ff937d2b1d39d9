/**
 * The EMF metrics of one run: one metric set per portal, with the dimension `Portal`, in the
 * namespace set by `POWERTOOLS_METRICS_NAMESPACE`. Powertools adds its default dimension
 * `service` (from `POWERTOOLS_SERVICE_NAME`), so each metric's dimensions are
 * `service, Portal`; an alarm or dashboard must name both.
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { FindingCode, Severity, type Verdict } from './policy/types.ts';
import type { CheckRun } from './run-check.ts';

const HOUR_MS = 3_600_000;

/** The metrics one portal gets in each run, by name. */
export const RunMetric = {
  /**
   * Hours from the last backup DocSpace dispatched (`lastBackupTime`) to the check; left out when
   * there is none (never ran, no schedule, or the check failed). CloudWatch has no hour unit,
   * and neither has Powertools' `MetricUnit`: the name carries the unit and the unit is `None`
   * (`Count` would claim it counts something; `Seconds` would break the name).
   */
  BACKUP_AGE_HOURS: 'BackupAgeHours',
  /** 1 when the portal could not be evaluated (`CHECK_FAILED`), else 0. */
  CHECK_FAILED: 'CheckFailed',
  /** How many critical findings the portal has. */
  CRITICAL_FINDINGS: 'CriticalFindings',
  /** How many warning findings the portal has. */
  WARNING_FINDINGS: 'WarningFindings',
} as const;
/** A metric name. */
export type RunMetric = (typeof RunMetric)[keyof typeof RunMetric];

/** The dimension that names the portal. */
export const PORTAL_DIMENSION = 'Portal';

/** Hours from `lastBackupTime` to the check, two decimals; `undefined` without a last backup. */
export function backupAgeHours(verdict: Verdict, checkedAt: Date): number | undefined {
  if (!verdict.lastBackupTime) return undefined;
  const hours = Math.max(0, (checkedAt.getTime() - verdict.lastBackupTime.getTime()) / HOUR_MS);
  return Math.round(hours * 100) / 100;
}

/**
 * Writes one EMF line per portal to stdout: `BackupAgeHours` (unit `None`, see
 * {@link RunMetric}), `CheckFailed`, `CriticalFindings` and `WarningFindings` (unit `Count`),
 * with the dimension `Portal`. Each portal's line is published before the next portal's
 * dimension is set, so no metric lands on another portal's (or no) `Portal`.
 *
 * @param metrics - the function's Powertools Metrics
 * @param run - the run to report
 * @example
 * const run = await runCheck(deps, config, { now: new Date() });
 * publishRunMetrics(metrics, run);
 */
export function publishRunMetrics(metrics: Pick<Metrics, 'addDimension' | 'addMetric' | 'publishStoredMetrics'>, run: CheckRun): void {
  for (const verdict of run.verdicts) {
    metrics.addDimension(PORTAL_DIMENSION, verdict.portal);
    const age = backupAgeHours(verdict, run.checkedAt);
    if (age !== undefined) metrics.addMetric(RunMetric.BACKUP_AGE_HOURS, MetricUnit.NoUnit, age);
    const failed = verdict.findings.some((finding) => finding.code === FindingCode.CHECK_FAILED);
    metrics.addMetric(RunMetric.CHECK_FAILED, MetricUnit.Count, failed ? 1 : 0);
    metrics.addMetric(RunMetric.CRITICAL_FINDINGS, MetricUnit.Count, verdict.findings.filter((finding) => finding.severity === Severity.CRITICAL).length);
    metrics.addMetric(RunMetric.WARNING_FINDINGS, MetricUnit.Count, verdict.findings.filter((finding) => finding.severity === Severity.WARNING).length);
    metrics.publishStoredMetrics();
  }
}
