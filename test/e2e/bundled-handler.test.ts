/**
 * The deployed artefact end to end: `npx cdk synth` as a user runs it (offline, no AWS
 * credentials), then the bundled handler taken from the cloud assembly, run the way Lambda runs
 * it: in its own process, on the runtime's Node.js version, with the environment the template
 * gives the function and nothing beside the bundle, against the simulated portals and local
 * SSM and SNS fakes (`AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL_SNS`). Only loopback traffic.
 * The bundle carries its AWS SDK clients, and the assembly lies in a temp folder outside the
 * project, so a module left out of the bundle by mistake fails the init here as on Lambda.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_AWS_REGION } from '../support/aws-env.ts';
import {
  cdkSynth,
  functionAssetDirectory,
  PROJECT_ROOT,
  readStackTemplate,
  resourcesOfType,
  stackArtifact,
  STACK_NAME,
  type CdkSynthResult,
  type CfnResource,
  type CfnTemplate,
} from '../support/cdk-synth.ts';
import { startDynalite, type LocalDynamoDb } from '../support/dynalite.ts';
import { startFakeSns, type FakeSns, type RecordedPublish } from '../support/fake-sns.ts';
import { startFakeSsm, type FakeSsm } from '../support/fake-ssm.ts';
import { buildScenarios, scenarioConfig, type Scenario } from '../support/scenarios.ts';
import { startSimulatedPortals, type SimulatedPortals } from '../support/simulated-portal.ts';

const execFileAsync = promisify(execFile);

/** The Lambda runtime the function must be deployed on, and the Node.js major it stands for. */
const RUNTIME = 'nodejs24.x';
const RUNTIME_NODE_MAJOR = Number(/^nodejs(\d+)\.x$/.exec(RUNTIME)![1]);
/** How long `npx -y -p node@24` may take to answer (the first run downloads ~190 MB). */
const NODE_PROBE_KILL_AFTER_MS = 60_000;
/** How long one bundled invocation may take before its process is killed. */
const INVOKE_KILL_AFTER_MS = 30_000;
const RUNNER = fileURLToPath(new URL('../support/lambda-runner.mjs', import.meta.url));

const FAKE_ACCOUNT = '123456789012';
/** A loopback port nothing listens on, for every AWS service without a fake. */
const NOWHERE = 'http://127.0.0.1:9';

/** Canary keys: none may ever show up in a log line, an alert, a result or an error. */
const keyOf = (name: string) => `sk-canary-${name}-7e3a1c9b5d2f4a60`;
const parameterOf = (name: string) => `/docspace/${name}/api-key`;

/** The severity attribute each status goes with (the UNKNOWN scenarios are a 401 and a 402: a person must act). */
const SEVERITY_OF = { WARNING: 'warning', CRITICAL: 'critical', UNKNOWN: 'critical' } as const;

/** The Node.js the bundle runs on. */
interface RuntimeNode {
  readonly execPath: string;
  readonly version: string;
  /** `true` when the runtime's version was not available and this machine's node stands in. */
  readonly fallback: boolean;
}

/** The function as the template deploys it. */
interface DeployedFunction {
  readonly logicalId: string;
  readonly resource: CfnResource;
  /** The name CloudFormation would generate (the template sets none). */
  readonly functionName: string;
  /** The bundled code: what Lambda unpacks into `/var/task`. */
  readonly taskRoot: string;
  /** `Environment.Variables`, with the values only a deployment knows faked (see `resolveVariable`). */
  readonly environment: Readonly<Record<string, string>>;
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  readonly logFormat: string;
  readonly applicationLogLevel: string;
}

/** The runner's last stdout line (see test/support/lambda-runner.mjs). */
type RunnerOutcome =
  | { readonly lambdaRunner: 'result'; readonly node: string; readonly result: unknown }
  | {
      readonly lambdaRunner: 'error';
      readonly node: string;
      readonly phase: 'init' | 'invoke';
      readonly errorType: string;
      readonly errorMessage: string;
      readonly errors?: readonly { readonly errorType?: string; readonly errorMessage?: string }[];
      readonly trace: readonly string[];
    };

/** One invocation in its own process. */
interface Invocation {
  readonly exitCode: number | null;
  readonly outcome: RunnerOutcome;
  /** Every stdout line but the outcome, parsed (Powertools log lines and EMF documents). */
  readonly lines: readonly Record<string, unknown>[];
  readonly stdout: string;
  readonly stderr: string;
}

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
/** How many requests dynalite had when the test started (creating the table makes some). */
let dynamoDbRequestsBefore: number;

/**
 * The runtime's Node.js from the npm registry (`npx -y -p node@24 node`, cached after the first
 * run); this machine's node, with a warning, when it does not answer in time.
 */
async function runtimeNode(major: number): Promise<RuntimeNode> {
  let reason: string;
  try {
    const { stdout } = await execFileAsync('npx', ['-y', '-p', `node@${major}`, 'node', '-p', 'JSON.stringify([process.execPath, process.version])'], {
      cwd: PROJECT_ROOT,
      timeout: NODE_PROBE_KILL_AFTER_MS,
      killSignal: 'SIGKILL',
    });
    const [execPath, version] = JSON.parse(stdout.trim().split('\n').at(-1)!) as [string, string];
    if (version.startsWith(`v${major}.`) && existsSync(execPath)) return { execPath, version, fallback: false };
    reason = `it answered ${version} at ${execPath}`;
  } catch (error) {
    const failure = error as { killed?: boolean; stderr?: string; message?: string };
    reason = failure.killed
      ? `no answer within ${NODE_PROBE_KILL_AFTER_MS / 1000} s`
      : (failure.stderr ?? '').trim().split('\n').filter(Boolean).slice(0, 2).join(' / ') || String(failure.message).split('\n')[0]!;
  }
  console.warn(
    `bundled-handler test: running the bundle on this machine's node ${process.version}, NOT on Node ${major} as Lambda (${RUNTIME}) does, ` +
      `because "npx -y -p node@${major} node" gave no Node ${major}: ${reason}`,
  );
  return { execPath: process.execPath, version: process.version, fallback: true };
}

/**
 * A template value only a deployment knows, made up in the shape it will have, named as
 * CloudFormation names a resource the template gives no name (`<stack>-<logical ID>-<suffix>`).
 * Two variables need this:
 * - `ALERT_TOPIC_ARN` is `{"Ref": <the alert topic>}`; the Ref of an `AWS::SNS::Topic` is its ARN.
 * - `STATE_TABLE_NAME` is `{"Ref": <the state table>}`; the Ref of an `AWS::DynamoDB::Table` is
 *   its name (the table is created under that name in the local DynamoDB).
 * Any other intrinsic fails the test, so a new one gets a deliberate fake.
 */
function resolveVariable(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  const ref = (value as { Ref?: unknown } | null)?.Ref;
  const type = typeof ref === 'string' ? template.Resources[ref]?.Type : undefined;
  if (type === 'AWS::SNS::Topic') return `arn:aws:sns:${FAKE_AWS_REGION}:${FAKE_ACCOUNT}:${STACK_NAME}-${String(ref)}-1Q2W3E4R5T6Y`;
  if (type === 'AWS::DynamoDB::Table') return `${STACK_NAME}-${String(ref)}-7U8I9O0P1A2S`;
  throw new Error(`Environment.Variables.${name}: the test cannot resolve ${JSON.stringify(value)}; add a fake for it to resolveVariable`);
}

/** The one function the stack deploys, read from the template and the asset manifest. */
function deployedFunction(): DeployedFunction {
  const functions = resourcesOfType(template, 'AWS::Lambda::Function');
  expect(functions.map(([logicalId]) => logicalId)).toHaveLength(1);
  const [logicalId, resource] = functions[0]!;
  const properties = resource.Properties ?? {};
  const variables = (properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const logging = (properties.LoggingConfig ?? {}) as { LogFormat?: string; ApplicationLogLevel?: string };
  return {
    logicalId,
    resource,
    functionName: `${STACK_NAME}-${logicalId}-A1b2C3d4E5f6`,
    taskRoot: functionAssetDirectory(outdir, resource),
    environment: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolveVariable(name, value)])),
    handler: String(properties.Handler),
    timeoutSeconds: Number(properties.Timeout ?? 3),
    memorySizeMb: Number(properties.MemorySize ?? 128),
    logFormat: logging.LogFormat ?? 'Text',
    applicationLogLevel: logging.ApplicationLogLevel ?? '',
  };
}

/**
 * The environment Lambda gives the function: the template's variables, then the ones Lambda
 * sets itself (reserved names, so they win), then the test's own: the fakes' endpoints, fake
 * static credentials, and nowhere for anything else.
 */
function lambdaEnvironment(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    ...deployed.environment,
    // Set by Lambda.
    AWS_LAMBDA_FUNCTION_NAME: deployed.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(deployed.memorySizeMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `${STACK_NAME}-MonitorLogGroup-Z9y8X7w6V5u4`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/03/02/[$LATEST]0123456789abcdef0123456789abcdef',
    AWS_LAMBDA_LOG_FORMAT: deployed.logFormat,
    ...(deployed.applicationLogLevel ? { AWS_LAMBDA_LOG_LEVEL: deployed.applicationLogLevel } : {}),
    AWS_EXECUTION_ENV: `AWS_Lambda_${RUNTIME}`,
    AWS_REGION: FAKE_AWS_REGION,
    AWS_DEFAULT_REGION: FAKE_AWS_REGION,
    AWS_ACCESS_KEY_ID: 'ASIAFAKEFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key-for-local-tests-only',
    AWS_SESSION_TOKEN: 'fake-session-token-for-local-tests-only',
    LAMBDA_TASK_ROOT: deployed.taskRoot,
    _HANDLER: deployed.handler,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    // The test's: the fakes, and no way to a real AWS endpoint or a developer's AWS files.
    AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
    AWS_ENDPOINT_URL: NOWHERE,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    // Only when this machine's older node stands in for the runtime's.
    ...(node.fallback ? { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } : {}),
  };
}

function parseLines(text: string, stream: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`the function wrote a line to ${stream} that is not JSON (Lambda's JSON log format expects JSON): ${line.slice(0, 300)}`);
      }
    });
}

/** Runs the bundle once, as Lambda would, with `event`. */
async function invoke(event: unknown): Promise<Invocation> {
  const outcome = await execFileAsync(node.execPath, [RUNNER, JSON.stringify(event), String(deployed.timeoutSeconds)], {
    cwd: deployed.taskRoot,
    env: lambdaEnvironment(),
    timeout: INVOKE_KILL_AFTER_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ exitCode: 0, stdout, stderr }),
    (error: { code?: number | null; stdout?: string; stderr?: string }) => ({ exitCode: error.code ?? null, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
  const lines = parseLines(outcome.stdout, 'stdout');
  const last = lines.at(-1);
  if (last?.lambdaRunner === undefined)
    throw new Error(`the runner printed no outcome (exit ${outcome.exitCode}):\n${outcome.stdout.slice(-2000)}\n${outcome.stderr.slice(-2000)}`);
  return { ...outcome, outcome: last as unknown as RunnerOutcome, lines: lines.slice(0, -1) };
}

/** The scheduler's event for a run, from the template's schedule that targets the function. */
function scheduledEvent(scheduledTime: string): unknown {
  const schedules = resourcesOfType(template, 'AWS::Scheduler::Schedule').filter(
    ([, resource]) => JSON.stringify((resource.Properties?.Target as { Arn?: unknown } | undefined)?.Arn) === JSON.stringify({ 'Fn::GetAtt': [deployed.logicalId, 'Arn'] }),
  );
  expect(schedules).toHaveLength(1);
  const input = String((schedules[0]![1].Properties!.Target as { Input?: unknown }).Input);
  return JSON.parse(input.replaceAll('<aws.scheduler.scheduled-time>', scheduledTime));
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
  deployed = deployedFunction();
}, 180_000);

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
    if (deployed.environment.STATE_TABLE_NAME !== undefined) await dynamodb.createStateTable(deployed.environment.STATE_TABLE_NAME);
    dynamoDbRequestsBefore = dynamodb.requests.length;
    portals.requests.length = 0;
  });

  afterEach(async () => {
    await ssm?.close();
    await sns?.close();
    await dynamodb?.close();
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
