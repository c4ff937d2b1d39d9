/**
 * The monitor's CloudWatch dashboard: backup age per portal against the policy's limit,
 * portals by status, the last run, alerts, delivery failures and the alarms' states. Every
 * custom metric it draws is one the handler emits (functions/check/run-metrics.ts), in the
 * namespace and with the dimensions the stack gives the function.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { resolvePolicy, type MonitorConfig } from '../functions/check/config.ts';
import type { BackupPolicy } from '../functions/check/policy/types.ts';
import { PORTAL_DIMENSION, RunMetric, RunSummaryMetric } from '../functions/check/run-metrics.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from './constants.ts';

/** Up to this many portals get a line each; beyond, one search expression draws them all. */
export const MAX_PORTAL_LINES = 20;

/** What the dashboard shows by default: backup age over the last weeks. */
export const DASHBOARD_DEFAULT_INTERVAL = Duration.days(28);

/** Hours between two slots of a DocSpace period (`cronParams.period` 0, 1, 2); a month counts 31 days. */
const PERIOD_HOURS: Readonly<Record<number, number>> = { 0: 24, 1: 7 * 24, 2: 31 * 24 };

/** What the dashboard draws. */
export interface MonitorDashboardProps {
  /** The validated config: its portals and their policies. */
  readonly config: MonitorConfig;
  /** The alert topic, for its SNS delivery metrics. */
  readonly topic: sns.ITopic;
  /** The alarms whose states it shows. */
  readonly alarms: readonly cloudwatch.IAlarm[];
}

/**
 * The hours a portal's last backup may be old before its policy calls it late: `maxBackupAgeHours`
 * when set, else one period of the expected schedule plus the grace; `undefined` when the policy
 * sets neither (the portal's own schedule decides, which synth cannot know).
 *
 * @param policy - the portal's resolved policy
 */
export function backupAgeLimitHours(policy: BackupPolicy): number | undefined {
  if (policy.maxBackupAgeHours !== undefined) return policy.maxBackupAgeHours;
  if (policy.schedule === undefined) return undefined;
  return (PERIOD_HOURS[policy.schedule.period] ?? 24) + policy.graceMinutes / 60;
}

/** One of the handler's metrics: the run's (`service`) or a portal's (`service`, `Portal`). */
function runMetric(name: string, label: string, statistic: string, portal?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME, ...(portal === undefined ? {} : { [PORTAL_DIMENSION]: portal }) },
    statistic,
    period: Duration.hours(1),
    label,
  });
}

/** The dashboard; its name is a stack output (`DashboardName`). */
export class MonitorDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  public constructor(scope: Construct, id: string, props: MonitorDashboardProps) {
    super(scope, id);
    const { config, topic } = props;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: DASHBOARD_DEFAULT_INTERVAL });

    const limits = new Map<number, string[]>();
    for (const portal of config.portals) {
      const limit = backupAgeLimitHours(resolvePolicy(config, portal));
      if (limit !== undefined) limits.set(limit, [...(limits.get(limit) ?? []), portal.name]);
    }
    const ages: cloudwatch.IMetric[] =
      config.portals.length <= MAX_PORTAL_LINES
        ? config.portals.map((portal) => runMetric(RunMetric.BACKUP_AGE_HOURS, portal.name, cloudwatch.Stats.MAXIMUM, portal.name))
        : [
            new cloudwatch.MathExpression({
              expression: `SEARCH('{${METRICS_NAMESPACE},${PORTAL_DIMENSION},service} MetricName="${RunMetric.BACKUP_AGE_HOURS}" service="${SERVICE_NAME}"', 'Maximum', 3600)`,
              label: '',
              period: Duration.hours(1),
            }),
          ];
    const backupAge = new cloudwatch.GraphWidget({
      title: 'Backup age per portal (hours since the last backup DocSpace dispatched)',
      width: 16,
      height: 8,
      left: ages,
      leftYAxis: { label: 'hours', min: 0, showUnits: false },
      leftAnnotations: [...limits].map(([hours, names]) => ({
        value: hours,
        label: `policy limit ${Math.round(hours * 10) / 10} h${limits.size > 1 ? ` (${names.length > 3 ? `${names.length} portals` : names.join(', ')})` : ''}`,
        color: cloudwatch.Color.RED,
      })),
      legendPosition: cloudwatch.LegendPosition.RIGHT,
    });
    const alarms = new cloudwatch.AlarmStatusWidget({ title: 'Alarms on the monitor and its delivery path', alarms: [...props.alarms], width: 8, height: 8 });

    const byStatus = new cloudwatch.GraphWidget({
      title: 'Portals by status',
      width: 8,
      height: 6,
      stacked: true,
      left: [
        runMetric(RunSummaryMetric.PORTALS_OK, 'OK', cloudwatch.Stats.MAXIMUM),
        runMetric(RunSummaryMetric.PORTALS_WARNING, 'WARNING', cloudwatch.Stats.MAXIMUM),
        runMetric(RunSummaryMetric.PORTALS_CRITICAL, 'CRITICAL', cloudwatch.Stats.MAXIMUM),
        runMetric(RunSummaryMetric.PORTALS_UNKNOWN, 'UNKNOWN', cloudwatch.Stats.MAXIMUM),
      ],
      leftYAxis: { label: 'portals', min: 0, showUnits: false },
    });
    const lastRun = new cloudwatch.SingleValueWidget({
      title: 'Last run',
      width: 8,
      height: 6,
      metrics: [
        runMetric(RunSummaryMetric.RUN_DURATION_SECONDS, 'duration (s)', cloudwatch.Stats.MAXIMUM),
        runMetric(RunSummaryMetric.PORTALS_CHECKED, 'portals checked', cloudwatch.Stats.MAXIMUM),
      ],
    });
    const alertsSent = new cloudwatch.GraphWidget({
      title: 'Alerts sent',
      width: 8,
      height: 6,
      left: [runMetric(RunSummaryMetric.ALERTS_SENT, 'alerts published', cloudwatch.Stats.SUM)],
      leftYAxis: { min: 0, showUnits: false },
    });
    const deliveryFailures = new cloudwatch.GraphWidget({
      title: 'Delivery failures (each should stay at 0)',
      width: 24,
      height: 6,
      left: [
        runMetric(RunSummaryMetric.ALERTS_FAILED, 'alerts not published', cloudwatch.Stats.SUM),
        topic.metricNumberOfNotificationsFailed({ statistic: cloudwatch.Stats.SUM, period: Duration.hours(1), label: 'SNS notifications failed' }),
        topic.metricNumberOfNotificationsFilteredOutInvalidAttributes({ statistic: cloudwatch.Stats.SUM, period: Duration.hours(1), label: 'SNS notifications dropped (invalid attributes)' }),
        runMetric(RunSummaryMetric.DELIVERY_PATH_PROBLEMS, 'delivery-path problems', cloudwatch.Stats.MAXIMUM),
        runMetric(RunSummaryMetric.DELIVERY_PATH_NOT_CHECKED, 'delivery path not checked', cloudwatch.Stats.MAXIMUM),
        runMetric(RunSummaryMetric.HEARTBEAT_PINGS_FAILED, 'heartbeat pings failed', cloudwatch.Stats.SUM),
      ],
      leftYAxis: { min: 0, showUnits: false },
    });
    this.dashboard.addWidgets(backupAge, alarms);
    this.dashboard.addWidgets(byStatus, lastRun, alertsSent);
    this.dashboard.addWidgets(deliveryFailures);
  }
}
