/**
 * The package as another team's CDK app uses it: `npm pack`, the tarball installed into a
 * temporary app with its own node_modules, and a plain JavaScript app (run with node, from a
 * working directory elsewhere) that imports `DocSpaceBackupMonitor` from 'docspace-backup-monitor',
 * passes the config as a plain object, checks with cdk-nag's AwsSolutions pack and synthesizes.
 *
 * Offline and quick: the tarball is unpacked into node_modules/docspace-backup-monitor as npm
 * installs it, and every package the packed package.json lists as a dependency or a peer (plus
 * cdk-nag, the app's own) is linked from this repository's node_modules, as npm would place it,
 * with the `.bin` links npm makes. Only what package.json declares is there: a module the
 * package needs but does not declare, or a file `files` leaves out, fails here.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialFreeEnvironment, functionAssetDirectory, PROJECT_ROOT, readStackTemplate, resourcesOfType, type CfnTemplate } from '../support/cdk-synth.ts';

const execFileAsync = promisify(execFile);

/** The packed tarball, unpacked and then some; a synth bundles the function with esbuild. */
const KILL_AFTER_MS = 120_000;
const STACK = 'TeamStack';
const PACKAGE = 'docspace-backup-monitor';

/** The app another team writes: plain JavaScript, an ES module, its config as an object. */
const APP_SOURCE = `import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DocSpaceBackupMonitor } from '${PACKAGE}';

const [outdir, configJson] = process.argv.slice(2);
// Asset metadata (as the CDK CLI asks for it) names the function's bundle folder for the test.
const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
const stack = new Stack(app, '${STACK}');
try {
  new DocSpaceBackupMonitor(stack, 'Backups', { config: JSON.parse(configJson), memorySize: 256 });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const report = new AwsSolutionsChecks().validateScope(app);
console.log(JSON.stringify({ unacknowledged: report.violations.map((violation) => violation.ruleName) }));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
`;

const CONFIG = {
  portals: [{ name: 'team-portal', url: 'https://team.onlyoffice.com', apiKey: { ssmParameter: '/docspace/team-portal/api-key' } }],
  alerts: { email: ['team@example.com'] },
};

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runNode(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Validation on: the cdk-nag plugin fails the synth on any unacknowledged finding.
    const env = credentialFreeEnvironment();
    delete env.CDK_VALIDATION;
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** npm's `.bin` links for one installed package. */
function linkBins(nodeModules: string, name: string): void {
  const { bin } = JSON.parse(readFileSync(join(nodeModules, name, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const bins = typeof bin === 'string' ? { [name.split('/').pop()!]: bin } : (bin ?? {});
  mkdirSync(join(nodeModules, '.bin'), { recursive: true });
  for (const [command, file] of Object.entries(bins)) symlinkSync(join('..', name, file), join(nodeModules, '.bin', command));
}

let root: string;
let packedFiles: string[];
let packedManifest: { dependencies: Record<string, string>; peerDependencies: Record<string, string>; private?: boolean };
let appFile: string;
let elsewhere: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'docspace-pack-install-'));
  // --ignore-scripts: the suite's global setup has just compiled dist/ from the sources under
  // test; `prepare` would compile it again (and its declarations), which a plain JavaScript app
  // does not read.
  const { stdout } = await execFileAsync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], { cwd: PROJECT_ROOT, timeout: KILL_AFTER_MS });
  const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  packedFiles = packed.files.map((file) => file.path).sort();

  const app = join(root, 'app');
  const nodeModules = join(app, 'node_modules');
  const installed = join(nodeModules, PACKAGE);
  mkdirSync(installed, { recursive: true });
  await execFileAsync('tar', ['-xzf', join(root, packed.filename), '-C', installed, '--strip-components=1']);
  packedManifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as typeof packedManifest;
  for (const name of [...Object.keys(packedManifest.dependencies), ...Object.keys(packedManifest.peerDependencies), 'cdk-nag']) {
    mkdirSync(join(nodeModules, name, '..'), { recursive: true });
    symlinkSync(join(PROJECT_ROOT, 'node_modules', name), join(nodeModules, name), 'dir');
  }
  for (const name of readdirSync(nodeModules).filter((name) => !name.startsWith('.') && !name.startsWith('@'))) linkBins(nodeModules, name);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'team-app', private: true, type: 'module' }));
  appFile = join(app, 'app.mjs');
  writeFileSync(appFile, APP_SOURCE);
  // The app runs from a folder that is neither the app's nor the package's.
  elsewhere = join(root, 'elsewhere');
  mkdirSync(elsewhere);
}, KILL_AFTER_MS);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('packs although package.json says private (which only stops a publish)', () => {
    // Assess
    expect(packedManifest.private).toBe(true);
    expect(packedFiles).toContain('package.json');
  });

  it('ships the compiled command and construct, the function\'s sources and the docs, and nothing of the repository\'s own', () => {
    // Assess
    for (const file of ['dist/cli.mjs', 'dist/lib/index.mjs', 'functions/check/handler.ts', 'functions/check/lambda/node-http.cjs', 'lib/constants.ts', 'README.md', 'monitor.config.schema.json'])
      expect(packedFiles).toContain(file);
    // lib/constants.ts is the one source file of lib/ the function imports (functions/check/lambda/clients.ts).
    const repositoryOnly = /^(test|scripts|bin|\.ci|node_modules|cdk\.out)\/|^lib\/(?!constants\.ts$)|^(cdk\.json|tsconfig.*\.json|vitest\.config\.ts|eslint\.config\.js|package-lock\.json|monitor\.config\.json)$/;
    expect(packedFiles.filter((file) => repositoryOnly.test(file))).toEqual([]);
  });

  it('declares aws-cdk-lib and constructs as peers (the app\'s own copies), and no tsx at run time', () => {
    // Assess
    expect(Object.keys(packedManifest.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'constructs']);
    expect(Object.keys(packedManifest.dependencies)).not.toContain('tsx');
    expect(Object.keys(packedManifest.dependencies)).not.toContain('aws-cdk-lib');
  });
});

describe('a plain JavaScript CDK app using the installed package', () => {
  let run: Run;
  let outdir: string;
  let template: CfnTemplate;
  beforeAll(async () => {
    outdir = join(root, 'assembly');
    // A relative assembly folder, as `cdk synth -o cdk.out` gives one: relative to the app's
    // working directory, not to the package's folder, where the bundler runs.
    run = await runNode([appFile, join('..', 'assembly'), JSON.stringify(CONFIG)], elsewhere);
    if (run.code === 0) template = readStackTemplate(outdir, STACK);
  }, KILL_AFTER_MS);

  it('synthesizes, with cdk-nag\'s AwsSolutions checks on, and nothing is left unacknowledged', () => {
    // Assess
    expect(run.stderr.replace(/^.*(Bundling asset|index\.mjs|Done in).*$/gm, '').trim()).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({ unacknowledged: [] });
  });

  it('builds the check function from the package\'s own sources, with the config inlined and the given memory', () => {
    // Assess
    const functions = resourcesOfType(template, 'AWS::Lambda::Function').filter(([, resource]) => resource.Properties?.Runtime === 'nodejs24.x');
    expect(functions).toHaveLength(1);
    const [, fn] = functions[0]!;
    expect(fn.Properties).toMatchObject({ Handler: 'index.handler', MemorySize: 256, Architectures: ['arm64'] });
    const bundle = readFileSync(join(functionAssetDirectory(outdir, fn, STACK), 'index.mjs'), 'utf8');
    expect(bundle).toContain('team.onlyoffice.com');
  });

  it('schedules the check, creates the alert topic with the e-mail subscription, and alarms on itself', () => {
    // Assess
    expect(resourcesOfType(template, 'AWS::Scheduler::Schedule')).toHaveLength(1);
    expect(resourcesOfType(template, 'AWS::SNS::Topic')).toHaveLength(1);
    expect(resourcesOfType(template, 'AWS::SNS::Subscription').map(([, resource]) => resource.Properties)).toContainEqual(
      expect.objectContaining({ Protocol: 'email', Endpoint: 'team@example.com' }),
    );
    expect(resourcesOfType(template, 'AWS::CloudWatch::Alarm').length).toBeGreaterThanOrEqual(4);
  });

  it('writes nothing into the working directory it was started from', () => {
    // Assess
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(existsSync(outdir)).toBe(true);
  });

  it('refuses a bad config object with the CLI\'s messages, by path, and without a stack trace', async () => {
    // Act
    const bad = await runNode([appFile, join(root, 'bad-assembly'), JSON.stringify({ ...CONFIG, policy: { graceMinutes: 5 } })], elsewhere);

    // Assess
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^invalid config \(the config prop of TeamStack\/Backups\):\n {2}- policy\.graceMinutes: /);
    expect(bad.stderr).not.toMatch(/^\s+at /m);
  });
});
