/**
 * The fault matrix, delivery path and heartbeat (docs/RELIABILITY.md, rows D01-D05): the deployed
 * handler with its real SDK clients against the local SNS and CloudWatch, and its heartbeat against
 * a local ping endpoint, each failing the way the real ones do. None of it may cost a portal's
 * verdict or alert, or fail a run that would otherwise succeed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectNoCanaryLeak, textOf } from '../support/canary.ts';
import { CloudWatchErrors, startFakeCloudWatch, type FakeCloudWatch } from '../support/fake-cloudwatch.ts';
import { FAKE_PING_UUID, startFakeHeartbeat, type FakeHeartbeat } from '../support/fake-heartbeat.ts';
import { SnsErrors } from '../support/fake-sns.ts';
import { deployFunction, invocationError, jsonLines, logLinesOf, metricsOf, type DeployedFunction, type DeployedPortal } from './handler-harness.ts';
import { TOPIC_ARN } from './harness.ts';

const PORTALS: readonly DeployedPortal[] = [
  { name: 'compliant', scenario: 'compliant' },
  { name: 'overdue', scenario: 'overdue' },
];
const STATUSES = { compliant: 'OK', overdue: 'CRITICAL' } as const;
const OPS = 'ops@acme.example';
const PHONE = '+491701234567';

let deployed: DeployedFunction | undefined;
let cloudWatch: FakeCloudWatch;
let ping: FakeHeartbeat;

beforeEach(async () => {
  cloudWatch = await startFakeCloudWatch();
  ping = await startFakeHeartbeat();
});

afterEach(async () => {
  await deployed?.close();
  deployed = undefined;
  await cloudWatch.close();
  await ping.close();
});

/** Deploys the two portals with recipients and a heartbeat; the topic has its confirmed subscriptions. */
async function deploy(heartbeat: Record<string, unknown> = { url: ping.url }): Promise<DeployedFunction> {
  vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH', cloudWatch.endpoint);
  deployed = await deployFunction(PORTALS, { alerts: { email: [OPS], sms: [PHONE] }, heartbeat });
  deployed.sns.subscribe(TOPIC_ARN, 'email', OPS);
  deployed.sns.subscribe(TOPIC_ARN, 'sms', PHONE);
  deployed.sns.smsAccount.attributes.MonthlySpendLimit = '10';
  deployed.sns.smsAccount.attributes.DeliveryStatusIAMRole = 'arn:aws:iam::123456789012:role/SmsDeliveryStatus';
  return deployed;
}

/** The run's own EMF document. */
function runMetricsOf(fn: DeployedFunction): Record<string, unknown> {
  const documents = jsonLines(fn.stdout).filter((line) => '_aws' in line && !('Portal' in line));
  expect(documents).toHaveLength(1);
  return documents[0]!;
}

/** Every portal judged, alerted and measured as usual. */
function expectNothingLost(fn: DeployedFunction, statuses: Readonly<Record<string, string>>): void {
  expect(statuses).toEqual(STATUSES);
  expect(fn.sns.delivered().filter((publish) => publish.MessageAttributes.portal?.StringValue === 'overdue')).toHaveLength(1);
  expect(metricsOf(fn).map((document) => document.Portal).sort()).toEqual(['compliant', 'overdue']);
}

describe('delivery path and heartbeat faults', () => {
  it('D01 ListSubscriptionsByTopic refused: the delivery path is not checked, the run succeeds and pings success', async () => {
    // Prepare
    const fn = await deploy();
    fn.sns.failAction('ListSubscriptionsByTopic', SnsErrors.authorization);

    // Act
    const summary = await fn.handler({});

    // Assess
    expectNothingLost(fn, summary.statuses);
    expect(logLinesOf(fn).find((line) => line.message === 'delivery path not checked')).toMatchObject({ level: 'WARN', notChecked: ['ListSubscriptionsByTopic: AuthorizationError'] });
    expect(runMetricsOf(fn)).toMatchObject({ DeliveryPathNotChecked: 1, DeliveryPathProblems: 0 });
    expect(ping.pings.map((received) => received.signal)).toEqual(['/start', '']);
    expectNoCanaryLeak(textOf([fn.stdout, fn.stderr]), 'the logs and metrics');
  });

  it('D02 GetMetricData throttled on every attempt: the SMS spend is not judged, everything else is', async () => {
    // Prepare
    const fn = await deploy();
    cloudWatch.failCalls(CloudWatchErrors.throttling);
    fn.sns.smsAccount.inSandbox = true;

    // Act
    const summary = await fn.handler({});

    // Assess
    expectNothingLost(fn, summary.statuses);
    const line = logLinesOf(fn).find((candidate) => candidate.message === 'delivery path not checked');
    expect(line).toMatchObject({ notChecked: ['GetMetricData: Throttling'], findings: [{ code: 'SMS_NUMBER_NOT_VERIFIED', endpoint: PHONE }] });
    expect(cloudWatch.requests).toHaveLength(2);
    expect(runMetricsOf(fn)).toMatchObject({ DeliveryPathNotChecked: 1, DeliveryPathProblems: 1 });
  });

  it('D03 the ping endpoint answers 503 every time: each ping is tried twice and counted, the run succeeds', async () => {
    // Prepare
    const fn = await deploy();
    ping.answer({ status: 503 });

    // Act
    const summary = await fn.handler({});

    // Assess
    expectNothingLost(fn, summary.statuses);
    expect(ping.pings.map((received) => received.signal)).toEqual(['/start', '/start', '', '']);
    expect(runMetricsOf(fn)).toMatchObject({ HeartbeatPingsFailed: 2 });
    expect(textOf([fn.stdout, fn.stderr])).not.toContain(FAKE_PING_UUID);
  });

  it('D04 the ping URL parameter is missing: nothing is pinged, both pings are counted, the run succeeds', async () => {
    // Prepare
    const fn = await deploy({ ssmParameter: '/docspace/monitor/heartbeat-url' });

    // Act
    const summary = await fn.handler({});

    // Assess
    expectNothingLost(fn, summary.statuses);
    expect(ping.pings).toEqual([]);
    expect(runMetricsOf(fn)).toMatchObject({ HeartbeatPingsFailed: 2 });
    expect(logLinesOf(fn).filter((line) => line.message === 'heartbeat ping failed; the run goes on').map((line) => line.detail)).toEqual([
      'ping URL not read (SSM parameter /docspace/monitor/heartbeat-url: ParameterNotFound)',
      'ping URL not read (SSM parameter /docspace/monitor/heartbeat-url: ParameterNotFound)',
    ]);
  });

  it('D05 every Publish refused: the run fails as before and pings /fail with counts only', async () => {
    // Prepare
    const fn = await deploy();
    fn.sns.failPublish(SnsErrors.authorization);

    // Act
    const error = await invocationError(() => fn.handler({}));

    // Assess
    expect(error).toBeInstanceOf(AggregateError);
    expect(ping.pings.map((received) => [received.signal, received.body])).toEqual([
      ['/start', ''],
      ['/fail', 'run failed: 1 alert(s) could not be published'],
    ]);
    expect(logLinesOf(fn).find((line) => line.message === 'delivery path notice not published')).toBeUndefined();
    expect(runMetricsOf(fn)).toMatchObject({ AlertsFailed: 1, HeartbeatPingsFailed: 0 });
  });
});
