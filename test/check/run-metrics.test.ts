import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Verdict } from '../../functions/check/policy/types.ts';
import type { CheckRun } from '../../functions/check/run-check.ts';
import { AlertPublishError } from '../../functions/check/errors.ts';
import { backupAgeHours, publishRunMetrics, publishRunSummaryMetrics, RunSummaryMetric } from '../../functions/check/run-metrics.ts';
import { CHECKED_AT, criticalVerdict, neverRanVerdict, okVerdict, unknownVerdict, warningVerdict } from './alerts/sample-verdicts.ts';

const HOUR_MS = 3_600_000;

/** One EMF document as Powertools writes it: `_aws` metadata, then dimensions and values as keys. */
interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

let stdout: string[];

beforeEach(() => {
  // Powertools reads these when a Metrics is built: the stack sets both.
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'TestBackupMonitor');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'test-monitor');
  vi.stubEnv('POWERTOOLS_DEV', undefined);
  stdout = [];
  // Powertools writes EMF through its own Console on process.stdout (not the global console).
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function emfDocuments(): EmfDocument[] {
  return stdout
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EmfDocument)
    .filter((document) => document._aws !== undefined);
}

function runOf(verdicts: readonly Verdict[]): CheckRun {
  return { checkedAt: CHECKED_AT, runKey: 'run', status: 'CRITICAL', verdicts, alertsSent: 0, publishFailures: [], stateFailures: [], notifications: new Map(), expiredSilences: [] };
}

describe('backupAgeHours', () => {
  it.each([
    ['26.5 hours', new Date(CHECKED_AT.getTime() - 26.5 * HOUR_MS), 26.5],
    ['exactly now', CHECKED_AT, 0],
    ['10 minutes (two decimals)', new Date(CHECKED_AT.getTime() - 10 * 60_000), 0.17],
    ['a time after the check (clock skew) as 0', new Date(CHECKED_AT.getTime() + HOUR_MS), 0],
  ])('gives the age of a backup %s old', (_case, lastBackupTime, hours) => {
    // Act
    const age = backupAgeHours({ ...okVerdict, lastBackupTime }, CHECKED_AT);

    // Assess
    expect(age).toBe(hours);
  });

  it.each([
    ['the schedule never ran', null],
    ['the check failed', undefined],
  ])('gives no age when %s', (_case, lastBackupTime) => {
    // Act
    const age = backupAgeHours({ ...okVerdict, lastBackupTime }, CHECKED_AT);

    // Assess
    expect(age).toBeUndefined();
  });
});

describe('publishRunMetrics', () => {
  it('writes one EMF document per portal, each metric under that portal and the service', () => {
    // Prepare
    const metrics = new Metrics();
    const run = runOf([
      { ...okVerdict, portal: 'acme-prod' },
      { ...criticalVerdict, portal: 'globex' },
    ]);

    // Act
    publishRunMetrics(metrics, run);

    // Assess
    const documents = emfDocuments();
    expect(documents).toHaveLength(2);
    for (const [index, portal] of ['acme-prod', 'globex'].entries()) {
      const document = documents[index]!;
      expect(document._aws.CloudWatchMetrics).toHaveLength(1);
      const directive = document._aws.CloudWatchMetrics[0]!;
      expect(directive.Namespace).toBe('TestBackupMonitor');
      expect(directive.Dimensions).toEqual([['service', 'Portal']]);
      expect(directive.Metrics).toEqual([
        { Name: 'BackupAgeHours', Unit: 'None' },
        { Name: 'CheckFailed', Unit: 'Count' },
        { Name: 'CriticalFindings', Unit: 'Count' },
        { Name: 'WarningFindings', Unit: 'Count' },
      ]);
      expect(document.Portal).toBe(portal);
      expect(document.service).toBe('test-monitor');
    }
    // LAST_BACKUP 2026-03-01 01:07:41Z to CHECKED_AT 2026-03-02 07:00Z: 29 h 52 min 19 s = 29.87 h.
    expect(documents[0]).toMatchObject({ BackupAgeHours: 29.87, CheckFailed: 0, CriticalFindings: 0, WarningFindings: 0 });
    expect(documents[1]).toMatchObject({ BackupAgeHours: 29.87, CheckFailed: 0, CriticalFindings: 2, WarningFindings: 1 });
  });

  it('counts a portal that could not be evaluated as CheckFailed 1, without a backup age', () => {
    // Prepare
    const metrics = new Metrics();

    // Act
    publishRunMetrics(metrics, runOf([unknownVerdict]));

    // Assess
    const [document] = emfDocuments();
    expect(document?._aws.CloudWatchMetrics[0]!.Metrics.map((metric) => metric.Name)).toEqual(['CheckFailed', 'CriticalFindings', 'WarningFindings']);
    expect(document).toMatchObject({ Portal: 'acme-prod', CheckFailed: 1, CriticalFindings: 1, WarningFindings: 0 });
    expect(document).not.toHaveProperty('BackupAgeHours');
  });

  it('leaves the backup age out for a schedule that never ran, and keeps the next portal apart', () => {
    // Prepare
    const metrics = new Metrics();

    // Act
    publishRunMetrics(metrics, runOf([
      { ...neverRanVerdict, portal: 'never-ran' },
      { ...warningVerdict, portal: 'drifted' },
    ]));

    // Assess
    const documents = emfDocuments();
    expect(documents.map((document) => document.Portal)).toEqual(['never-ran', 'drifted']);
    expect(documents[0]).not.toHaveProperty('BackupAgeHours');
    expect(documents[0]).toMatchObject({ CheckFailed: 0, CriticalFindings: 1, WarningFindings: 0 });
    expect(documents[1]).toMatchObject({ BackupAgeHours: 29.87, CheckFailed: 0, CriticalFindings: 0, WarningFindings: 1 });
  });
});

describe('publishRunSummaryMetrics', () => {
  it('writes one document for the run with the dimension service alone: duration, portals by status, alerts, delivery path and heartbeat', () => {
    // Prepare
    const metrics = new Metrics();
    const run = { ...runOf([okVerdict, warningVerdict, criticalVerdict, { ...criticalVerdict, portal: 'other' }, unknownVerdict]), alertsSent: 3, publishFailures: [new AlertPublishError('x', 'p')] };
    const delivery = { checked: true, notChecked: [], findings: [{ code: 'NO_CONFIRMED_EMAIL', message: 'm' }] as const, subscriptions: [], alerted: true };

    // Act
    publishRunSummaryMetrics(metrics, { durationMs: 12_345, run, delivery, heartbeatPingsFailed: 1 });

    // Assess
    const documents = emfDocuments();
    expect(documents).toHaveLength(1);
    const document = documents[0]!;
    expect(document._aws.CloudWatchMetrics[0]!.Namespace).toBe('TestBackupMonitor');
    expect(document._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service']]);
    expect(document).not.toHaveProperty('Portal');
    expect(document).toMatchObject({
      service: 'test-monitor',
      [RunSummaryMetric.RUN_DURATION_SECONDS]: 12.35,
      [RunSummaryMetric.PORTALS_CHECKED]: 5,
      [RunSummaryMetric.PORTALS_OK]: 1,
      [RunSummaryMetric.PORTALS_WARNING]: 1,
      [RunSummaryMetric.PORTALS_CRITICAL]: 2,
      [RunSummaryMetric.PORTALS_UNKNOWN]: 1,
      [RunSummaryMetric.ALERTS_SENT]: 3,
      [RunSummaryMetric.ALERTS_FAILED]: 1,
      [RunSummaryMetric.DELIVERY_PATH_PROBLEMS]: 1,
      [RunSummaryMetric.DELIVERY_PATH_NOT_CHECKED]: 0,
      [RunSummaryMetric.HEARTBEAT_PINGS_FAILED]: 1,
    });
    expect(document._aws.CloudWatchMetrics[0]!.Metrics).toContainEqual({ Name: RunSummaryMetric.RUN_DURATION_SECONDS, Unit: 'Seconds' });
  });

  it('writes only the duration and the delivery path for a test alert without a heartbeat, after a portal document without leaking its Portal', () => {
    // Prepare
    const metrics = new Metrics();
    publishRunMetrics(metrics, runOf([okVerdict]));
    const delivery = { checked: false, notChecked: ['ListSubscriptionsByTopic: AuthorizationError'], findings: [], subscriptions: [], alerted: false };

    // Act
    publishRunSummaryMetrics(metrics, { durationMs: 800, delivery });

    // Assess
    const document = emfDocuments()[1]!;
    expect(document._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service']]);
    expect(document._aws.CloudWatchMetrics[0]!.Metrics.map((metric) => metric.Name)).toEqual([
      RunSummaryMetric.RUN_DURATION_SECONDS,
      RunSummaryMetric.DELIVERY_PATH_PROBLEMS,
      RunSummaryMetric.DELIVERY_PATH_NOT_CHECKED,
    ]);
    expect(document).toMatchObject({ [RunSummaryMetric.DELIVERY_PATH_NOT_CHECKED]: 1, [RunSummaryMetric.DELIVERY_PATH_PROBLEMS]: 0 });
    expect(document).not.toHaveProperty('Portal');
  });
});
