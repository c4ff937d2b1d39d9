/**
 * The handler's evidence archive on the wire: the real module and SDK clients, a local S3
 * (s3rver) as the report bucket, the local SNS, and the simulated portals. Every run leaves its
 * report in the bucket; a report that cannot be kept fails the run after the alerts went out;
 * the monthly report reads the previous month back and e-mails it.
 */
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { previousMonth } from '../../functions/check/compliance/monthly-report.ts';
import type { CheckSummary } from '../../functions/check/handler.ts';
import { archivedReport, archiveScenarioRun } from '../support/archived-reports.ts';
import { useFakeAwsEnvironment } from '../support/aws-env.ts';
import { startDynalite } from '../support/dynalite.ts';
import { startFakeSns, type FakeSns } from '../support/fake-sns.ts';
import { startFakeSsm, type FakeSsm } from '../support/fake-ssm.ts';
import { startLocalS3, type LocalS3 } from '../support/local-s3.ts';
import { capturePowertoolsOutput } from '../support/powertools-output.ts';
import { buildScenarios, scenarioConfig, type Scenario } from '../support/scenarios.ts';
import { startSimulatedPortals, type SimulatedPortals } from '../support/simulated-portal.ts';
import { S3ReportArchive } from '../../functions/check/archive/s3-report-archive.ts';

const TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:docspace-backup-alerts';
const BUCKET = 'docspace-monitor-reports';
const keyOf = (name: string) => `sk-canary-archive-${name}-3e8a1f`;
const parameterOf = (name: string) => `/docspace/${name}/api-key`;

type Handler = (event: unknown) => Promise<CheckSummary>;

let scenarios: readonly Scenario[];
let portals: SimulatedPortals;
let ssm: FakeSsm;
let sns: FakeSns;
let s3: LocalS3;
let restoreAws: () => void;

beforeAll(async () => {
  scenarios = buildScenarios(new Date(), keyOf).filter((scenario) => scenario.portal.latencyMs === undefined);
  portals = await startSimulatedPortals(Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.portal])));
});

afterAll(async () => {
  await portals.close();
});

beforeEach(async () => {
  ssm = await startFakeSsm();
  sns = await startFakeSns();
  s3 = await startLocalS3();
  restoreAws = useFakeAwsEnvironment({ ssm: ssm.endpoint, sns: sns.endpoint, s3: s3.endpoint });
  for (const scenario of scenarios) ssm.putParameter(parameterOf(scenario.name), keyOf(scenario.name));
  const config = scenarioConfig(scenarios, portals.urlOf) as { portals: Record<string, unknown>[] };
  vi.stubEnv('MONITOR_CONFIG_JSON', JSON.stringify({ ...config, portals: config.portals.map((portal) => ({ ...portal, apiKey: { ssmParameter: parameterOf(portal.name as string) } })) }));
  vi.stubEnv('ALERT_TOPIC_ARN', TOPIC_ARN);
  vi.stubEnv('REPORT_BUCKET_NAME', BUCKET);
  capturePowertoolsOutput({ service: 'archive-test', namespace: 'ArchiveTest' });
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  restoreAws();
  await Promise.all([ssm.close(), sns.close(), s3.close()]);
});

async function loadHandler(): Promise<Handler> {
  vi.resetModules();
  return (await import('../../functions/check/handler.ts')).handler;
}

describe('handler evidence archive', () => {
  it("keeps each scheduled run's JSON report under its day and run key, with the monitor's version", async () => {
    // Prepare
    await s3.createBucket(BUCKET);
    const handler = await loadHandler();
    const scheduledTime = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

    // Act
    const summary = await handler({ scheduledTime });

    // Assess
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    const keys = (listed.Contents ?? []).map((object) => object.Key);
    const day = scheduledTime.slice(0, 10).split('-');
    expect(keys).toEqual([expect.stringMatching(new RegExp(`^reports/year=${day[0]}/month=${day[1]}/day=${day[2]}/\\d{8}T\\d{6}Z_${scheduledTime.replace(/:/g, '-')}\\.json$`))]);
    const body = await (await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: keys[0] }))).Body!.transformToString();
    const report = JSON.parse(body) as { runKey: string; monitorVersion: string; status: string; portals: { name: string; status: string }[] };
    expect(report.runKey).toBe(scheduledTime);
    expect(report.monitorVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.status).toBe(summary.status);
    expect(Object.fromEntries(report.portals.map((portal) => [portal.name, portal.status]))).toEqual(summary.statuses);
    for (const scenario of scenarios) expect(body).not.toContain(keyOf(scenario.name));
  });

  it('fails the run, loudly and after the alerts went out, when the report cannot be archived', async () => {
    // Prepare: no bucket, so every PutObject answers NoSuchBucket.
    const handler = await loadHandler();

    // Act
    const failure = await handler({}).then(
      () => undefined,
      (error: unknown) => error as AggregateError,
    );

    // Assess
    expect(failure).toBeInstanceOf(AggregateError);
    expect(failure!.message).toContain("the run's report could not be archived");
    expect(failure!.errors.map((error: Error) => error.message)).toContainEqual(expect.stringMatching(/could not be archived in s3:\/\/docspace-monitor-reports .*: NoSuchBucket$/));
    expect(sns.publishes.length).toBe(scenarios.filter((scenario) => scenario.expectedStatus !== 'OK').length);
  });

  it("e-mails the previous month's compliance report for the monthly-report action, e-mail only", async () => {
    // Prepare: two days of the previous month archived.
    await s3.createBucket(BUCKET);
    const { from, to } = previousMonth(new Date());
    const archive = new S3ReportArchive({ bucket: BUCKET, client: s3.client });
    await archiveScenarioRun(archive, `${from}T07:00:00.000Z`, `${from}T07:00:00Z`, [{ name: 'acme', status: 'OK', lastBackupTime: `${from}T02:05:00.000Z` }]);
    await archive.write(`reports/year=${to.slice(0, 4)}/month=${to.slice(5, 7)}/day=${to.slice(8)}/x.json`, archivedReport(`${to}T07:00:00.000Z`, 'r2', [{ name: 'acme', status: 'CRITICAL', findings: [{ code: 'BACKUP_OVERDUE', severity: 'critical' }] }]));
    const handler = await loadHandler();

    // Act
    const summary = await handler({ action: 'monthly-report' });

    // Assess
    expect(summary).toEqual({ status: 'REPORT', portals: 1, alertsSent: 1, statuses: {} });
    expect(sns.publishes).toHaveLength(1);
    const publish = sns.publishes[0]!;
    expect(publish.MessageAttributes.state?.StringValue).toBe('report');
    expect(publish.Subject).toBe(`DocSpace backup compliance ${from.slice(0, 7)}: ${Math.round((1 / Number(to.slice(8))) * 1000) / 10} % of portal-days, 1 incidents`);
    const email = (JSON.parse(publish.Message!) as { email: string }).email;
    expect(email.indexOf('## Fleet')).toBeGreaterThan(0);
    expect(email.indexOf('## Fleet')).toBeLessThan(email.indexOf('## Portals'));
    expect(email).toContain(`| acme | 1 | 1 | ${Number(to.slice(8)) - 2} |`);
  });

  it('sends the monthly report of one scheduled run once, however often the run is delivered', async () => {
    // Prepare: the state table the claim is kept in.
    await s3.createBucket(BUCKET);
    const dynamodb = await startDynalite();
    try {
      vi.stubEnv('STATE_TABLE_NAME', await dynamodb.createStateTable('monitor-state'));
      vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamodb.endpoint);
      const handler = await loadHandler();
      const scheduledTime = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

      // Act
      const first = await handler({ action: 'monthly-report', scheduledTime });
      const again = await handler({ action: 'monthly-report', scheduledTime });

      // Assess
      expect(first.alertsSent).toBe(1);
      expect(again.alertsSent).toBe(0);
      expect(sns.publishes).toHaveLength(1);
    } finally {
      await dynamodb.close();
    }
  });
});
