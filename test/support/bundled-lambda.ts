/**
 * The deployed function as a test runs it: read from a synthesized template and its assets, run
 * the way Lambda runs it (its own process, the runtime's Node.js, the template's environment and
 * the variables Lambda sets), against local fakes. Shared by the end-to-end tests.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FAKE_AWS_REGION } from './aws-env.ts';
import { functionAssetDirectory, PROJECT_ROOT, resourcesOfType, STACK_NAME, type CfnResource, type CfnTemplate } from './cdk-synth.ts';

const execFileAsync = promisify(execFile);

/** The Lambda runtime the function must be deployed on, and the Node.js major it stands for. */
export const RUNTIME = 'nodejs24.x';
export const RUNTIME_NODE_MAJOR = Number(/^nodejs(\d+)\.x$/.exec(RUNTIME)![1]);
/** How long `npx -y -p node@24` may take to answer (the first run downloads ~190 MB). */
const NODE_PROBE_KILL_AFTER_MS = 60_000;
/** How long one bundled invocation may take before its process is killed. */
const INVOKE_KILL_AFTER_MS = 90_000;
const RUNNER = fileURLToPath(new URL('./lambda-runner.mjs', import.meta.url));
const FAKE_CLOCK = fileURLToPath(new URL('./fake-clock.mjs', import.meta.url));

export const FAKE_ACCOUNT = '123456789012';
/** A loopback port nothing listens on, for every AWS service without a fake. */
const NOWHERE = 'http://127.0.0.1:9';

/** The Node.js the bundle runs on. */
export interface RuntimeNode {
  readonly execPath: string;
  readonly version: string;
  /** `true` when the runtime's version was not available and this machine's node stands in. */
  readonly fallback: boolean;
}

/** The function as the template deploys it. */
export interface DeployedFunction {
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
export type RunnerOutcome =
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
export interface Invocation {
  readonly exitCode: number | null;
  readonly outcome: RunnerOutcome;
  /** Every stdout line but the outcome, parsed (Powertools log lines and EMF documents). */
  readonly lines: readonly Record<string, unknown>[];
  readonly stdout: string;
  readonly stderr: string;
}

/** Where the local fakes listen (`AWS_ENDPOINT_URL_<SERVICE>`); every other service goes nowhere. */
export interface LocalEndpoints {
  readonly ssm: string;
  readonly sns: string;
  readonly dynamodb: string;
  readonly s3?: string;
}

/**
 * The runtime's Node.js from the npm registry (`npx -y -p node@24 node`, cached after the first
 * run); this machine's node, with a warning, when it does not answer in time.
 */
export async function runtimeNode(major: number = RUNTIME_NODE_MAJOR): Promise<RuntimeNode> {
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
 * CloudFormation names a resource the template gives no name (`<stack>-<logical ID>-<suffix>`):
 * - the Ref of an `AWS::SNS::Topic` is its ARN (`ALERT_TOPIC_ARN`);
 * - the Ref of an `AWS::DynamoDB::Table` is its name (`STATE_TABLE_NAME`; the test creates it
 *   under that name in the local DynamoDB);
 * - the Ref of an `AWS::S3::Bucket` is its name (`REPORT_BUCKET_NAME`; lowercase and at most 63
 *   characters, as CloudFormation shortens it, and created under that name in the local S3).
 * Any other intrinsic fails the test, so a new one gets a deliberate fake.
 */
function resolveVariable(template: CfnTemplate, name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  const ref = (value as { Ref?: unknown } | null)?.Ref;
  const type = typeof ref === 'string' ? template.Resources[ref]?.Type : undefined;
  if (type === 'AWS::SNS::Topic') return `arn:aws:sns:${FAKE_AWS_REGION}:${FAKE_ACCOUNT}:${STACK_NAME}-${String(ref)}-1Q2W3E4R5T6Y`;
  if (type === 'AWS::DynamoDB::Table') return `${STACK_NAME}-${String(ref)}-7U8I9O0P1A2S`;
  if (type === 'AWS::S3::Bucket') return `${STACK_NAME}-reports-3d4f5g6h7j8k`.toLowerCase();
  throw new Error(`Environment.Variables.${name}: the test cannot resolve ${JSON.stringify(value)}; add a fake for it to resolveVariable`);
}

/** The one function the stack deploys, read from the template and the asset manifest. */
export function deployedFunction(template: CfnTemplate, outdir: string): DeployedFunction {
  const functions = resourcesOfType(template, 'AWS::Lambda::Function');
  if (functions.length !== 1) throw new Error(`the stack should deploy one function, found ${functions.map(([logicalId]) => logicalId).join(', ')}`);
  const [logicalId, resource] = functions[0]!;
  const properties = resource.Properties ?? {};
  const variables = (properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const logging = (properties.LoggingConfig ?? {}) as { LogFormat?: string; ApplicationLogLevel?: string };
  return {
    logicalId,
    resource,
    functionName: `${STACK_NAME}-${logicalId}-A1b2C3d4E5f6`,
    taskRoot: functionAssetDirectory(outdir, resource),
    environment: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolveVariable(template, name, value)])),
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
export function lambdaEnvironment(deployed: DeployedFunction, node: RuntimeNode, endpoints: LocalEndpoints): NodeJS.ProcessEnv {
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
    AWS_ENDPOINT_URL_SSM: endpoints.ssm,
    AWS_ENDPOINT_URL_SNS: endpoints.sns,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3 ?? NOWHERE,
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

/** How one invocation runs. */
export interface InvokeOptions {
  /**
   * The instant the function's clock is set to (test/support/fake-clock.mjs), for runs on days
   * other than today. It stays there, so the run's `checkedAt` is exactly this instant.
   *
   * @default - the real clock
   */
  readonly clock?: Date;
}

/** Runs the bundle once, as Lambda would, with `event`, in `env` (see {@link lambdaEnvironment}). */
export async function invokeBundled(deployed: DeployedFunction, node: RuntimeNode, env: NodeJS.ProcessEnv, event: unknown, options: InvokeOptions = {}): Promise<Invocation> {
  const clock = options.clock === undefined ? [] : ['--import', FAKE_CLOCK];
  const outcome = await execFileAsync(node.execPath, [...clock, RUNNER, JSON.stringify(event), String(deployed.timeoutSeconds)], {
    cwd: deployed.taskRoot,
    env: options.clock === undefined ? env : { ...env, FAKE_CLOCK_START: options.clock.toISOString(), FAKE_CLOCK_FROZEN: '1' },
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

/** The Scheduler's event for a run, from the template's schedule that targets the function with `scheduledTime` and no action. */
export function scheduledEvent(template: CfnTemplate, deployed: DeployedFunction, scheduledTime: string): unknown {
  const schedules = resourcesOfType(template, 'AWS::Scheduler::Schedule').filter(([, resource]) => {
    const target = resource.Properties?.Target as { Arn?: unknown; Input?: unknown } | undefined;
    return JSON.stringify(target?.Arn) === JSON.stringify({ 'Fn::GetAtt': [deployed.logicalId, 'Arn'] }) && !String(target?.Input).includes('"action"');
  });
  if (schedules.length !== 1) throw new Error(`expected one check schedule targeting the function, found ${schedules.length}`);
  const input = String((schedules[0]![1].Properties!.Target as { Input?: unknown }).Input);
  return JSON.parse(input.replaceAll('<aws.scheduler.scheduled-time>', scheduledTime));
}
