/**
 * The delivery-path check on the wire: the real SNS and CloudWatch clients against the local
 * fakes, the real SnsNotifier for its notice, and the first-seen-pending times in dynalite.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SnsNotifier } from '../../../functions/check/alerts/sns-notifier.ts';
import { parseConfig, type MonitorConfig } from '../../../functions/check/config.ts';
import { checkDeliveryPath, type DeliveryCheckDependencies } from '../../../functions/check/delivery/check-delivery-path.ts';
import { DELIVERY_PATH_ITEM_KEY, DynamoDbPendingMemory, InMemoryPendingMemory } from '../../../functions/check/delivery/pending-memory.ts';
import type { CheckLogger } from '../../../functions/check/logger.ts';
import { FAKE_AWS_REGION } from '../../support/aws-env.ts';
import { CloudWatchErrors, startFakeCloudWatch, type FakeCloudWatch } from '../../support/fake-cloudwatch.ts';
import { SnsErrors, startFakeSns, type FakeSns } from '../../support/fake-sns.ts';
import { startDynalite, type LocalDynamoDb } from '../../support/dynalite.ts';

const TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:docspace-backup-alerts';
const OPS = 'ops@acme.example';
const NEW = 'new@acme.example';
const PHONE = '+491701234567';
const NOW = new Date('2026-12-15T07:00:00Z');
const DAY_MS = 24 * 3_600_000;
const SMS_LOG_ROLE = 'arn:aws:iam::123456789012:role/SmsDeliveryStatus';
const CREDENTIALS = { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake-secret' };

interface Line {
  readonly level: string;
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

let sns: FakeSns;
let cloudWatch: FakeCloudWatch;
let snsClient: SNSClient;
let cloudWatchClient: CloudWatchClient;
let lines: Line[];
let logger: CheckLogger;

function config(alerts: Record<string, unknown> = { email: [OPS, NEW], sms: [PHONE] }): MonitorConfig {
  return parseConfig({ portals: [{ name: 'acme-prod', url: 'https://acme.onlyoffice.com', apiKey: { ssmParameter: '/docspace/acme-prod/api-key' } }], alerts });
}

function deps(overrides: Partial<DeliveryCheckDependencies> = {}): DeliveryCheckDependencies {
  return {
    clients: { sns: snsClient, cloudWatch: cloudWatchClient },
    notifier: new SnsNotifier({ topicArn: TOPIC_ARN, client: snsClient }),
    logger,
    ...overrides,
  };
}

/** The account as a fresh deploy leaves it: one address confirmed, one pending, texts in the sandbox, spend near the limit. */
function troubledAccount(): void {
  sns.subscribe(TOPIC_ARN, 'email', OPS);
  sns.subscribe(TOPIC_ARN, 'email', NEW, { confirmed: false });
  sns.subscribe(TOPIC_ARN, 'sms', PHONE);
  sns.smsAccount.attributes.MonthlySpendLimit = '1';
  sns.smsAccount.attributes.DeliveryStatusIAMRole = SMS_LOG_ROLE;
  cloudWatch.putDatapoints('AWS/SNS', 'SMSMonthToDateSpentUSD', [
    { timestamp: new Date('2026-12-14T09:10:00Z'), value: 0.62 },
    { timestamp: new Date('2026-12-15T06:20:00Z'), value: 0.87 },
  ]);
}

beforeEach(async () => {
  sns = await startFakeSns();
  cloudWatch = await startFakeCloudWatch();
  snsClient = new SNSClient({ endpoint: sns.endpoint, region: FAKE_AWS_REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  cloudWatchClient = new CloudWatchClient({ endpoint: cloudWatch.endpoint, region: FAKE_AWS_REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  lines = [];
  const at = (level: string) => (message: string, attributes?: Record<string, unknown>) => void lines.push({ level, message, attributes: attributes ?? {} });
  logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
});

afterEach(async () => {
  snsClient.destroy();
  cloudWatchClient.destroy();
  await sns.close();
  await cloudWatch.close();
});

describe('checkDeliveryPath', () => {
  it('reports an address pending for two days and an SMS spend near its limit, and e-mails one notice that no SMS filter lets through', async () => {
    // Prepare
    troubledAccount();
    const memory = new InMemoryPendingMemory(new Map([[`email:${NEW}`, new Date(NOW.getTime() - 2 * DAY_MS)]]));

    // Act
    const report = await checkDeliveryPath(deps({ memory }), config(), TOPIC_ARN, NOW);

    // Assess
    expect(report.checked).toBe(true);
    expect(report.findings.map((finding) => [finding.code, finding.endpoint])).toEqual([
      ['SUBSCRIPTION_PENDING', NEW],
      ['SMS_SPEND_NEAR_LIMIT', undefined],
    ]);
    expect(report.findings[1]!.message).toContain('USD 0.87 of the account\'s limit of USD 1.00 (87 %)');
    expect(report.subscriptions).toEqual([
      { protocol: 'email', endpoint: OPS, status: 'confirmed' },
      { protocol: 'email', endpoint: NEW, status: 'pending' },
      { protocol: 'sms', endpoint: PHONE, status: 'confirmed' },
    ]);
    expect(report.alerted).toBe(true);
    expect(sns.publishes).toHaveLength(1);
    const notice = sns.publishes[0]!;
    expect(notice.Subject).toBe('[DELIVERY] DocSpace backup monitor: 2 problems on the alert path');
    expect(notice.MessageAttributes).toMatchObject({ state: { StringValue: 'delivery' }, severity: { StringValue: 'warning' }, codes: { StringValue: 'SUBSCRIPTION_PENDING,SMS_SPEND_NEAR_LIMIT' } });
    const email = (JSON.parse(notice.Message!) as { email: string }).email;
    expect(email).toContain(`1. SUBSCRIPTION_PENDING (${NEW})`);
    expect(email).toContain(`  email ${NEW}: pending`);
    expect(email).toContain(`  email ${OPS}: live`);
    // The reads the issue names, and the sandbox list only when in the sandbox.
    expect(sns.callsOf('ListSubscriptionsByTopic').map((call) => call.form.TopicArn)).toEqual([TOPIC_ARN]);
    expect(sns.callsOf('GetSMSSandboxAccountStatus')).toHaveLength(1);
    expect(sns.callsOf('ListSMSSandboxPhoneNumbers')).toHaveLength(0);
    expect(sns.callsOf('GetSMSAttributes').map((call) => [call.form['attributes.member.1'], call.form['attributes.member.2']])).toEqual([['MonthlySpendLimit', 'DeliveryStatusIAMRole']]);
    expect(cloudWatch.requests).toEqual([
      {
        operation: 'GetMetricData',
        body: expect.objectContaining({
          StartTime: Date.UTC(2026, 11, 1) / 1000,
          EndTime: NOW.getTime() / 1000,
          MetricDataQueries: [expect.objectContaining({ MetricStat: { Metric: { Namespace: 'AWS/SNS', MetricName: 'SMSMonthToDateSpentUSD' }, Period: 3600, Stat: 'Maximum' } })],
        }),
      },
    ]);
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', message: 'delivery path has problems' })]);
    expect(lines[0]!.attributes.findings).toEqual([{ code: 'SUBSCRIPTION_PENDING', endpoint: NEW }, { code: 'SMS_SPEND_NEAR_LIMIT' }]);
  });

  it('reports a number not verified in the SMS sandbox, read from the sandbox list', async () => {
    // Prepare
    sns.subscribe(TOPIC_ARN, 'email', OPS);
    sns.subscribe(TOPIC_ARN, 'sms', PHONE);
    sns.smsAccount.inSandbox = true;
    sns.smsAccount.sandboxNumbers.set(PHONE, 'Pending');
    sns.smsAccount.attributes.DeliveryStatusIAMRole = SMS_LOG_ROLE;

    // Act
    const report = await checkDeliveryPath(deps(), config({ email: [OPS], sms: [PHONE] }), TOPIC_ARN, NOW);

    // Assess
    expect(report.findings.map((finding) => finding.code)).toEqual(['SMS_NUMBER_NOT_VERIFIED']);
    expect(report.subscriptions).toContainEqual({ protocol: 'sms', endpoint: PHONE, status: 'unverified' });
    expect(sns.callsOf('ListSMSSandboxPhoneNumbers')).toHaveLength(1);
  });

  it('reports that a failed text leaves no trace when the account has no SMS delivery status role', async () => {
    // Prepare
    troubledAccount();
    delete sns.smsAccount.attributes.DeliveryStatusIAMRole;
    sns.smsAccount.attributes.MonthlySpendLimit = '50';

    // Act
    const report = await checkDeliveryPath(deps(), config({ email: [OPS], sms: [PHONE] }), TOPIC_ARN, NOW);

    // Assess
    expect(report.findings.map((finding) => finding.code)).toEqual(['SMS_DELIVERY_LOGGING_OFF']);
    expect(report.findings[0]!.message).toContain('aws sns set-sms-attributes --attributes DeliveryStatusIAMRole=<SmsDeliveryStatusRoleArn>');
  });

  it('sends nothing and logs at info when the path is sound', async () => {
    // Prepare
    sns.subscribe(TOPIC_ARN, 'email', OPS);

    // Act
    const report = await checkDeliveryPath(deps(), config({ email: [OPS] }), TOPIC_ARN, NOW);

    // Assess
    expect(report).toEqual({ checked: true, notChecked: [], findings: [], subscriptions: [{ protocol: 'email', endpoint: OPS, status: 'confirmed' }], alerted: false });
    expect(sns.publishes).toHaveLength(0);
    // Nobody gets texts: the SMS state is not read.
    expect(sns.callsOf('GetSMSAttributes')).toHaveLength(0);
    expect(sns.callsOf('GetSMSSandboxAccountStatus')).toHaveLength(0);
    expect(cloudWatch.requests).toHaveLength(0);
    expect(lines).toEqual([expect.objectContaining({ level: 'info', message: 'delivery path checked' })]);
  });

  it('reports "not checked" without throwing when the reads are refused, and judges what it could read', async () => {
    // Prepare
    troubledAccount();
    sns.failAction('GetSMSAttributes', SnsErrors.authorization);
    cloudWatch.failCalls(CloudWatchErrors.accessDenied);

    // Act
    const report = await checkDeliveryPath(deps(), config(), TOPIC_ARN, NOW);

    // Assess
    expect(report.checked).toBe(false);
    expect(report.notChecked).toEqual(['GetSMSAttributes: AuthorizationError', 'GetMetricData: AccessDenied']);
    expect(report.findings).toEqual([]);
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', message: 'delivery path not checked' })]);
    expect(JSON.stringify(lines)).not.toContain('is not authorized');
  });

  it('reports "not checked" and sends nothing when the subscriptions cannot be listed', async () => {
    // Prepare
    sns.failAction('ListSubscriptionsByTopic', SnsErrors.internal);

    // Act
    const report = await checkDeliveryPath(deps(), config({ email: [OPS] }), TOPIC_ARN, NOW);

    // Assess
    expect(report).toEqual({ checked: false, notChecked: ['ListSubscriptionsByTopic: InternalError'], findings: [], subscriptions: [], alerted: false });
    expect(sns.publishes).toHaveLength(0);
  });

  it('logs a notice it could not publish, and returns', async () => {
    // Prepare
    sns.failPublish(SnsErrors.kmsAccessDenied);

    // Act
    const report = await checkDeliveryPath(deps(), config({ email: [OPS] }), TOPIC_ARN, NOW);

    // Assess
    expect(report.findings.map((finding) => finding.code)).toEqual(['SUBSCRIPTION_MISSING', 'NO_CONFIRMED_EMAIL']);
    expect(report.alerted).toBe(false);
    expect(lines.find((line) => line.level === 'error')).toEqual({
      level: 'error',
      message: 'delivery path notice not published',
      attributes: { error: `alert for portal delivery-path could not be published to ${TOPIC_ARN}: KMSAccessDenied` },
    });
  });

  it('reads this month\'s spend only: last month\'s figure on the 1st is not this month\'s', async () => {
    // Prepare
    troubledAccount();
    cloudWatch.putDatapoints('AWS/SNS', 'SMSMonthToDateSpentUSD', [{ timestamp: new Date('2026-11-30T23:50:00Z'), value: 0.99 }]);

    // Act
    const report = await checkDeliveryPath(deps(), config({ email: [OPS], sms: [PHONE] }), TOPIC_ARN, new Date('2026-12-01T00:30:00Z'));

    // Assess
    expect(report.findings).toEqual([]);
    expect(cloudWatch.requests[0]!.body.StartTime).toBe(Date.UTC(2026, 11, 1) / 1000);
  });
});

describe('DynamoDbPendingMemory', () => {
  let dynamodb: LocalDynamoDb;
  let tableName: string;
  let table = 0;

  beforeAll(async () => {
    dynamodb = await startDynalite();
  });

  afterAll(async () => {
    await dynamodb.close();
  });

  beforeEach(async () => {
    table += 1;
    tableName = await dynamodb.createStateTable(`delivery-${table}`);
  });

  it('remembers a new pending address on the first run and alerts on it a day later, from the state table', async () => {
    // Prepare
    troubledAccount();
    cloudWatch.failCalls(CloudWatchErrors.throttling);
    const memory = new DynamoDbPendingMemory({ tableName, client: dynamodb.client });

    // Act
    const first = await checkDeliveryPath(deps({ memory }), config(), TOPIC_ARN, NOW);
    const sameDay = await checkDeliveryPath(deps({ memory }), config(), TOPIC_ARN, new Date(NOW.getTime() + DAY_MS - 60_000));
    const nextDay = await checkDeliveryPath(deps({ memory }), config(), TOPIC_ARN, new Date(NOW.getTime() + DAY_MS));

    // Assess
    expect(first.findings).toEqual([]);
    expect(sameDay.findings).toEqual([]);
    expect(nextDay.findings.map((finding) => [finding.code, finding.endpoint])).toEqual([['SUBSCRIPTION_PENDING', NEW]]);
    expect(nextDay.findings[0]!.message).toContain(`since ${NOW.toISOString().replace('.000', '')}`);
    // One write: when the pending address was first seen; the next runs changed nothing.
    expect(await memory.load()).toEqual(new Map([[`email:${NEW}`, NOW]]));
  });

  it('forgets an address once it is confirmed', async () => {
    // Prepare
    troubledAccount();
    const memory = new DynamoDbPendingMemory({ tableName, client: dynamodb.client });
    await memory.save(new Map([[`email:${NEW}`, new Date(NOW.getTime() - 3 * DAY_MS)]]));
    sns.subscriptions.find((subscription) => subscription.endpoint === NEW)!.subscriptionArn = `${TOPIC_ARN}:confirmed`;

    // Act
    const report = await checkDeliveryPath(deps({ memory }), config(), TOPIC_ARN, NOW);

    // Assess
    expect(report.findings.map((finding) => finding.code)).toEqual(['SMS_SPEND_NEAR_LIMIT']);
    expect(await memory.load()).toEqual(new Map());
  });

  it('keeps its item under a key no portal name can take', () => {
    // Assess
    expect(() => config()).not.toThrow();
    expect(() => parseConfig({ portals: [{ name: DELIVERY_PATH_ITEM_KEY, url: 'https://a.example', apiKey: { env: 'K' } }] })).toThrow(/portals\[0\]\.name/);
  });

  it('neither alerts on nor overwrites what it cannot read', async () => {
    // Prepare
    troubledAccount();
    const memory = new DynamoDbPendingMemory({ tableName: 'no-such-table', client: dynamodb.client });
    const writesBefore = dynamodb.requests.filter((request) => request.operation === 'PutItem').length;

    // Act
    const report = await checkDeliveryPath(deps({ memory }), config(), TOPIC_ARN, NOW);

    // Assess
    expect(report.checked).toBe(true);
    expect(report.findings.map((finding) => finding.code)).toEqual(['SMS_SPEND_NEAR_LIMIT']);
    expect(lines).toContainEqual({ level: 'warn', message: 'delivery path: pending subscriptions not read', attributes: { error: 'ResourceNotFoundException' } });
    expect(dynamodb.requests.filter((request) => request.operation === 'PutItem')).toHaveLength(writesBefore);
  });
});
