/**
 * Shared by the bench scripts: the Lambda bundle built the way `DocSpaceBackupMonitor` builds
 * it (the esbuild options of its NodejsFunction, checked byte for byte against `cdk synth`'s
 * asset), a scratch folder where bundles built with the runtime's SDK find `@aws-sdk/*` in the
 * project's node_modules, fresh Node processes, and small statistics.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, Plugin } from 'esbuild';
import type { MonitorConfig } from '../functions/check/config.ts';
import { CONFIG_DEFINE, CONFIG_INJECTED_NAME } from '../lib/constants.ts';
import { writeConfigModule } from '../lib/deployed-config-module.ts';
import { NODE_HTTP, NODE_HTTP_SHIM } from '../lib/docspace-backup-monitor.ts';

/** The repository root. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Lambda entry, as the construct names it. */
export const HANDLER_ENTRY = join(PROJECT_ROOT, 'functions', 'check', 'handler.ts');

/** The construct's banner (lib/docspace-backup-monitor.ts, `ESM_REQUIRE_BANNER`). */
const ESM_REQUIRE_BANNER = "import { createRequire as __monitorCreateRequire } from 'node:module'; const require = __monitorCreateRequire(import.meta.url);";

/**
 * Where a bundle's AWS SDK comes from: `bundled` as the construct builds it (`bundleAwsSDK`,
 * tree-shaken to the commands used), or `runtime`: `@aws-sdk/*` left out, loaded from the
 * Lambda runtime's copy (NodejsFunction's default, and the construct's before the SDK was
 * bundled).
 */
export type SdkSource = 'bundled' | 'runtime';

/**
 * The esbuild options of the construct's NodejsFunction (`bundling` in
 * lib/docspace-backup-monitor.ts, its `esbuildArgs` alias included, plus what NodejsFunction
 * adds: bundle, platform node, one `index.mjs`). The bench checks that they reproduce
 * `cdk synth`'s asset byte for byte.
 *
 * @param config - the config inlined with `define`, as the construct does
 * @param outfile - where the bundle goes
 * @param plugins - plugins for a variant (none for the real bundle)
 * @param sdk - `runtime` for a variant that leaves the AWS SDK out (the real bundle carries it)
 */
export function handlerBuildOptions(config: MonitorConfig, outfile: string, plugins: Plugin[] = [], sdk: SdkSource = 'bundled'): BuildOptions {
  return {
    entryPoints: [HANDLER_ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: false,
    ...(sdk === 'runtime' ? { external: ['@aws-sdk/*'] } : {}),
    banner: { js: ESM_REQUIRE_BANNER },
    alias: { [NODE_HTTP]: NODE_HTTP_SHIM },
    define: { [CONFIG_DEFINE]: CONFIG_INJECTED_NAME },
    inject: [writeConfigModule(dirname(outfile), JSON.stringify(config))],
    outfile,
    metafile: true,
    logLevel: 'warning',
    plugins,
  };
}

/** The module through which the client uses undici (`Pool`, `request`): what a variant replaces. */
export const TRANSPORT_MODULE = join(PROJECT_ROOT, 'functions', 'check', 'docspace', 'undici.ts');

/**
 * An esbuild plugin that gives the DocSpace client another module where it imports
 * `./undici.ts` (the client and origin-pools.ts do), to measure a variant of the HTTP edge
 * without touching the client.
 *
 * @param replacement - the absolute path of the module to use instead (a bench-shim-*.ts)
 */
export function swapTransport(replacement: string): Plugin {
  const docspaceFolder = dirname(TRANSPORT_MODULE);
  return {
    name: 'bench-swap-transport',
    setup(build) {
      build.onResolve({ filter: /^\.\/undici\.ts$/ }, (args) => (dirname(args.importer) === docspaceFolder ? { path: replacement } : undefined));
    },
  };
}

/** A scratch folder for bundles, removed by `remove()`. */
export interface Scratch {
  readonly root: string;
  /** A new folder inside it (numbered, so names may repeat) whose `node_modules` is the project's, so a bundle built with the runtime's SDK finds `@aws-sdk/*`. */
  folder(name: string): Promise<string>;
  remove(): Promise<void>;
}

/** Makes a scratch folder under the system temp folder. */
export async function makeScratch(): Promise<Scratch> {
  const root = await mkdtemp(join(tmpdir(), 'docspace-bench-'));
  let made = 0;
  return {
    root,
    async folder(name) {
      made += 1;
      const folder = join(root, `${String(made).padStart(2, '0')}-${name}`);
      await mkdir(folder, { recursive: true });
      await symlink(join(PROJECT_ROOT, 'node_modules'), join(folder, 'node_modules'), 'dir');
      return folder;
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** What a finished child process printed. */
export interface ChildResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The last message the child sent over IPC, if any. */
  readonly message?: unknown;
}

/**
 * Runs `node` with these arguments in a fresh process and waits for it (bounded).
 *
 * @param args - node's arguments
 * @param env - the child's whole environment
 * @param timeoutMs - killed after this long
 * @param keepStdout - keep what it prints (otherwise only a line count is kept, as `stdout`)
 */
export function runNode(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number, keepStdout = true): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stdout = '';
    let lines = 0;
    let stderr = '';
    let message: unknown;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (keepStdout) stdout += chunk.toString('utf8');
      else for (const byte of chunk) if (byte === 10) lines += 1;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 20_000) stderr += chunk.toString('utf8');
    });
    child.on('message', (received) => {
      message = received;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: keepStdout ? stdout : String(lines), stderr, message });
    });
  });
}

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Bytes as KB with one decimal (1 KB = 1,000 bytes, as bundle sizes are usually given). */
export function kilobytes(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}
