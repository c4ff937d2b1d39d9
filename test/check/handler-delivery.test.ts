/**
 * The Lambda handler's delivery path and heartbeat on the wire: the real module with the real
 * SDK clients against the local SNS, CloudWatch, SSM and DynamoDB (dynalite), the heartbeat
 * against a local ping endpoint, and two simulated portals over real HTTP.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbPendingMemory } from '../../functions/check/delivery/pending-memory.ts';
import type { CheckSummary, InvocationContext } from '../../functions/check/handler.ts';
import { useFakeAwsEnvironment } from '../support/aws-env.ts';
import { startDynalite, type LocalDynamoDb } from '../support/dynalite.ts';
import { startFakeCloudWatch, type FakeCloudWatch } from '../support/fake-cloudwatch.ts';
import { FAKE_PING_UUID, startFakeHeartbeat, type FakeHeartbeat } from '../support/fake-heartbeat.ts';
import { SnsErrors, startFakeSns, type FakeSns } from '../support/fake-sns.ts';
import { startFakeSsm, type FakeSsm } from '../support/fake-ssm.ts';
import { capturePowertoolsOutput, type PowertoolsOutput } from '../support/powertools-output.ts';
import { buildScenarios, SCENARIO_POLICY } from '../support/scenarios.ts';
import { startSimulatedPortals, type SimulatedPortals } from '../support/simulated-portal.ts';

const TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:docspace-backup-alerts';
const OPS = 'ops@acme.example';
const NEW = 'new@acme.example';
const PHONE = '+491701234567';
const DAY_MS = 24 * 3_600_000;
const HEARTBEAT_PARAMETER = '/docspace/monitor/heartbeat-url';

type Handler = (event: unknown, context?: InvocationContext) => Promise<CheckSummary>;

const keyOf = (name: string) => `sk-canary-${name}-7e1d0c4b9a2f3e65`;
const parameterOf = (name: string) => `/docspace/${name}/api-key`;

let portals: SimulatedPortals;
let dynamodb: LocalDynamoDb;
let ssm: FakeSsm;
let sns: FakeSns;
let cloudWatch: FakeCloudWatch;
let ping: FakeHeartbeat;
let restoreAws: () => void;
let tableName: string;
let tables = 0;
let output: PowertoolsOutput;

beforeAll(async () => {
  const scenarios = buildScenarios(new Date(), keyOf);
  portals = await startSimulatedPortals({
    acme: { ...scenarios.find((scenario) => scenario.name === 'compliant')!.portal, apiKey: keyOf('acme') },
    beta: { ...scenarios.find((scenario) => scenario.name === 'overdue')!.portal, apiKey: keyOf('beta') },
  });
  dynamodb = await startDynalite();
});

afterAll(async () => {
  await portals.close();
  await dynamodb.close();
});

beforeEach(async () => {
  ssm = await startFakeSsm();
  sns = await startFakeSns();
  cloudWatch = await startFakeCloudWatch();
  ping = await startFakeHeartbeat();
  restoreAws = useFakeAwsEnvironment({ ssm: ssm.endpoint, sns: sns.endpoint });
  for (const name of ['acme', 'beta']) ssm.putParameter(parameterOf(name), keyOf(name));
  tables += 1;
  tableName = await dynamodb.createStateTable(`delivery-handler-${tables}`);
  vi.stubEnv('ALERT_TOPIC_ARN', TOPIC_ARN);
  vi.stubEnv('STATE_TABLE_NAME', tableName);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamodb.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH', cloudWatch.endpoint);
  output = capturePowertoolsOutput({ service: 'docspace-backup-monitor-test', namespace: 'DocSpaceBackupMonitorTest' });
  // The topic as the stack leaves it once ops confirmed: one address live, one phone.
  sns.subscribe(TOPIC_ARN, 'email', OPS);
  sns.subscribe(TOPIC_ARN, 'sms', PHONE);
  sns.smsAccount.attributes.MonthlySpendLimit = '5';
  sns.smsAccount.attributes.DeliveryStatusIAMRole = 'arn:aws:iam::123456789012:role/SmsDeliveryStatus';
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  restoreAws();
  await Promise.all([ssm.close(), sns.close(), cloudWatch.close(), ping.close()]);
});

/** The deployed config: two portals (acme OK, beta overdue), keys in SSM, and `extra`. */
function deployConfig(extra: Record<string, unknown>): void {
  const config = {
    portals: ['acme', 'beta'].map((name) => ({ name, url: portals.urlOf(name), apiKey: { ssmParameter: parameterOf(name) } })),
    policy: SCENARIO_POLICY,
    ...extra,
  };
  vi.stubEnv('MONITOR_CONFIG_JSON', JSON.stringify(config));
}

async function loadHandler(): Promise<Handler> {
  vi.resetModules();
  return (await import('../../functions/check/handler.ts')).handler;
}

function lines(): Record<string, unknown>[] {
  return [...output.stdout, ...output.stderr]
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The run's own EMF document (no `Portal` dimension). */
function runDocument(): Record<string, unknown> {
  const documents = lines().filter((line) => '_aws' in line && !('Portal' in line));
  expect(documents).toHaveLength(1);
  return documents[0]!;
}

describe('handler heartbeat', () => {
  it('pings /start and then the base URL around a run whose alerts were all delivered, and counts no failed ping', async () => {
    // Prepare
    deployConfig({ heartbeat: { url: ping.url }, alerts: { email: [OPS] } });
    const handler = await loadHandler();

    // Act
    const summary = await handler({});

    // Assess
    expect(summary.statuses).toEqual({ acme: 'OK', beta: 'CRITICAL' });
    expect(ping.pings.map((received) => [received.method, received.signal, received.body])).toEqual([
      ['POST', '/start', ''],
      ['POST', '', ''],
    ]);
    expect(runDocument()).toMatchObject({ PortalsChecked: 2, PortalsOk: 1, PortalsCritical: 1, AlertsSent: 1, AlertsFailed: 0, HeartbeatPingsFailed: 0, DeliveryPathProblems: 0 });
  });

  it('pings /fail with a one-line summary (counts only, no portal) when an alert cannot be published, and still fails the run', async () => {
    // Prepare
    deployConfig({ heartbeat: { url: ping.url } });
    sns.failPublish(SnsErrors.authorization);
    const handler = await loadHandler();

    // Act
    const error = await handler({}).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );

    // Assess
    expect(error).toBeInstanceOf(AggregateError);
    expect(ping.pings.map((received) => [received.signal, received.body])).toEqual([
      ['/start', ''],
      ['/fail', 'run failed: 1 alert(s) could not be published'],
    ]);
    expect(runDocument()).toMatchObject({ AlertsFailed: 1, HeartbeatPingsFailed: 0 });
  });

  it('completes the run when the ping endpoint fails, counting and logging each failed ping without its secret path', async () => {
    // Prepare
    deployConfig({ heartbeat: { url: ping.url } });
    ping.answer({ status: 503 });
    const handler = await loadHandler();

    // Act
    const summary = await handler({});

    // Assess
    expect(summary.statuses).toEqual({ acme: 'OK', beta: 'CRITICAL' });
    expect(ping.pings.map((received) => received.signal)).toEqual(['/start', '/start', '', '']);
    expect(runDocument()).toMatchObject({ HeartbeatPingsFailed: 2 });
    const failed = lines().filter((line) => line.message === 'heartbeat ping failed; the run goes on');
    expect(failed.map((line) => [line.level, line.signal, line.detail])).toEqual([
      ['WARN', 'start', 'HTTP 503'],
      ['WARN', 'success', 'HTTP 503'],
    ]);
    expect(JSON.stringify(lines())).not.toContain(FAKE_PING_UUID);
  });

  it('reads the ping URL from SSM with decryption', async () => {
    // Prepare
    ssm.putParameter(HEARTBEAT_PARAMETER, ping.url);
    deployConfig({ heartbeat: { ssmParameter: HEARTBEAT_PARAMETER } });
    const handler = await loadHandler();

    // Act
    await handler({});

    // Assess
    expect(ssm.callsOf('GetParameter')).toEqual([expect.objectContaining({ body: { Name: HEARTBEAT_PARAMETER, WithDecryption: true } })]);
    expect(ping.pings.map((received) => received.signal)).toEqual(['/start', '']);
  });

  it('pings nothing for a test alert or without a heartbeat in the config', async () => {
    // Prepare
    deployConfig({ heartbeat: { url: ping.url } });
    const handler = await loadHandler();

    // Act
    await handler({ action: 'test-alert' });

    // Assess
    expect(ping.pings).toEqual([]);
  });
});

describe('handler delivery path', () => {
  it('reports an address unconfirmed for two days and an SMS spend near its limit on a scheduled run, and e-mails one notice', async () => {
    // Prepare
    sns.subscribe(TOPIC_ARN, 'email', NEW, { confirmed: false });
    await new DynamoDbPendingMemory({ tableName, client: dynamodb.client }).save(new Map([[`email:${NEW}`, new Date(Date.now() - 2 * DAY_MS)]]));
    cloudWatch.putDatapoints('AWS/SNS', 'SMSMonthToDateSpentUSD', [{ timestamp: new Date(Date.now() - 30 * 60_000), value: 4.4 }]);
    deployConfig({ alerts: { email: [OPS, NEW], sms: [PHONE] }, heartbeat: { url: ping.url } });
    const handler = await loadHandler();

    // Act
    const summary = await handler({ scheduledTime: new Date().toISOString() });

    // Assess
    expect(summary.statuses).toEqual({ acme: 'OK', beta: 'CRITICAL' });
    const notice = sns.publishes.find((publish) => publish.MessageAttributes.state?.StringValue === 'delivery');
    expect(notice?.MessageAttributes.codes?.StringValue).toBe('SUBSCRIPTION_PENDING,SMS_SPEND_NEAR_LIMIT');
    const logged = lines().find((line) => line.message === 'delivery path has problems');
    expect(logged).toMatchObject({ level: 'WARN', findings: [{ code: 'SUBSCRIPTION_PENDING', endpoint: NEW }, { code: 'SMS_SPEND_NEAR_LIMIT' }], alerted: true });
    expect(runDocument()).toMatchObject({ DeliveryPathProblems: 2, DeliveryPathNotChecked: 0 });
    // Texts and e-mail still reach someone: the heartbeat says the run succeeded.
    expect(ping.pings.map((received) => received.signal)).toEqual(['/start', '']);
  });

  it('pings /fail while the run succeeds when no e-mail subscription is confirmed', async () => {
    // Prepare
    sns.subscriptions.splice(0, sns.subscriptions.length);
    sns.subscribe(TOPIC_ARN, 'email', OPS, { confirmed: false });
    deployConfig({ alerts: { email: [OPS] }, heartbeat: { url: ping.url } });
    const handler = await loadHandler();

    // Act
    const summary = await handler({});

    // Assess
    expect(summary.status).toBe('CRITICAL');
    expect(ping.pings.map((received) => [received.signal, received.body])).toEqual([
      ['/start', ''],
      ['/fail', 'delivery path: no e-mail subscription of the alert topic is confirmed, alerts reach nobody by e-mail'],
    ]);
  });

  it('logs "delivery path not checked" and completes the run when the subscriptions cannot be read', async () => {
    // Prepare
    sns.failAction('ListSubscriptionsByTopic', SnsErrors.authorization);
    deployConfig({ alerts: { email: [OPS] }, heartbeat: { url: ping.url } });
    const handler = await loadHandler();

    // Act
    const summary = await handler({});

    // Assess
    expect(summary.portals).toBe(2);
    expect(lines().find((line) => line.message === 'delivery path not checked')).toMatchObject({ level: 'WARN', notChecked: ['ListSubscriptionsByTopic: AuthorizationError'] });
    expect(runDocument()).toMatchObject({ DeliveryPathNotChecked: 1, DeliveryPathProblems: 0 });
    expect(ping.pings.map((received) => received.signal)).toEqual(['/start', '']);
  });

  it('says in the test alert\'s output which subscriptions are live', async () => {
    // Prepare
    sns.subscribe(TOPIC_ARN, 'email', NEW, { confirmed: false });
    deployConfig({ alerts: { email: [OPS, NEW], sms: [PHONE] } });
    const handler = await loadHandler();

    // Act
    const summary = await handler({ action: 'test-alert' });

    // Assess
    expect(summary).toEqual({
      status: 'TEST',
      portals: 0,
      alertsSent: 1,
      statuses: {},
      subscriptions: [
        { protocol: 'email', endpoint: OPS, status: 'confirmed' },
        { protocol: 'sms', endpoint: PHONE, status: 'confirmed' },
        { protocol: 'email', endpoint: NEW, status: 'pending' },
      ],
      deliveryPath: { problems: [], notChecked: [] },
    });
    expect(lines().find((line) => line.message === 'test alert published')).toMatchObject({ subscriptions: summary.subscriptions });
    expect(runDocument()).toMatchObject({ DeliveryPathProblems: 0 });
    expect(runDocument()).not.toHaveProperty('PortalsChecked');
  });
});
