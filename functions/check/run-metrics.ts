/**
 * The EMF metrics of one run: one metric set per portal, with the dimension `Portal`, in the
 * namespace set by `POWERTOOLS_METRICS_NAMESPACE`. Powertools adds its default dimension
 * `service` (from `POWERTOOLS_SERVICE_NAME`), so each metric's dimensions are
 * `service, Portal`; an alarm or dashboard must name both. Then one set for the run itself
 * ({@link RunSummaryMetric}), with the dimension `service` alone.
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { FindingCode, Severity, type Verdict } from './policy/types.ts';
import type { DeliveryPathReport } from './delivery/types.ts';
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

/** The metrics of the run itself (dimension `service` only), by name. */
export const RunSummaryMetric = {
  /** How long the invocation took, in seconds. */
  RUN_DURATION_SECONDS: 'RunDurationSeconds',
  /** How many portals the run checked. */
  PORTALS_CHECKED: 'PortalsChecked',
  /** How many portals ended the run `OK`. */
  PORTALS_OK: 'PortalsOk',
  /** How many portals ended the run `WARNING`. */
  PORTALS_WARNING: 'PortalsWarning',
  /** How many portals ended the run `CRITICAL`. */
  PORTALS_CRITICAL: 'PortalsCritical',
  /** How many portals ended the run `UNKNOWN`. */
  PORTALS_UNKNOWN: 'PortalsUnknown',
  /** How many alerts the run published. */
  ALERTS_SENT: 'AlertsSent',
  /** How many alerts could not be published (the run failed). */
  ALERTS_FAILED: 'AlertsFailed',
  /** How many problems the delivery-path check found (functions/check/delivery/). */
  DELIVERY_PATH_PROBLEMS: 'DeliveryPathProblems',
  /** 1 when a read of the delivery-path check failed, else 0. */
  DELIVERY_PATH_NOT_CHECKED: 'DeliveryPathNotChecked',
  /** How many heartbeat pings failed (functions/check/heartbeat/). */
  HEARTBEAT_PINGS_FAILED: 'HeartbeatPingsFailed',
} as const;
/** A run summary metric name. */
export type RunSummaryMetric = (typeof RunSummaryMetric)[keyof typeof RunSummaryMetric];

/** What one invocation reports about itself. */
export interface RunSummaryInput {
  /** How long it took, in ms. */
  readonly durationMs: number;
  /** The check run; absent for a test alert or a run that failed before it had one. */
  readonly run?: CheckRun;
  /** The delivery-path check; absent when it did not run. */
  readonly delivery?: DeliveryPathReport;
  /** Failed heartbeat pings; absent without a heartbeat. */
  readonly heartbeatPingsFailed?: number;
}

/**
 * Writes the run's own EMF line, with the dimension `service` only: its duration, the portal
 * counts by status and the alerts (with a run), the delivery-path figures (when it was checked)
 * and the failed heartbeat pings (with a heartbeat). Call it after {@link publishRunMetrics}.
 *
 * @example
 * publishRunSummaryMetrics(metrics, { durationMs: Date.now() - startedAt, run, delivery, heartbeatPingsFailed: heartbeat.failedPings });
 */
export function publishRunSummaryMetrics(metrics: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>, summary: RunSummaryInput): void {
  metrics.addMetric(RunSummaryMetric.RUN_DURATION_SECONDS, MetricUnit.Seconds, Math.round(summary.durationMs / 10) / 100);
  const { run, delivery } = summary;
  if (run !== undefined) {
    const count = (status: string) => run.verdicts.filter((verdict) => verdict.status === status).length;
    metrics.addMetric(RunSummaryMetric.PORTALS_CHECKED, MetricUnit.Count, run.verdicts.length);
    metrics.addMetric(RunSummaryMetric.PORTALS_OK, MetricUnit.Count, count('OK'));
    metrics.addMetric(RunSummaryMetric.PORTALS_WARNING, MetricUnit.Count, count('WARNING'));
    metrics.addMetric(RunSummaryMetric.PORTALS_CRITICAL, MetricUnit.Count, count('CRITICAL'));
    metrics.addMetric(RunSummaryMetric.PORTALS_UNKNOWN, MetricUnit.Count, count('UNKNOWN'));
    metrics.addMetric(RunSummaryMetric.ALERTS_SENT, MetricUnit.Count, run.alertsSent);
    metrics.addMetric(RunSummaryMetric.ALERTS_FAILED, MetricUnit.Count, run.publishFailures.length);
  }
  if (delivery !== undefined) {
    metrics.addMetric(RunSummaryMetric.DELIVERY_PATH_PROBLEMS, MetricUnit.Count, delivery.findings.length);
    metrics.addMetric(RunSummaryMetric.DELIVERY_PATH_NOT_CHECKED, MetricUnit.Count, delivery.checked ? 0 : 1);
  }
  if (summary.heartbeatPingsFailed !== undefined) metrics.addMetric(RunSummaryMetric.HEARTBEAT_PINGS_FAILED, MetricUnit.Count, summary.heartbeatPingsFailed);
  metrics.publishStoredMetrics();
}
