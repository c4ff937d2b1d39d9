/**
 * The Lambda handler with its memory: the real module with `STATE_TABLE_NAME` set, so it keeps
 * each portal's state in DynamoDB (dynalite on loopback, reached through
 * `AWS_ENDPOINT_URL_DYNAMODB`), reads keys from the fake SSM and publishes to the fake SNS. The
 * portals are simulated over real HTTP and switched between invocations: a portal that breaks,
 * stays broken and recovers must publish exactly one firing alert, the configured reminders and
 * one resolved notice; a second delivery of a run must publish nothing; a Lambda retry after a
 * refused Publish must send only what was not delivered.
 */
import { GetItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckSummary, InvocationContext } from '../../functions/check/handler.ts';
import { useFakeAwsEnvironment } from '../support/aws-env.ts';
import { startDynalite, type LocalDynamoDb } from '../support/dynalite.ts';
import { SnsErrors, startFakeSns, type FakeSns, type RecordedPublish } from '../support/fake-sns.ts';
import { startFakeSsm, type FakeSsm } from '../support/fake-ssm.ts';
import { buildScenarios, SCENARIO_POLICY } from '../support/scenarios.ts';
import { startSimulatedPortals, type SimulatedPortals } from '../support/simulated-portal.ts';
import { capturePowertoolsOutput, type PowertoolsOutput } from '../support/powertools-output.ts';
import { DynamoDbSilenceStore } from '../../functions/check/silences/dynamodb-silence-store.ts';

const TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:docspace-backup-alerts';
const PORTALS = ['acme', 'beta'] as const;

type PortalName = (typeof PORTALS)[number];
type Behaviour = 'compliant' | 'overdue';
type Handler = (event: unknown, context?: InvocationContext) => Promise<CheckSummary>;

/** Canary keys: the simulated portal registers them, and the suite's guard fails any test that prints one. */
const keyOf = (name: string) => `sk-canary-${name}-9b3e1f0a7c2d4e58`;
const parameterOf = (name: string) => `/docspace/${name}/api-key`;

/**
 * The Scheduler's `scheduledTime` of the nth run. The handler reads the real clock and believes a
 * scheduled time only within the last day (see runKeyOf), so the runs are an hour apart, ending now.
 */
const RUNS_START = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 12 * 3_600_000;
const scheduledTime = (run: number) => new Date(RUNS_START + run * 3_600_000).toISOString();

let portals: SimulatedPortals;
let dynamodb: LocalDynamoDb;
let ssm: FakeSsm;
let sns: FakeSns;
let restoreAws: () => void;
let tableName: string;
let tables = 0;
let output: PowertoolsOutput;

beforeAll(async () => {
  portals = await startSimulatedPortals({});
  dynamodb = await startDynalite();
});

afterAll(async () => {
  await portals.close();
  await dynamodb.close();
});

beforeEach(async () => {
  ssm = await startFakeSsm();
  sns = await startFakeSns();
  restoreAws = useFakeAwsEnvironment({ ssm: ssm.endpoint, sns: sns.endpoint });
  for (const name of PORTALS) ssm.putParameter(parameterOf(name), keyOf(name));
  tables += 1;
  tableName = await dynamodb.createStateTable(`docspace-backup-state-${tables}`);
  serve({ acme: 'compliant', beta: 'compliant' });

  deployConfig({});
  vi.stubEnv('ALERT_TOPIC_ARN', TOPIC_ARN);
  vi.stubEnv('STATE_TABLE_NAME', tableName);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamodb.endpoint);
  // Powertools writes logs and EMF through its own Console on process.stdout/stderr.
  output = capturePowertoolsOutput({ service: 'docspace-backup-monitor-test', namespace: 'DocSpaceBackupMonitorTest' });
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  restoreAws();
  await ssm.close();
  await sns.close();
});

/** The deployed config: both portals, keys in SSM, and `extra` (notifications, silences…). */
function deployConfig(extra: Record<string, unknown>): void {
  const config = {
    portals: PORTALS.map((name) => ({ name, url: portals.urlOf(name), apiKey: { ssmParameter: parameterOf(name) } })),
    policy: SCENARIO_POLICY,
    ...extra,
  };
  vi.stubEnv('MONITOR_CONFIG_JSON', JSON.stringify(config));
}

/** Serves each portal as the named scenario, as of the real now (the handler judges at its own clock). */
function serve(behaviours: Readonly<Record<PortalName, Behaviour>>): void {
  const scenarios = buildScenarios(new Date(), keyOf);
  for (const [name, behaviour] of Object.entries(behaviours)) {
    const { portal } = scenarios.find((scenario) => scenario.name === behaviour)!;
    portals.setPortal(name, { ...portal, apiKey: keyOf(name) });
  }
}

/** A fresh copy of the handler module (a cold container), initialised from the current environment. */
async function loadHandler(): Promise<Handler> {
  vi.resetModules();
  const module = await import('../../functions/check/handler.ts');
  return module.handler;
}

function lambdaContext(awsRequestId: string): InvocationContext {
  return {
    awsRequestId,
    functionName: 'docspace-backup-monitor-check',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:docspace-backup-monitor-check',
    memoryLimitInMB: '256',
  };
}

/** The Publishes one invocation made. */
async function publishesOf(invocation: () => Promise<unknown>): Promise<RecordedPublish[]> {
  const before = sns.publishes.length;
  await invocation();
  return sns.publishes.slice(before);
}

function attribute(publish: RecordedPublish, name: string): string | undefined {
  return publish.MessageAttributes[name]?.StringValue;
}

/** A portal's item in the state table, as plain values. */
async function itemOf(portal: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await dynamodb.client.send(new GetItemCommand({ TableName: tableName, Key: { portal: { S: portal } }, ConsistentRead: true }));
  return Item === undefined ? undefined : plain(Item);
}

function plain(item: Record<string, AttributeValue>): Record<string, unknown> {
  const value = (attribute: AttributeValue): unknown => attribute.S ?? (attribute.N === undefined ? attribute.L?.map(value) : Number(attribute.N));
  return Object.fromEntries(Object.entries(item).map(([name, attribute]) => [name, value(attribute)]));
}

async function allItems(): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await dynamodb.client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
  return Items.map(plain).sort((a, b) => String(a.portal).localeCompare(String(b.portal)));
}

async function invocationError(invocation: Promise<unknown>): Promise<Error> {
  try {
    await invocation;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the invocation to fail');
}

describe('handler with STATE_TABLE_NAME', () => {
  it('publishes one firing alert, the configured reminder and one resolved notice, each with its state attribute, over scheduled runs', async () => {
    // Prepare
    deployConfig({ notifications: { remindEveryRuns: { critical: 2 } } });
    const handler = await loadHandler();
    const days: Behaviour[] = ['compliant', 'overdue', 'overdue', 'overdue', 'overdue', 'compliant', 'compliant'];

    // Act
    const published: (string | undefined)[][] = [];
    const items: (Record<string, unknown> | undefined)[] = [];
    for (const [day, behaviour] of days.entries()) {
      serve({ acme: behaviour, beta: 'compliant' });
      const publishes = await publishesOf(() => handler({ scheduledTime: scheduledTime(day) }));
      published.push(publishes.map((publish) => `${attribute(publish, 'portal')}:${attribute(publish, 'state')}`));
      items.push(await itemOf('acme'));
    }

    // Assess
    expect(published).toEqual([[], ['acme:firing'], [], ['acme:reminder'], [], ['acme:resolved'], []]);
    const [firing, reminder, resolved] = sns.publishes;
    expect(sns.publishes.every((publish) => publish.delivered && publish.TopicArn === TOPIC_ARN)).toBe(true);
    expect(firing!.MessageAttributes).toMatchObject({ state: { DataType: 'String', StringValue: 'firing' }, status: { StringValue: 'CRITICAL' }, severity: { StringValue: 'critical' } });
    expect(firing!.Subject).toMatch(/^\[CRITICAL\] DocSpace backup acme: /);
    expect(reminder!.MessageAttributes).toMatchObject({ state: { StringValue: 'reminder' }, status: { StringValue: 'CRITICAL' } });
    expect(JSON.parse(reminder!.Message!).email).toContain('Reminder: DocSpace portal acme');
    expect(resolved!.MessageAttributes).toMatchObject({
      state: { StringValue: 'resolved' },
      status: { StringValue: 'OK' },
      severity: { StringValue: 'critical' },
      codes: { StringValue: 'ARCHIVE_MISSING,BACKUP_OVERDUE' },
    });
    // What the table held after each run.
    expect(items.map((item) => [item?.status, item?.notifiedStatus, item?.runsSinceNotice, item?.lastRunKey])).toEqual([
      ['OK', 'OK', 0, scheduledTime(0)],
      ['CRITICAL', 'CRITICAL', 0, scheduledTime(1)],
      ['CRITICAL', 'CRITICAL', 1, scheduledTime(2)],
      ['CRITICAL', 'CRITICAL', 0, scheduledTime(3)],
      ['CRITICAL', 'CRITICAL', 1, scheduledTime(4)],
      ['OK', 'OK', 0, scheduledTime(5)],
      ['OK', 'OK', 1, scheduledTime(6)],
    ]);
    expect(items[1]).toMatchObject({ codes: ['ARCHIVE_MISSING', 'BACKUP_OVERDUE'], notifiedCodes: ['ARCHIVE_MISSING', 'BACKUP_OVERDUE'], notifiedSeverity: 'critical' });
    expect(items[6]).toMatchObject({ codes: [], notifiedCodes: [] });
    expect(await itemOf('beta')).toMatchObject({ portal: 'beta', status: 'OK', codes: [], lastRunKey: scheduledTime(6) });
  });

  it('publishes once when the Scheduler delivers the same scheduledTime twice, even to another container', async () => {
    // Prepare
    serve({ acme: 'overdue', beta: 'compliant' });
    const first = await loadHandler();
    const firstSummary = await first({ scheduledTime: scheduledTime(0) });
    const remembered = await allItems();
    const second = await loadHandler();

    // Act
    const secondSummary = await second({ scheduledTime: scheduledTime(0) });

    // Assess
    expect(firstSummary.alertsSent).toBe(1);
    expect(secondSummary).toMatchObject({ status: 'CRITICAL', alertsSent: 0, portals: 2 });
    expect(sns.publishes.map((publish) => `${attribute(publish, 'portal')}:${attribute(publish, 'state')}`)).toEqual(['acme:firing']);
    expect(await allItems()).toEqual(remembered);
    expect(remembered.map((item) => [item.portal, item.status, item.lastRunKey])).toEqual([
      ['acme', 'CRITICAL', scheduledTime(0)],
      ['beta', 'OK', scheduledTime(0)],
    ]);
    const duplicates = [...output.stdout, ...output.stderr].join('').split('\n').filter((line) => line.includes('run already handled for this portal'));
    expect(duplicates.map((line) => (JSON.parse(line) as { portal: string }).portal).sort()).toEqual(['acme', 'beta']);
  });

  it('fails when SNS refuses one portal, and a Lambda retry of the same request publishes only that portal\'s alert', async () => {
    // Prepare
    serve({ acme: 'overdue', beta: 'overdue' });
    sns.failPublish(SnsErrors.authorization, { times: 1 });
    const handler = await loadHandler();
    const context = lambdaContext('8f14e45f-ceea-467f-a8f0-2c1b6a3d9e7b');
    const error = await invocationError(handler({}, context));
    const refused = sns.publishes.find((publish) => !publish.delivered)!;
    const refusedPortal = attribute(refused, 'portal')!;
    const deliveredPortal = PORTALS.find((name) => name !== refusedPortal)!;
    const refusedItemAfterFailure = await itemOf(refusedPortal);

    // Act
    const retried = await publishesOf(() => handler({}, context));

    // Assess
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.message).toContain(`alert for portal ${refusedPortal} could not be published to ${TOPIC_ARN}: AuthorizationError`);
    expect(sns.publishes.slice(0, 2).map((publish) => [attribute(publish, 'portal'), publish.delivered]).sort()).toEqual(
      [
        [deliveredPortal, true],
        [refusedPortal, false],
      ].sort(),
    );
    // A first run had nothing to put back: the refused portal's claim was deleted.
    expect(refusedItemAfterFailure).toBeUndefined();
    expect(retried.map((publish) => [attribute(publish, 'portal'), attribute(publish, 'state'), publish.delivered])).toEqual([[refusedPortal, 'firing', true]]);
    expect(await itemOf(refusedPortal)).toMatchObject({ status: 'CRITICAL', notifiedStatus: 'CRITICAL', lastRunKey: context.awsRequestId });
    expect(await itemOf(deliveredPortal)).toMatchObject({ status: 'CRITICAL', lastRunKey: context.awsRequestId });
  });

  it('publishes one digest listing every portal for {"action": "digest"}, neither alerts nor changes a portal\'s state, and remembers the digest run', async () => {
    // Prepare
    serve({ acme: 'overdue', beta: 'compliant' });
    const handler = await loadHandler();
    await handler({ scheduledTime: scheduledTime(0) });
    const remembered = await allItems();

    // Act
    const publishes = await publishesOf(() => handler({ action: 'digest', scheduledTime: scheduledTime(1) }));

    // Assess
    expect(publishes).toHaveLength(1);
    const digest = publishes[0]!;
    expect(digest.delivered).toBe(true);
    expect(digest.MessageAttributes).toMatchObject({ state: { StringValue: 'digest' }, portal: { StringValue: '*' }, status: { StringValue: 'CRITICAL' } });
    const json = JSON.parse(JSON.parse(digest.Message!).default as string) as { state: string; portals: { name: string; status: string }[] };
    expect(json.state).toBe('digest');
    expect(json.portals.map((portal) => [portal.name, portal.status])).toEqual([
      ['acme', 'CRITICAL'],
      ['beta', 'OK'],
    ]);
    const items = await allItems();
    expect(items.filter((item) => item.portal !== '#digest')).toEqual(remembered);
    expect(await itemOf('#digest')).toMatchObject({ status: 'CRITICAL', lastRunKey: scheduledTime(1) });
  });

  it('reads the silences and acknowledgements in the table on every run, without a new deploy, and names them in the digest', async () => {
    // Prepare: both portals broken and alerted once; then someone silences acme and acknowledges beta.
    serve({ acme: 'overdue', beta: 'overdue' });
    const handler = await loadHandler();
    await handler({ scheduledTime: scheduledTime(0) });
    const store = new DynamoDbSilenceStore({ tableName, client: dynamodb.client });
    const now = new Date();
    await store.addSilence(
      { id: 's-1a2b3c4d', portal: 'acme', until: new Date(now.getTime() + 4 * 3_600_000).toISOString(), reason: 'restoring the bucket', createdBy: 'alice', createdAt: now.toISOString() },
      now,
    );
    await store.acknowledge('beta', 'bob', 'vendor ticket 4711', now);

    // Act: the same warm function (the config built in is unchanged), then the digest.
    const next = await publishesOf(() => handler({ scheduledTime: scheduledTime(1) }));
    const digests = await publishesOf(() => handler({ action: 'digest', scheduledTime: scheduledTime(1) }));

    // Assess: a critical portal is reminded every run by default; neither is now.
    expect(next).toEqual([]);
    expect(await itemOf('beta')).toHaveProperty('lastRunKey', scheduledTime(1));
    const digest = JSON.parse(JSON.parse(digests[0]!.Message!).default as string) as { portals: { name: string; silenced?: unknown[]; acknowledged?: unknown }[] };
    const acme = digest.portals.find((portal) => portal.name === 'acme')!;
    const beta = digest.portals.find((portal) => portal.name === 'beta')!;
    expect(acme.silenced).toEqual(expect.arrayContaining([expect.objectContaining({ id: 's-1a2b3c4d', by: 'alice', reason: 'restoring the bucket' })]));
    expect(beta.acknowledged).toMatchObject({ status: 'CRITICAL', by: 'bob', reason: 'vendor ticket 4711' });
    expect(JSON.parse(digests[0]!.Message!).email).toContain('acknowledged by bob');
  });
});
