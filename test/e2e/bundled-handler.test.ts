/**
 * The deployed artefact end to end: `npx cdk synth` as a user runs it (offline, no AWS
 * credentials), then the bundled handler taken from the cloud assembly, run the way Lambda runs
 * it: in its own process, on the runtime's Node.js version, with the environment the template
 * gives the function and nothing beside the bundle, against the simulated portals and local
 * SSM and SNS fakes (`AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL_SNS`). Only loopback traffic.
 * The bundle carries its AWS SDK clients, and the assembly lies in a temp folder outside the
 * project, so a module left out of the bundle by mistake fails the init here as on Lambda.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  deployedFunction,
  invokeBundled,
  lambdaEnvironment as lambdaEnvironmentOf,
  runtimeNode,
  RUNTIME,
  RUNTIME_NODE_MAJOR,
  scheduledEvent as scheduledEventOf,
  type DeployedFunction,
  type Invocation,
  type RuntimeNode,
} from '../support/bundled-lambda.ts';
import { cdkSynth, DEFAULT_SYNTH_KILL_AFTER_MS, readStackTemplate, stackArtifact, type CdkSynthResult, type CfnTemplate } from '../support/cdk-synth.ts';
import { fakeAwsChildEnvironment } from '../support/aws-env.ts';
import { runCli } from '../support/cli-process.ts';
import { startDynalite, type LocalDynamoDb } from '../support/dynalite.ts';
import { startFakeIdentityAndStacks } from '../support/fake-identity-and-stacks.ts';
import { startFakeSns, type FakeSns, type RecordedPublish } from '../support/fake-sns.ts';
import { startFakeSsm, type FakeSsm } from '../support/fake-ssm.ts';
import { startLocalS3, type LocalS3 } from '../support/local-s3.ts';
import { buildScenarios, scenarioConfig, type Scenario } from '../support/scenarios.ts';
import { startSimulatedPortals, type SimulatedPortals } from '../support/simulated-portal.ts';

/** Canary keys: none may ever show up in a log line, an alert, a result or an error. */
const keyOf = (name: string) => `sk-canary-${name}-7e3a1c9b5d2f4a60`;
const parameterOf = (name: string) => `/docspace/${name}/api-key`;

/** The severity attribute each status goes with (the UNKNOWN scenarios are a 401 and a 402: a person must act). */
const SEVERITY_OF = { WARNING: 'warning', CRITICAL: 'critical', UNKNOWN: 'critical' } as const;

let scenarios: readonly Scenario[];
let portals: SimulatedPortals;
/** Holds the config, the cloud assembly (`cdk.out`) and the stand-in for the runtime's modules. */
let workDir: string;
let outdir: string;
let synth: CdkSynthResult;
let template: CfnTemplate;
let deployed: DeployedFunction;
let node: RuntimeNode;
let ssm: FakeSsm;
let sns: FakeSns;
let dynamodb: LocalDynamoDb;
let s3: LocalS3;
/** How many requests dynalite had when the test started (creating the table makes some). */
let dynamoDbRequestsBefore: number;

/** The environment Lambda gives the function, with this test's fakes. */
function lambdaEnvironment(): NodeJS.ProcessEnv {
  return lambdaEnvironmentOf(deployed, node, { ssm: ssm.endpoint, sns: sns.endpoint, dynamodb: dynamodb.endpoint, s3: s3.endpoint });
}

/** Runs the bundle once, as Lambda would, with `event`. */
function invoke(event: unknown): Promise<Invocation> {
  return invokeBundled(deployed, node, lambdaEnvironment(), event);
}

/** The scheduler's event for a run, from the template's schedule that targets the function. */
function scheduledEvent(scheduledTime: string): unknown {
  return scheduledEventOf(template, deployed, scheduledTime);
}

/** Everything the invocation let out: both streams, what reached SNS, the outcome. */
function expectNoSecrets(invocation: Invocation): void {
  for (const text of [invocation.stdout, invocation.stderr, ...sns.requests.map((request) => JSON.stringify(request.form))]) {
    for (const scenario of scenarios) expect(text).not.toContain(keyOf(scenario.name));
    expect(text).not.toContain('Bearer');
  }
}

/** The invocation ran on the runtime's Node.js (or the announced stand-in). */
function expectRuntimeNode(invocation: Invocation): void {
  expect(invocation.outcome.node).toBe(node.version);
  if (!node.fallback) expect(invocation.outcome.node).toMatch(new RegExp(`^v${RUNTIME_NODE_MAJOR}\\.`));
}

function notOk(): Scenario[] {
  return scenarios.filter((scenario) => scenario.expectedStatus !== 'OK');
}

function publishOf(portal: string): RecordedPublish | undefined {
  return sns.publishes.find((publish) => publish.MessageAttributes.portal?.StringValue === portal);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

beforeAll(async () => {
  // Built from the real now: the bundle judges at its own `new Date()`, seconds later (the
  // scenarios leave 20 minutes of slack). Latency only matters to the demo: the slow portal stays out.
  scenarios = buildScenarios(new Date(), keyOf).filter((scenario) => scenario.portal.latencyMs === undefined);
  portals = await startSimulatedPortals(Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.portal])));

  // The scenarios' config as a deployment takes it: every key in SSM, someone to mail.
  const config = scenarioConfig(scenarios, portals.urlOf) as { portals: Record<string, unknown>[] };
  workDir = mkdtempSync(join(tmpdir(), 'bundled-handler-'));
  const configPath = join(workDir, 'monitor.config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      ...config,
      portals: config.portals.map((portal) => ({ ...portal, apiKey: { ssmParameter: parameterOf(portal.name as string) } })),
      alerts: { email: ['ops@example.com'] },
    }),
  );
  outdir = join(workDir, 'cdk.out');

  // One synth for the file; the runtime's node is fetched meanwhile.
  [synth, node] = await Promise.all([cdkSynth({ configPath, outdir }), runtimeNode(RUNTIME_NODE_MAJOR)]);
  if (synth.code !== 0) return;
  template = readStackTemplate(outdir);
  deployed = deployedFunction(template, outdir);
  // Beyond the synth's own kill timer: a busy 2-core machine can take minutes to synthesize.
}, DEFAULT_SYNTH_KILL_AFTER_MS + 60_000);

afterAll(async () => {
  await portals?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Skips a test that needs the assembly when synth failed; the synth test reports why. */
function skipWithoutAssembly(context: { skip: (note?: string) => never }): void {
  if (synth?.code !== 0) context.skip(`cdk synth failed (exit ${synth?.code}): see "synthesizes the app offline…"`);
}

describe('cdk synth', () => {
  it('synthesizes the app offline, without AWS credentials, with no warning and no stack trace', () => {
    // Prepare
    const output = `${synth.stdout}\n${synth.stderr}`;

    // Act (the synth itself ran once, in beforeAll)
    const exitCode = synth.code;

    // Assess
    expect(exitCode, output).toBe(0);
    expect(output).not.toMatch(/^\s+at (?:.+[ (])?\S+:\d+:\d+\)?$/m);
    // The CLI prints annotations as `WARNING <message>` (older versions: `[Warning at <path>]`).
    expect(output).not.toMatch(/^\s*\[?(warning|error)\b/im);
    // Environment-agnostic: the CLI's us-east-1 fallback for a missing region is not baked into the stack.
    expect(stackArtifact(outdir).environment).toBe('aws://unknown-account/unknown-region');
  });
});

describe('the synthesized function', () => {
  beforeEach(skipWithoutAssembly);

  it(`deploys the handler on ${RUNTIME}, arm64, as an ESM bundle in its own asset`, () => {
    // Prepare
    const properties = deployed.resource.Properties!;

    // Act
    const entry = join(deployed.taskRoot, `${deployed.handler.split('.')[0]}.mjs`);

    // Assess
    expect(properties.Runtime).toBe(RUNTIME);
    expect(properties.Architectures).toEqual(['arm64']);
    expect(deployed.handler).toBe('index.handler');
    expect(existsSync(entry)).toBe(true);
    expect(Object.keys(deployed.environment)).toEqual(expect.arrayContaining(['ALERT_TOPIC_ARN', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME']));
  });
});

describe('bundled handler', () => {
  beforeEach(async (context) => {
    skipWithoutAssembly(context);
    ssm = await startFakeSsm();
    sns = await startFakeSns();
    // The topic as the deploy leaves it once ops confirmed: the delivery-path check finds nothing to report.
    sns.subscribe(deployed.environment.ALERT_TOPIC_ARN!, 'email', 'ops@example.com');
    for (const scenario of scenarios) ssm.putParameter(parameterOf(scenario.name), keyOf(scenario.name));
    // A fresh, empty state table per test: each run is the first one.
    dynamodb = await startDynalite();
    // The run's report goes to the archive bucket: a local S3 with the bucket the template names.
    s3 = await startLocalS3();
    await s3.createBucket(deployed.environment.REPORT_BUCKET_NAME!);
    if (deployed.environment.STATE_TABLE_NAME !== undefined) await dynamodb.createStateTable(deployed.environment.STATE_TABLE_NAME);
    dynamoDbRequestsBefore = dynamodb.requests.length;
    portals.requests.length = 0;
  });

  afterEach(async () => {
    await ssm?.close();
    await sns?.close();
    await dynamodb?.close();
    await s3?.close();
  });

  it.each([
    // What EventBridge Scheduler sends: the template's schedule input, its time filled in.
    ['on a scheduled run', () => scheduledEvent(new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'))],
    ['on an invocation without payload ({})', () => ({})],
  ])('publishes exactly one alert per portal that is not OK, and none for OK portals, %s', async (_, eventOf) => {
    // Prepare
    const event = eventOf();

    // Act
    const invocation = await invoke(event);

    // Assess
    expectRuntimeNode(invocation);
    expect(invocation.outcome, invocation.stderr).toEqual({
      lambdaRunner: 'result',
      node: node.version,
      result: {
        status: 'CRITICAL',
        portals: scenarios.length,
        alertsSent: notOk().length,
        statuses: Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.expectedStatus])),
      },
    });
    expect(invocation.exitCode).toBe(0);
    // One Publish per portal that is not OK, to the topic the template names.
    expect(sns.publishes.map((publish) => publish.MessageAttributes.portal?.StringValue).sort()).toEqual(notOk().map((scenario) => scenario.name).sort());
    for (const scenario of notOk()) {
      const publish = publishOf(scenario.name)!;
      const status = scenario.expectedStatus as keyof typeof SEVERITY_OF;
      const labels = scenario.expectedCodes.map(escapeRegExp).join('|');
      const more = scenario.expectedCodes.length > 1 ? ` \\(\\+${scenario.expectedCodes.length - 1} more\\)` : '';
      expect(publish.delivered).toBe(true);
      expect(publish.TopicArn).toBe(deployed.environment.ALERT_TOPIC_ARN);
      expect(publish.Subject).toMatch(new RegExp(`^\\[${status}\\] DocSpace backup ${escapeRegExp(scenario.name)}: (${labels})( [A-Z_]+)?${more}$`));
      expect(publish.MessageStructure).toBe('json');
      // The attributes subscriptions filter on (the SMS filter policy matches `severity`).
      expect(publish.MessageAttributes).toMatchObject({
        severity: { DataType: 'String', StringValue: SEVERITY_OF[status] },
        status: { DataType: 'String', StringValue: status },
        portal: { DataType: 'String', StringValue: scenario.name },
        codes: { DataType: 'String', StringValue: expect.any(String) },
      });
      expect(new Set(publish.MessageAttributes.codes!.StringValue!.split(','))).toEqual(new Set(scenario.expectedCodes));
      const message = JSON.parse(publish.Message!) as Record<string, string>;
      expect(Object.keys(message).sort()).toEqual(['default', 'email', 'sms']);
      expect(JSON.parse(message.default!)).toMatchObject({ name: scenario.name, status });
      expect(message.email).toContain(scenario.name);
    }
    // The keys came from SSM in one batched, decrypted GetParameters call…
    expect(ssm.requests.map((request) => request.operation)).toEqual(['GetParameters']);
    expect(ssm.requests[0]!.body.WithDecryption).toBe(true);
    expect((ssm.requests[0]!.body.Names as string[]).slice().sort()).toEqual(scenarios.map((scenario) => parameterOf(scenario.name)).sort());
    // …and each went to its own portal only.
    expect(new Set(portals.requests.map((request) => request.portal))).toEqual(new Set(scenarios.map((scenario) => scenario.name)));
    for (const request of portals.requests) expect(request.headers.authorization).toBe(`Bearer ${keyOf(request.portal!)}`);
    // The template's environment reached the bundle: the service name on every log line, the namespace on every metric.
    const logs = invocation.lines.filter((line) => !('_aws' in line));
    const emf = invocation.lines.filter((line) => '_aws' in line) as { _aws: { CloudWatchMetrics: { Namespace: string }[] } }[];
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(line.service).toBe(deployed.environment.POWERTOOLS_SERVICE_NAME);
    expect(logs.find((line) => line.message === 'check finished')).toMatchObject({ function_name: deployed.functionName, alertsSent: notOk().length });
    expect(emf.length).toBeGreaterThan(0);
    for (const document of emf) for (const metrics of document._aws.CloudWatchMetrics) expect(metrics.Namespace).toBe(deployed.environment.POWERTOOLS_METRICS_NAMESPACE);
    expectNoSecrets(invocation);
  });

  it('publishes one clearly marked test alert for {"action": "test-alert"}, and checks no portal', async () => {
    // Prepare
    const event = { action: 'test-alert' };

    // Act
    const invocation = await invoke(event);

    // Assess
    expectRuntimeNode(invocation);
    expect(invocation.outcome, invocation.stderr).toEqual({
      lambdaRunner: 'result',
      node: node.version,
      result: {
        status: 'TEST',
        portals: 0,
        alertsSent: 1,
        statuses: {},
        // The delivery path, read by the bundled SNS client: which subscriptions are live.
        subscriptions: [{ protocol: 'email', endpoint: 'ops@example.com', status: 'confirmed' }],
        deliveryPath: { problems: [], notChecked: [] },
      },
    });
    expect(sns.publishes).toHaveLength(1);
    const [publish] = sns.publishes;
    expect(publish).toMatchObject({
      delivered: true,
      TopicArn: deployed.environment.ALERT_TOPIC_ARN,
      Subject: '[TEST] DocSpace backup monitor: test alert, no action needed',
      MessageStructure: 'json',
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'critical' },
        status: { DataType: 'String', StringValue: 'TEST' },
        portal: { DataType: 'String', StringValue: 'test-alert' },
        codes: { DataType: 'String', StringValue: 'TEST' },
      },
    });
    const message = JSON.parse(publish!.Message!) as Record<string, string>;
    expect(Object.keys(message).sort()).toEqual(['default', 'email', 'sms']);
    expect(JSON.parse(message.default!)).toMatchObject({ test: true });
    expect(ssm.requests).toEqual([]);
    expect(portals.requests).toEqual([]);
    expectNoSecrets(invocation);
  });

  it('holds back the alert of a portal silenced with the CLI and the reminder of one acknowledged with it, on the next runs, without a deploy', async () => {
    // Prepare: what an operator runs against the deployed table, as their AWS identity.
    const table = deployed.environment.STATE_TABLE_NAME!;
    const identity = await startFakeIdentityAndStacks();
    const operatorEnv = fakeAwsChildEnvironment({ AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint, AWS_ENDPOINT_URL_STS: identity.endpoint });
    const critical = notOk().filter((scenario) => scenario.expectedStatus === 'CRITICAL');
    const [silenced, acknowledged] = [critical[0]!.name, critical[1]!.name];
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const [firstRun, secondRun] = [hour - 2 * 3_600_000, hour - 3_600_000].map((time) => new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'));

    try {
      // Act
      const added = await runCli(['silence', 'add', '--portal', silenced, '--for', '4h', '--reason', 'restoring from the old account', '--table', table], { env: operatorEnv });
      const first = await invoke(scheduledEvent(firstRun!));
      const afterFirst = sns.publishes.length;
      const acked = await runCli(['ack', '--portal', acknowledged, '--reason', 'vendor ticket 4711', '--table', table], { env: operatorEnv });
      const second = await invoke(scheduledEvent(secondRun!));

      // Assess
      expect(added.code, added.stderr).toBe(0);
      expect(acked.code, acked.stderr).toBe(0);
      expect(first.outcome, first.stderr).toMatchObject({ lambdaRunner: 'result', result: { alertsSent: notOk().length - 1 } });
      const firstPortals = sns.publishes.slice(0, afterFirst).map((publish) => publish.MessageAttributes.portal?.StringValue);
      expect(firstPortals.sort()).toEqual(notOk().map((scenario) => scenario.name).filter((name) => name !== silenced).sort());
      // The second run reminds every critical portal but the silenced and the acknowledged ones.
      const secondPortals = sns.publishes.slice(afterFirst).map((publish) => [publish.MessageAttributes.portal?.StringValue, publish.MessageAttributes.state?.StringValue]);
      expect(second.outcome, second.stderr).toMatchObject({ lambdaRunner: 'result' });
      expect(secondPortals).not.toContainEqual([silenced, expect.anything()]);
      expect(secondPortals).not.toContainEqual([acknowledged, expect.anything()]);
      expect(secondPortals).toContainEqual([critical[2]!.name, 'reminder']);
      // Both changes name who made them: the caller's AWS identity.
      expect(added.stdout).toContain(`by ${identity.callerArn}: restoring from the old account`);
      expect(acked.stdout).toContain(`by ${identity.callerArn}: vendor ticket 4711`);
      expectNoSecrets(first);
      expectNoSecrets(second);
    } finally {
      await identity.close();
    }
  }, 120_000);

  it('fails an event that names a URL, before any SSM, SNS, DynamoDB or portal traffic', async () => {
    // Prepare
    const event = { url: 'https://evil.example/' };

    // Act
    const invocation = await invoke(event);

    // Assess
    expectRuntimeNode(invocation);
    expect(invocation.exitCode).toBe(1);
    expect(invocation.outcome).toMatchObject({ lambdaRunner: 'error', phase: 'invoke', errorType: 'CheckEventError' });
    const { errorMessage } = invocation.outcome as { errorMessage: string };
    expect(errorMessage).toMatch(/^unsupported event: "url": unknown key; accepted events: /);
    expect(errorMessage).not.toContain('evil.example');
    expect(ssm.requests).toEqual([]);
    expect(sns.requests).toEqual([]);
    expect(dynamodb.requests.slice(dynamoDbRequestsBefore)).toEqual([]);
    expect(portals.requests).toEqual([]);
    expectNoSecrets(invocation);
  });
});
