/**
 * `cdk synth` as a user runs it on a fresh clone (`npx cdk synth` in the project, no AWS
 * credentials, no profile, no network), and readers for what it writes: the stack's template,
 * its environment, and a function's asset directory (the bundled code, as it would be zipped).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, where `cdk.json` and `node_modules` are. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How long one synth may take before it is killed, so that a hung CLI fails its test, not the suite (a busy 2-core machine needs a minute or more). */
export const DEFAULT_SYNTH_KILL_AFTER_MS = 300_000;

/** The stack `bin/app.ts` defines. */
export const STACK_NAME = 'DocSpaceBackupMonitor';

/**
 * Variables that could give the CLI an AWS identity, a region, an account or a synth setting the
 * user did not choose; all are removed. `CDK_VALIDATION` goes too: a user's synth validates.
 */
const REMOVED_FOR_SYNTH = /^(AWS_(PROFILE|DEFAULT_PROFILE|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|SECURITY_TOKEN|CREDENTIAL_EXPIRATION|REGION|DEFAULT_REGION|ROLE_ARN|ROLE_SESSION_NAME|WEB_IDENTITY_TOKEN_FILE|CONTAINER_.*|ENDPOINT_URL.*)|CDK_DEFAULT_.*|CDK_CONTEXT_JSON|CDK_OUTDIR|CDK_VALIDATION)$/;

/**
 * This process's environment without AWS credentials, profile, region or `CDK_DEFAULT_*`, with
 * the shared AWS files pointed at nothing and instance metadata off, so the CLI cannot find an
 * identity or reach the network for one.
 *
 * @param base - the environment to start from
 */
export function credentialFreeEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) if (!REMOVED_FOR_SYNTH.test(name)) env[name] = value;
  return {
    ...env,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** What one `cdk synth` did. */
export interface CdkSynthResult {
  /** The exit code; `null` when the process was killed (see `signal`). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How to run `cdk synth`. */
export interface CdkSynthOptions {
  /** The config file, passed as `-c config=<path>`. */
  readonly configPath: string;
  /** The cloud assembly directory, passed as `-o <outdir>`. */
  readonly outdir: string;
  /**
   * Kills the CLI after this many milliseconds.
   *
   * @default DEFAULT_SYNTH_KILL_AFTER_MS
   */
  readonly killAfterMs?: number;
}

/**
 * Runs `npx cdk synth -q -c config=<configPath> -o <outdir>` in the project with
 * {@link credentialFreeEnvironment}; resolves once the CLI has exited, never rejects for a
 * non-zero exit code.
 *
 * @param options - config path, output directory, kill timer
 * @example
 * const { code, stderr } = await cdkSynth({ configPath, outdir: join(workDir, 'cdk.out') });
 */
export function cdkSynth(options: CdkSynthOptions): Promise<CdkSynthResult> {
  const args = ['cdk', 'synth', '-q', '-c', `config=${options.configPath}`, '-o', options.outdir];
  return new Promise((resolve, reject) => {
    const child = spawn('npx', args, { cwd: PROJECT_ROOT, env: credentialFreeEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? DEFAULT_SYNTH_KILL_AFTER_MS);
    child.on('error', (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

/** One resource of a CloudFormation template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/** A CloudFormation template, as far as these tests read it. */
export interface CfnTemplate {
  readonly Resources: Readonly<Record<string, CfnResource>>;
}

/** A stack artifact of the cloud assembly manifest. */
export interface StackArtifact {
  /** `aws://account/region`; `aws://unknown-account/unknown-region` when environment-agnostic. */
  readonly environment: string;
  readonly templateFile: string;
}

interface AssemblyManifest {
  readonly artifacts: Readonly<Record<string, { readonly type: string; readonly environment?: string; readonly properties?: { readonly templateFile?: string; readonly file?: string } }>>;
}

interface AssetManifest {
  readonly files: Readonly<Record<string, { readonly source: { readonly path: string; readonly packaging?: string } }>>;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/**
 * The stack's artifact in the assembly's `manifest.json`.
 *
 * @param outdir - the cloud assembly directory
 * @param stackName - the stack's artifact ID
 * @throws Error when the assembly has no such stack
 */
export function stackArtifact(outdir: string, stackName: string = STACK_NAME): StackArtifact {
  const artifact = readJson<AssemblyManifest>(join(outdir, 'manifest.json')).artifacts[stackName];
  if (artifact?.type !== 'aws:cloudformation:stack' || artifact.properties?.templateFile === undefined)
    throw new Error(`the assembly in ${outdir} has no stack ${stackName}`);
  return { environment: artifact.environment ?? '', templateFile: artifact.properties.templateFile };
}

/**
 * The stack's template, found through the assembly manifest.
 *
 * @param outdir - the cloud assembly directory
 * @param stackName - the stack's artifact ID
 */
export function readStackTemplate(outdir: string, stackName: string = STACK_NAME): CfnTemplate {
  return readJson<CfnTemplate>(join(outdir, stackArtifact(outdir, stackName).templateFile));
}

/**
 * The resources of one type, as `[logicalId, resource]` pairs.
 *
 * @param type - a CloudFormation type, e.g. `AWS::Lambda::Function`
 */
export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/**
 * The directory holding a function's code as it would be zipped and uploaded: named by the
 * resource's `aws:asset:path` metadata, and checked against the stack's asset manifest (the
 * file asset whose hash is the `Code.S3Key` must have that directory as its source).
 *
 * @param outdir - the cloud assembly directory
 * @param resource - an `AWS::Lambda::Function` with bundled (asset) code
 * @param stackName - the stack's artifact ID (its asset manifest is `<stackName>.assets`)
 * @throws Error when the metadata and the asset manifest disagree or name no directory
 */
export function functionAssetDirectory(outdir: string, resource: CfnResource, stackName: string = STACK_NAME): string {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath !== 'string' || resource.Metadata?.['aws:asset:property'] !== 'Code')
    throw new Error('the function has no aws:asset:path metadata for its Code (synthesize with asset metadata on)');
  const s3Key = (resource.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
  const hash = typeof s3Key === 'string' ? s3Key.replace(/\.zip$/, '') : undefined;
  const manifestFile = readJson<AssemblyManifest>(join(outdir, 'manifest.json')).artifacts[`${stackName}.assets`]?.properties?.file;
  const asset = hash === undefined || manifestFile === undefined ? undefined : readJson<AssetManifest>(join(outdir, manifestFile)).files[hash];
  if (asset === undefined || asset.source.path !== assetPath || asset.source.packaging !== 'zip')
    throw new Error(`the function's Code.S3Key ${JSON.stringify(s3Key)} is not the zipped asset ${assetPath} in the asset manifest of ${stackName}`);
  return join(outdir, assetPath);
}
