/**
 * Bench part 2, cold start: the handler bundle as `cdk synth` builds it, what each dependency
 * (and each part of undici, and which AWS SDK commands) costs in it (esbuild's metafile, from
 * the construct's options, checked byte for byte against the synth asset), and the median
 * module-load time of that bundle in fresh Node processes against a floor bundle that only
 * imports the SSM and SNS clients, as the Lambda runtime provides them. The same floor with
 * the SDK bundled as the handler bundles it, the handler with the runtime's SDK (as built
 * before), and comparisons of the HTTP edge (functions/check/docspace/undici.ts replaced
 * through an esbuild plugin) are measured the same way; the client's own tests are run
 * against each HTTP comparison to show what behaviour they keep.
 */
import { spawn } from 'node:child_process';
import { copyFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { loadConfig } from '../functions/check/config.ts';
import { FunctionEnv } from '../lib/constants.ts';
import { handlerBuildOptions, median, PROJECT_ROOT, runNode, swapTransport, TRANSPORT_MODULE, type Scratch, type SdkSource } from './bench-build.ts';

/** One dependency's share of the bundle. */
export interface DependencyCost {
  /** An npm package, or `project code`. */
  readonly name: string;
  readonly bytes: number;
}

/** What the client's tests said about a variant. */
export interface ClientTestResult {
  readonly passed: number;
  readonly failed: number;
  /** The names of the failing tests. */
  readonly failures: readonly string[];
}

/** A bundle and its cold module load. */
export interface BundleMeasure {
  readonly name: string;
  readonly description: string;
  readonly bytes: number;
  /** Median `import()` wall time in a fresh process. */
  readonly loadMs: number;
  readonly loadSamples: readonly number[];
  /** Median CPU time (user + system) of that `import()`: less sensitive to a busy machine. */
  readonly loadCpuMs: number;
  readonly clientTests?: ClientTestResult;
}

/** Everything part 2 measured. */
export interface BundleReport {
  readonly synthMs: number;
  /** The asset `cdk synth` wrote. */
  readonly synthAssetBytes: number;
  /** Whether the construct's esbuild options, replayed here, give the same bytes. */
  readonly replicaIdentical: boolean;
  readonly dependencies: readonly DependencyCost[];
  /** undici's bytes by folder under `undici/lib/` (and the wasm builds of llhttp). */
  readonly undiciParts: readonly DependencyCost[];
  /** undici files in the bundle from parts the client does not use (fetch, WebSocket, cache, mocks, ...): should be none. */
  readonly unusedUndiciFiles: readonly string[];
  /** The AWS SDK commands in the bundle (from the clients' `commands/` files). */
  readonly sdkCommands: readonly string[];
  /** Those of them the check never sends: should be none. */
  readonly unusedSdkCommands: readonly string[];
  /** The target's floor: the SSM and SNS clients as the Lambda runtime provides them. */
  readonly floor: BundleMeasure;
  /** The same two clients, bundled and tree-shaken as the handler bundles its SDK. */
  readonly floorBundled: BundleMeasure;
  readonly handler: BundleMeasure;
  readonly variants: readonly BundleMeasure[];
  readonly runs: number;
}

/** Comparisons of the HTTP edge: what replaces functions/check/docspace/undici.ts. Not used by the monitor. */
export const HTTP_COMPARISONS = [
  { name: 'undici-index', file: 'bench-shim-undici-index.ts', description: 'first bench: undici from its index, one Agent for every origin' },
  { name: 'node-http', file: 'bench-shim-node-http.ts', description: "comparison, not used: Node's http/https agents with undici's timeouts, cap and error codes rebuilt (~150 lines)" },
] as const;

/** The floor: a bundle that only imports the SSM and SNS clients (the floor). */
const FLOOR_SOURCE = `import { SSMClient } from '@aws-sdk/client-ssm';
import { SNSClient } from '@aws-sdk/client-sns';
export const clients = [SSMClient, SNSClient];
`;

/**
 * The commands the function sends (functions/check: api-keys, alerts, state, silences, delivery,
 * heartbeat, archive), and DescribeEndpoints, which the DynamoDB client itself imports for its
 * endpoint discovery (off unless configured; the check does not configure it).
 */
const SENT_SDK_COMMANDS = new Set([
  // API keys and the heartbeat URL (SSM), alerts (SNS), state, silences and claims (DynamoDB).
  'GetParametersCommand',
  'GetParameterCommand',
  'PublishCommand',
  'BatchGetItemCommand',
  'PutItemCommand',
  'DeleteItemCommand',
  'DescribeEndpointsCommand',
  // The delivery path: the topic's subscriptions, the SMS account state (SNS) and SMS spend (CloudWatch).
  'ListSubscriptionsByTopicCommand',
  'GetSMSAttributesCommand',
  'GetSMSSandboxAccountStatusCommand',
  'ListSMSSandboxPhoneNumbersCommand',
  'GetMetricDataCommand',
  // The evidence archive (S3): each run's report, and the monthly report's reads.
  'PutObjectCommand',
  'ListObjectsV2Command',
  'GetObjectCommand',
  // Imported by the S3 client itself for S3 Express One Zone sessions (not used by a general purpose bucket).
  'CreateSessionCommand',
]);

/** undici's folders the client does not use: fetch, WebSocket, EventSource, cache, mocks, interceptors. */
const UNUSED_UNDICI_PART = /node_modules\/undici\/lib\/(mock|cache|interceptor|web\/(websocket|eventsource|cache|cookies)|web\/fetch\/index\.js)/;

/** What each load process runs: time one `import()` of the bundle. */
const LOAD_PROCESS = `
const { pathToFileURL } = await import('node:url');
const href = pathToFileURL(process.argv[1]).href;
const cpu = process.cpuUsage();
const started = performance.now();
await import(href);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
process.send({ ms, cpuMs: (used.user + used.system) / 1000 }, () => process.exit(0));
`;

function run(command: string, args: readonly string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      if (output.length < 50_000) output += chunk.toString('utf8');
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Synthesizes the real stack into `outdir` and returns its Lambda asset and how long it took. */
async function synthAsset(outdir: string): Promise<{ file: string; ms: number }> {
  const started = performance.now();
  const result = await run('npx', ['cdk', 'synth', '-q', '-o', outdir], 5 * 60_000);
  const ms = performance.now() - started;
  if (result.code !== 0) throw new Error(`cdk synth failed (exit ${result.code}):\n${result.output.slice(-3000)}`);
  for (const entry of await readdir(outdir)) {
    if (!entry.startsWith('asset.')) continue;
    const file = join(outdir, entry, 'index.mjs');
    if (await stat(file).then(() => true, () => false)) return { file, ms };
  }
  throw new Error(`cdk synth wrote no asset with an index.mjs in ${outdir}`);
}

/** Bytes per npm package (project files together) from a metafile's one output. */
export function dependencyCosts(metafile: Metafile | undefined): DependencyCost[] {
  const output = metafile === undefined ? undefined : Object.values(metafile.outputs)[0];
  if (output === undefined) return [];
  const bytes = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const name = match?.[1] ?? 'project code';
    bytes.set(name, (bytes.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...bytes].map(([name, size]) => ({ name, bytes: size })).sort((a, b) => b.bytes - a.bytes);
}

/** Packages that come with the AWS SDK clients: the SDK's own scopes, and what its endpoint cache and XML parsing use. */
const AWS_SDK_PACKAGE = /^(@aws-sdk\/|@smithy\/|@aws-crypto\/|mnemonist$|obliterator$|fast-xml-parser$|strnum$|tslib$)/;
/** Powertools and what it brings. */
const POWERTOOLS_PACKAGE = /^(@aws-lambda-powertools\/|@aws\/lambda-invoke-store$)/;

/** The dependencies summed into what they come with: the AWS SDK, undici, Powertools, zod, the project's code. */
export function dependencyGroups(dependencies: readonly DependencyCost[]): DependencyCost[] {
  const bytes = new Map<string, number>();
  for (const { name, bytes: size } of dependencies) {
    const group = AWS_SDK_PACKAGE.test(name) ? 'AWS SDK' : POWERTOOLS_PACKAGE.test(name) ? 'Powertools' : name;
    bytes.set(group, (bytes.get(group) ?? 0) + size);
  }
  return [...bytes].map(([name, size]) => ({ name, bytes: size })).sort((a, b) => b.bytes - a.bytes);
}

/** The environment a handler bundle needs to initialize (no AWS call is made at load). */
function loadEnvironment(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key-for-local-bench-only',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    [FunctionEnv.ALERT_TOPIC_ARN]: 'arn:aws:sns:eu-central-1:123456789012:docspace-bench-alerts',
    [FunctionEnv.POWERTOOLS_SERVICE_NAME]: 'docspace-backup-monitor',
    [FunctionEnv.POWERTOOLS_METRICS_NAMESPACE]: 'DocSpaceBackupMonitorBench',
  };
}

/** undici's bytes by folder under `lib/` (llhttp's two wasm builds apart), from a metafile's one output. */
export function undiciParts(metafile: Metafile | undefined): { parts: DependencyCost[]; unused: string[] } {
  const output = metafile === undefined ? undefined : Object.values(metafile.outputs)[0];
  const bytes = new Map<string, number>();
  const unused: string[] = [];
  for (const [path, input] of Object.entries(output?.inputs ?? {})) {
    const match = /node_modules\/undici\/(.*)$/.exec(path);
    if (match === null) continue;
    const file = match[1] as string;
    if (UNUSED_UNDICI_PART.test(path)) unused.push(file);
    const part = /-wasm\.js$/.test(file) ? file : file.split('/').slice(0, 2).join('/');
    bytes.set(part, (bytes.get(part) ?? 0) + input.bytesInOutput);
  }
  return { parts: [...bytes].map(([name, size]) => ({ name, bytes: size })).sort((a, b) => b.bytes - a.bytes), unused };
}

/** The AWS SDK commands a metafile's one output holds (each client keeps one in `commands/<Name>.js`). */
export function sdkCommandsIn(metafile: Metafile | undefined): string[] {
  const output = metafile === undefined ? undefined : Object.values(metafile.outputs)[0];
  const commands = new Set<string>();
  for (const path of Object.keys(output?.inputs ?? {})) {
    const match = /node_modules\/@aws-sdk\/client-[^/]+\/dist-[^/]+\/commands\/([A-Za-z0-9]+Command)\.js$/.exec(path);
    if (match !== null) commands.add(match[1] as string);
  }
  return [...commands].sort();
}

/** Runs the client's tests with functions/check/docspace/undici.ts replaced by `shim`. */
async function clientTestsWith(scratch: Scratch, name: string, shim: string): Promise<ClientTestResult> {
  const folder = await scratch.folder(`vitest-${name}`);
  const configFile = join(folder, 'vitest.config.mjs');
  const reportFile = join(folder, 'report.json');
  await writeFile(
    configFile,
    `import { dirname } from 'node:path';
export default {
  plugins: [{ name: 'bench-swap-transport', enforce: 'pre', resolveId(source, importer) {
    return source === './undici.ts' && importer && dirname(importer.split('?')[0]) === ${JSON.stringify(dirname(TRANSPORT_MODULE))} ? ${JSON.stringify(shim)} : null;
  } }],
  test: { include: ['test/check/docspace/client.test.ts'], pool: 'forks', testTimeout: 30000, hookTimeout: 60000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
};
`,
  );
  await run('npx', ['vitest', 'run', '--config', configFile, '--root', PROJECT_ROOT, '--reporter=json', `--outputFile=${reportFile}`], 3 * 60_000);
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    testResults: { assertionResults: { fullName: string; status: string }[] }[];
  };
  const failures = report.testResults.flatMap((file) => file.assertionResults.filter((test) => test.status === 'failed').map((test) => test.fullName));
  return { passed: report.numPassedTests, failed: report.numFailedTests, failures };
}

/**
 * Measures part 2.
 *
 * @param scratch - where the bundles go
 * @param options - `runs`: fresh processes per bundle; `clientTests`: run the client's tests per variant
 */
export async function measureBundles(scratch: Scratch, options: { readonly runs: number; readonly clientTests: boolean }): Promise<BundleReport> {
  const synthDir = join(scratch.root, 'cdk.out');
  const synth = await synthAsset(synthDir);
  const config = await loadConfig(join(PROJECT_ROOT, 'monitor.config.json'));

  const replicaFolder = await scratch.folder('replica');
  const replica = await build(handlerBuildOptions(config, join(replicaFolder, 'index.mjs')));
  const [assetBytes, replicaBytes] = await Promise.all([readFile(synth.file), readFile(join(replicaFolder, 'index.mjs'))]);

  const handlerFolder = await scratch.folder('handler');
  await copyFile(synth.file, join(handlerFolder, 'index.mjs'));

  const floors: { name: string; description: string; file: string; bytes: number }[] = [];
  for (const [name, sdk, description] of [
    ['floor', 'runtime', "imports @aws-sdk/client-ssm and client-sns only, as the Lambda runtime provides them (NodejsFunction's default)"],
    ['floor-bundled', 'bundled', 'the same two clients, bundled and tree-shaken as the handler bundles its SDK (info)'],
  ] as const satisfies readonly (readonly [string, SdkSource, string])[]) {
    const folder = await scratch.folder(name);
    await writeFile(join(folder, 'floor.mjs'), FLOOR_SOURCE);
    const result = await build({ ...handlerBuildOptions(config, join(folder, 'index.mjs'), [], sdk), entryPoints: [join(folder, 'floor.mjs')] });
    floors.push({ name, description, file: join(folder, 'index.mjs'), bytes: outputBytes(result.metafile) });
  }

  const bundles: { name: string; description: string; file: string; bytes: number; shim?: string }[] = [
    ...floors,
    { name: 'handler', description: 'the cdk synth asset (AWS SDK bundled, undici Pool + request from their own files)', file: join(handlerFolder, 'index.mjs'), bytes: assetBytes.length },
  ];
  {
    const folder = await scratch.folder('runtime-sdk');
    const result = await build(handlerBuildOptions(config, join(folder, 'index.mjs'), [], 'runtime'));
    bundles.push({ name: 'runtime-sdk', description: "before this change: the same handler with the runtime's AWS SDK (@aws-sdk/* external)", file: join(folder, 'index.mjs'), bytes: outputBytes(result.metafile) });
  }
  for (const variant of HTTP_COMPARISONS) {
    const folder = await scratch.folder(variant.name);
    const shim = join(PROJECT_ROOT, 'scripts', variant.file);
    const result = await build(handlerBuildOptions(config, join(folder, 'index.mjs'), [swapTransport(shim)]));
    bundles.push({ name: variant.name, description: variant.description, file: join(folder, 'index.mjs'), bytes: outputBytes(result.metafile), shim });
  }

  // Interleaved, so drift on a noisy machine hits every bundle alike.
  const samples = new Map<string, number[]>(bundles.map((bundle) => [bundle.name, []]));
  const cpuSamples = new Map<string, number[]>(bundles.map((bundle) => [bundle.name, []]));
  const env = loadEnvironment();
  for (let round = 0; round < options.runs; round += 1) {
    for (const bundle of bundles) {
      const child = await runNode(['--input-type=module', '-e', LOAD_PROCESS, bundle.file], env, 60_000);
      const { ms, cpuMs } = (child.message ?? {}) as { ms?: number; cpuMs?: number };
      if (child.code !== 0 || ms === undefined || cpuMs === undefined)
        throw new Error(`loading ${bundle.name} failed (exit ${child.code}): ${child.stderr.slice(0, 2000)}`);
      samples.get(bundle.name)?.push(ms);
      cpuSamples.get(bundle.name)?.push(cpuMs);
    }
  }

  const measures: BundleMeasure[] = [];
  for (const bundle of bundles) {
    const loadSamples = samples.get(bundle.name) ?? [];
    const clientTests = options.clientTests && bundle.shim !== undefined ? await clientTestsWith(scratch, bundle.name, bundle.shim) : undefined;
    measures.push({ name: bundle.name, description: bundle.description, bytes: bundle.bytes, loadMs: median(loadSamples), loadSamples, loadCpuMs: median(cpuSamples.get(bundle.name) ?? []), ...(clientTests ? { clientTests } : {}) });
  }
  const [floor, floorBundled, handler, ...variants] = measures as [BundleMeasure, BundleMeasure, BundleMeasure, ...BundleMeasure[]];
  const undici = undiciParts(replica.metafile);
  const sdkCommands = sdkCommandsIn(replica.metafile);
  return {
    synthMs: synth.ms,
    synthAssetBytes: assetBytes.length,
    replicaIdentical: assetBytes.equals(replicaBytes),
    dependencies: dependencyCosts(replica.metafile),
    undiciParts: undici.parts,
    unusedUndiciFiles: undici.unused,
    sdkCommands,
    unusedSdkCommands: sdkCommands.filter((command) => !SENT_SDK_COMMANDS.has(command)),
    floor,
    floorBundled,
    handler,
    variants,
    runs: options.runs,
  };
}

function outputBytes(metafile: Metafile | undefined): number {
  return metafile === undefined ? 0 : (Object.values(metafile.outputs)[0]?.bytes ?? 0);
}
