/**
 * Part 4 of `npm run bench`: how fast the `docspace-backup-monitor` command starts, against
 * `node -e 0` in the same run. The command as shipped (dist/cli.mjs, one esbuild bundle) runs
 * `--help` and a `check` of one simulated portal (loopback); for comparison, the same CLI
 * compiled module by module with tsc (the other build considered) and run through tsx (how it
 * ran before it was compiled). The variants take turns, so a busy machine slows all of them alike.
 *
 * Alone: `npm run bench:cli [-- --runs N] [-- --no-comparisons]`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildScenarios } from '../test/support/scenarios.ts';
import { startSimulatedPortals } from '../test/support/simulated-portal.ts';
import { median, PROJECT_ROOT, runNode } from './bench-build.ts';
import { buildJavaScript, CLI_BUNDLE } from './build.ts';

/** One way of starting the command, with its median wall time over the runs. */
export interface CliStartup {
  readonly label: string;
  readonly args: readonly string[];
  readonly medianMs: number;
  readonly minMs: number;
  /** The exit codes seen (0 expected: `--help`, and a check of a healthy portal). */
  readonly codes: readonly (number | null)[];
}

/** The figures of part 4. */
export interface CliReport {
  readonly runs: number;
  readonly floor: CliStartup;
  readonly help: CliStartup;
  readonly check: CliStartup;
  /** Comparisons (tsc emit, tsx); empty with --no-comparisons. */
  readonly comparisons: readonly CliStartup[];
}

const KEY_VARIABLE = 'BENCH_DOCSPACE_KEY';
const KILL_AFTER_MS = 60_000;

/** Compiles bin/cli.ts module by module with tsc into .scratch/cli-tsc/; returns the entry, or `undefined` when tsc failed. */
function compileWithTsc(): string | undefined {
  const outDir = join(PROJECT_ROOT, '.scratch', 'cli-tsc');
  const tsconfig = join(PROJECT_ROOT, '.scratch', 'tsconfig.cli-tsc.json');
  const config = {
    extends: '../tsconfig.json',
    compilerOptions: { noEmit: false, rewriteRelativeImportExtensions: true, module: 'nodenext', moduleResolution: 'nodenext', rootDir: '..', outDir: 'cli-tsc' },
    include: ['../bin/cli.ts'],
  };
  mkdirSync(join(PROJECT_ROOT, '.scratch'), { recursive: true });
  writeFileSync(tsconfig, JSON.stringify(config));
  const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', tsconfig], { encoding: 'utf8' });
  if (result.status !== 0) {
    console.log(`   tsc emit failed, comparison left out: ${(result.stdout || result.stderr).split('\n')[0]}`);
    return undefined;
  }
  return join(outDir, 'bin', 'cli.js');
}

/**
 * Measures the command's start-up.
 *
 * @param runs - fresh processes per variant
 * @param comparisons - also the tsc-emitted and the tsx-run CLI
 */
export async function measureCliStartup(runs: number, comparisons: boolean): Promise<CliReport> {
  await buildJavaScript();
  const key = 'sk-bench-cli-0123456789abcdef';
  const [healthy] = buildScenarios(new Date(), () => key).filter((scenario) => scenario.name === 'compliant');
  const portals = await startSimulatedPortals({ bench: healthy!.portal });
  const dir = await mkdtemp(join(tmpdir(), 'docspace-bench-cli-'));
  try {
    const configPath = join(dir, 'monitor.config.json');
    await writeFile(configPath, JSON.stringify({ portals: [{ name: 'bench', url: portals.urlOf('bench'), apiKey: { env: KEY_VARIABLE } }] }));
    const env = { ...process.env, [KEY_VARIABLE]: key, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const variants: { label: string; args: string[] }[] = [
      { label: 'node -e 0', args: ['-e', '0'] },
      { label: 'docspace-backup-monitor --help (dist/cli.mjs, esbuild bundle)', args: [CLI_BUNDLE, '--help'] },
      { label: 'docspace-backup-monitor check, one portal (dist/cli.mjs)', args: [CLI_BUNDLE, 'check', '--config', configPath] },
    ];
    if (comparisons) {
      const tscEntry = compileWithTsc();
      if (tscEntry !== undefined) variants.push({ label: 'comparison: --help, tsc emit, module by module', args: [tscEntry, '--help'] });
      if (tscEntry !== undefined) variants.push({ label: 'comparison: check, one portal, tsc emit', args: [tscEntry, 'check', '--config', configPath] });
      variants.push({ label: 'before: --help through tsx', args: ['--import', 'tsx', join(PROJECT_ROOT, 'bin', 'cli.ts'), '--help'] });
    }
    const times = variants.map(() => [] as number[]);
    const codes = variants.map(() => [] as (number | null)[]);
    for (let run = 0; run < runs; run += 1) {
      for (const [index, variant] of variants.entries()) {
        const started = performance.now();
        const result = await runNode(variant.args, env, KILL_AFTER_MS, false);
        times[index]!.push(performance.now() - started);
        codes[index]!.push(result.code);
      }
    }
    const startups = variants.map((variant, index) => ({
      label: variant.label,
      args: variant.args,
      medianMs: median(times[index]!),
      minMs: Math.min(...times[index]!),
      codes: [...new Set(codes[index])],
    }));
    const [floor, help, check, ...rest] = startups;
    return { runs, floor: floor!, help: help!, check: check!, comparisons: rest };
  } finally {
    await portals.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '11' }, 'no-comparisons': { type: 'boolean', default: false } } });
  const report = await measureCliStartup(Number(values.runs), !values['no-comparisons']);
  for (const startup of [report.floor, report.help, report.check, ...report.comparisons])
    console.log(
      `${startup.label.padEnd(66)} ${`${startup.medianMs.toFixed(0)} ms`.padStart(8)} (min ${startup.minMs.toFixed(0)} ms)  ${(startup.medianMs / report.floor.medianMs).toFixed(2)}x node -e 0  exit ${startup.codes.join(', ')}`,
    );
}
