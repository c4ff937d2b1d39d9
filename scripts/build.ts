/**
 * `npm run build` (and `prepare`, so `npm ci` and `npm pack` run it): compiles what the package
 * ships into dist/.
 *
 * - dist/cli.mjs: the `docspace-backup-monitor` command, bin/cli.ts and every dependency in one
 *   ES module (esbuild). One file starts in about a third of the time of the same code loaded
 *   module by module (docs/PERFORMANCE.md, "CLI start-up").
 * - dist/lib/index.mjs: the construct for other CDK apps (lib/index.ts; esbuild, dependencies
 *   left to node_modules), and dist/types/: its declarations (tsc, tsconfig.build.json).
 *
 * The Lambda function is not built here: the construct bundles functions/check/handler.ts (shipped
 * as source) with the config inlined, at synth.
 *
 * Options: --js-only (skip the declarations: what the test suite's global setup runs).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { buildLazySdk, LAZY_SDK_FILE, lazyAwsSdk } from './build-lazy-aws-sdk.ts';

/** The repository root. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where the build goes. */
export const DIST = join(ROOT, 'dist');

/** The compiled command (`bin` in package.json). */
export const CLI_BUNDLE = join(DIST, 'cli.mjs');

/** As lib/docspace-backup-monitor.ts gives the Lambda bundle `node:http` (not imported: it loads aws-cdk-lib). */
const NODE_HTTP_ALIAS = { 'node:http': join(ROOT, 'functions', 'check', 'lambda', 'node-http.cjs') };

/** The compiled construct (`exports` in package.json). */
export const LIB_BUNDLE = join(DIST, 'lib', 'index.mjs');

/**
 * The command's first lines: run by node, no AWS SDK warning about the Node version, and a
 * `require` for the CommonJS dependencies (undici) inside the ES module.
 */
const CLI_BANNER = [
  '#!/usr/bin/env node',
  "process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';",
  "import { createRequire as __monitorCreateRequire } from 'node:module'; const require = __monitorCreateRequire(import.meta.url);",
].join('\n');

const COMMON: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * Moves each file into place in one rename, so a process starting the command meanwhile (another
 * test run in the same folder) reads the old file or the new one, never half of one.
 */
async function writeInPlace(files: readonly { path: string; contents: Uint8Array }[]): Promise<void> {
  for (const file of files) {
    await mkdir(dirname(file.path), { recursive: true });
    const staged = `${file.path}.${process.pid}.tmp`;
    await writeFile(staged, file.contents, { mode: 0o755 });
    await rename(staged, file.path);
  }
}

/** dist/cli.mjs, and dist/cli-aws-sdk.cjs with the AWS SDK it loads when a run needs it. */
async function buildCli(): Promise<void> {
  const result = await build({
    ...COMMON,
    entryPoints: [join(ROOT, 'bin', 'cli.ts')],
    outfile: CLI_BUNDLE,
    mainFields: ['module', 'main'],
    banner: { js: CLI_BANNER },
    // Half the bytes for Node to compile at each start (the code never relies on its names:
    // the Lambda bundle is minified too).
    minify: true,
    // As in the Lambda bundle: node:http by require, so Node 22+ does not load its built-in
    // undici for the SDK (functions/check/lambda/node-http.cjs).
    alias: NODE_HTTP_ALIAS,
    plugins: [lazyAwsSdk()],
    external: [`./${LAZY_SDK_FILE}`],
    write: false,
  });
  const [bundle] = result.outputFiles;
  await writeInPlace([
    { path: join(DIST, LAZY_SDK_FILE), contents: await buildLazySdk(bundle!.text, ROOT) },
    { path: CLI_BUNDLE, contents: bundle!.contents },
  ]);
}

/** Builds dist/cli.mjs (and its SDK file) and dist/lib/index.mjs with esbuild (a few seconds). */
export async function buildJavaScript(): Promise<void> {
  await Promise.all([
    buildCli(),
    build({
      ...COMMON,
      entryPoints: [join(ROOT, 'lib', 'index.ts')],
      outfile: LIB_BUNDLE,
      // aws-cdk-lib and constructs must be the app's own copies (peer dependencies), and the
      // rest is installed with the package.
      packages: 'external',
      write: false,
    }).then((result) => writeInPlace(result.outputFiles)),
  ]);
}

/** Writes dist/types/ with tsc (tsconfig.build.json). */
export function buildDeclarations(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit code ${result.status ?? result.signal})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const jsOnly = process.argv.includes('--js-only');
  if (!jsOnly) await rm(DIST, { recursive: true, force: true });
  await buildJavaScript();
  if (!jsOnly) buildDeclarations();
}
