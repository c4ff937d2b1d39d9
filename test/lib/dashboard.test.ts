import { Metrics } from '@aws-lambda-powertools/metrics';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolvePolicy, type MonitorConfig } from '../../functions/check/config.ts';
import type { Verdict } from '../../functions/check/policy/types.ts';
import { publishRunMetrics, publishRunSummaryMetrics } from '../../functions/check/run-metrics.ts';
import { backupAgeLimitHours, MAX_PORTAL_LINES, MonitorDashboard } from '../../lib/dashboard.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lib/constants.ts';
import { minimalConfig, newApp } from './cdk-app.ts';
import { dashboardBody, drawnMetrics } from './dashboard-body.ts';

const CHECKED_AT = new Date('2026-12-01T07:00:00Z');

function build(config: MonitorConfig): { template: Template; stack: Stack; alarms: cloudwatch.Alarm[] } {
  const stack = new Stack(newApp(), 'Test');
  const topic = new sns.Topic(stack, 'Topic');
  const metric = new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Errors' });
  const alarms = ['One', 'Two'].map((id) => new cloudwatch.Alarm(stack, id, { metric, threshold: 1, evaluationPeriods: 1 }));
  new MonitorDashboard(stack, 'Dashboard', { config, topic, alarms });
  return { template: Template.fromStack(stack), stack, alarms };
}

function portals(count: number) {
  return Array.from({ length: count }, (_, index) => ({ name: `portal-${index}`, url: `https://p${index}.onlyoffice.com`, apiKey: { ssmParameter: `/docspace/p${index}/api-key` } }));
}

/** What the handler writes for these portals in one run, as Powertools' EMF: each metric's namespace, name and dimensions. */
function emitted(config: MonitorConfig): Set<string> {
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', METRICS_NAMESPACE);
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', SERVICE_NAME);
  vi.stubEnv('POWERTOOLS_DEV', undefined);
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
  const verdicts: Verdict[] = config.portals.map((portal) => ({
    portal: portal.name,
    url: portal.url,
    status: 'OK',
    timeZone: 'UTC',
    checkedAt: CHECKED_AT,
    findings: [],
    lastBackupTime: new Date(CHECKED_AT.getTime() - 3_600_000),
  }));
  const run = { checkedAt: CHECKED_AT, runKey: 'run', status: 'OK' as const, verdicts, alertsSent: 0, publishFailures: [], stateFailures: [], notifications: new Map(), expiredSilences: [] };
  const metrics = new Metrics();
  publishRunMetrics(metrics, run);
  publishRunSummaryMetrics(metrics, { durationMs: 1000, run, delivery: { checked: true, notChecked: [], findings: [], subscriptions: [], alerted: false }, heartbeatPingsFailed: 0 });
  vi.restoreAllMocks();
  const found = new Set<string>();
  for (const line of lines.join('').split('\n').filter((text) => text.startsWith('{'))) {
    const document = JSON.parse(line) as { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } } & Record<string, unknown>;
    for (const directive of document._aws.CloudWatchMetrics)
      for (const metric of directive.Metrics) {
        const dimensions = Object.fromEntries([...directive.Dimensions[0]!].sort().map((name) => [name, document[name]]));
        found.add(JSON.stringify([directive.Namespace, metric.Name, dimensions]));
      }
  }
  return found;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('MonitorDashboard', () => {
  const config = minimalConfig({
    portals: [
      ...portals(2),
      { name: 'slow-one', url: 'https://slow.onlyoffice.com', apiKey: { ssmParameter: '/docspace/slow/api-key' }, policy: { maxBackupAgeHours: 30 } },
    ],
    policy: { schedule: { period: 'EveryDay', hour: 2 }, graceMinutes: 90 },
  });

  it('draws only metrics the handler emits, in its namespace and with its dimensions', () => {
    // Prepare
    const handlerMetrics = emitted(config);

    // Act
    const drawn = drawnMetrics(dashboardBody(build(config).template).widgets);

    // Assess
    const custom = drawn.filter((metric) => metric.namespace === METRICS_NAMESPACE);
    expect(custom.length).toBeGreaterThan(10);
    for (const metric of custom) {
      const dimensions = Object.fromEntries(Object.entries(metric.dimensions).sort(([a], [b]) => a.localeCompare(b)));
      expect(handlerMetrics, `${metric.widget}: ${metric.name}`).toContain(JSON.stringify([metric.namespace, metric.name, dimensions]));
    }
    // The rest are the alert topic's own SNS metrics.
    expect(drawn.filter((metric) => metric.namespace !== METRICS_NAMESPACE).map((metric) => [metric.namespace, metric.name, Object.keys(metric.dimensions)])).toEqual([
      ['AWS/SNS', 'NumberOfNotificationsFailed', ['TopicName']],
      ['AWS/SNS', 'NumberOfNotificationsFilteredOut-InvalidAttributes', ['TopicName']],
    ]);
  });

  it('draws each portal\'s backup age with the policy limits as horizontal lines', () => {
    // Act
    const { widgets } = dashboardBody(build(config).template);

    // Assess
    const age = widgets.find((widget) => widget.properties.title?.startsWith('Backup age per portal'))!;
    expect(drawnMetrics([age]).map((metric) => [metric.name, metric.dimensions.Portal])).toEqual([
      ['BackupAgeHours', 'portal-0'],
      ['BackupAgeHours', 'portal-1'],
      ['BackupAgeHours', 'slow-one'],
    ]);
    expect(age.properties.annotations?.horizontal).toEqual([
      expect.objectContaining({ value: 25.5, label: 'policy limit 25.5 h (portal-0, portal-1)' }),
      expect.objectContaining({ value: 30, label: 'policy limit 30 h (slow-one)' }),
    ]);
  });

  it('draws portals by status, the last run, alerts, delivery failures and the alarms\' states', () => {
    // Act
    const built = build(config);
    const { widgets } = dashboardBody(built.template);

    // Assess
    expect(widgets.map((widget) => [widget.type, widget.properties.title])).toEqual([
      ['metric', 'Backup age per portal (hours since the last backup DocSpace dispatched)'],
      ['alarm', 'Alarms on the monitor and its delivery path'],
      ['metric', 'Portals by status'],
      ['metric', 'Last run'],
      ['metric', 'Alerts sent'],
      ['metric', 'Delivery failures (each should stay at 0)'],
    ]);
    const names = (title: string) => drawnMetrics(widgets.filter((widget) => widget.properties.title === title)).map((metric) => metric.name);
    expect(names('Portals by status')).toEqual(['PortalsOk', 'PortalsWarning', 'PortalsCritical', 'PortalsUnknown']);
    expect(widgets[2]!.properties.stacked).toBe(true);
    expect(names('Last run')).toEqual(['RunDurationSeconds', 'PortalsChecked']);
    expect(names('Alerts sent')).toEqual(['AlertsSent']);
    expect(names('Delivery failures (each should stay at 0)')).toEqual([
      'AlertsFailed',
      'NumberOfNotificationsFailed',
      'NumberOfNotificationsFilteredOut-InvalidAttributes',
      'DeliveryPathProblems',
      'DeliveryPathNotChecked',
      'HeartbeatPingsFailed',
    ]);
    expect(widgets[1]!.properties.alarms).toHaveLength(built.alarms.length);
    expect(dashboardBody(built.template).start).toBe('-P28D');
  });

  it(`draws a fleet of more than ${MAX_PORTAL_LINES} portals with one search of the handler's metric`, () => {
    // Act
    const { widgets } = dashboardBody(build(minimalConfig({ portals: portals(MAX_PORTAL_LINES + 1) })).template);

    // Assess
    const age = drawnMetrics(widgets.filter((widget) => widget.properties.title?.startsWith('Backup age per portal')));
    expect(age).toEqual([expect.objectContaining({ expression: `SEARCH('{${METRICS_NAMESPACE},Portal,service} MetricName="BackupAgeHours" service="${SERVICE_NAME}"', 'Maximum', 3600)` })]);
  });
});

describe('backupAgeLimitHours', () => {
  it.each([
    ['maxBackupAgeHours when set', { maxBackupAgeHours: 30, schedule: { period: 'EveryDay', hour: 2 } }, 30],
    ['a day plus the grace for a daily schedule', { schedule: { period: 'EveryDay', hour: 2 }, graceMinutes: 60 }, 25],
    ['a week plus the grace for a weekly schedule', { schedule: { period: 'EveryWeek', hour: 2, day: 'Sunday' }, graceMinutes: 15 }, 168.25],
    ['31 days plus the grace for a monthly schedule', { schedule: { period: 'EveryMonth', hour: 2, day: 31 } }, 745],
    ['nothing without a schedule or a maximum age', {}, undefined],
  ])('is %s', (_case, policy, expected) => {
    // Prepare
    const config = minimalConfig({ policy });

    // Act
    const limit = backupAgeLimitHours(resolvePolicy(config, config.portals[0]!));

    // Assess
    expect(limit).toBe(expected);
  });
});
