/**
 * `check --archive DIR` and `report --archive DIR` as a cron user runs them: the real command in
 * child processes against the simulated portals. Each check run leaves its report in the folder,
 * partitioned by day; a folder that cannot be written fails the run with exit 3 after the table;
 * `report` reads the folder back.
 */
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli-process.ts';
import { scenarioConfig, type Scenario } from '../support/scenarios.ts';
import { serveScenarios } from '../support/served-scenarios.ts';
import type { SimulatedPortals } from '../support/simulated-portal.ts';

const NOW = '2026-03-02T09:00:00.000Z';
const USED = ['compliant', 'drifted'] as const;

let dir: string;
let server: SimulatedPortals;
let scenarios: readonly Scenario[];
let keyEnv: Record<string, string>;

function check(args: readonly string[]): Promise<CliResult> {
  return runCli(['check', '--config', 'monitor.json', '--now', NOW, ...args], { cwd: dir, env: keyEnv });
}

beforeAll(async () => {
  ({ scenarios, server, keyEnv } = await serveScenarios(new Date(NOW), USED));
  dir = await mkdtemp(join(tmpdir(), 'docspace-backup-monitor-cli-archive-'));
  await writeFile(join(dir, 'monitor.json'), JSON.stringify(scenarioConfig(scenarios, (name) => server.urlOf(name))));
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('docspace-backup-monitor check --archive', () => {
  it("keeps the run's JSON report under its day, and report reads it back", async () => {
    // Act
    const run = await check(['--archive', 'evidence', '--json']);
    const report = await runCli(['report', '--archive', 'evidence', '--from', '2026-03-01', '--to', '2026-03-02', '--format', 'json'], { cwd: dir });

    // Assess
    expect(run.code, run.stderr).toBe(1);
    const day = join(dir, 'evidence', 'reports', 'year=2026', 'month=03', 'day=02');
    const files = await readdir(day);
    expect(files).toEqual([expect.stringMatching(/^20260302T090000Z_2026-03-02T09-00-00\.000Z\.json$/)]);
    const archived = JSON.parse(await readFile(join(day, files[0]!), 'utf8')) as Record<string, unknown>;
    expect(archived).toEqual({ ...(JSON.parse(run.stdout) as Record<string, unknown>) });
    for (const key of Object.values(keyEnv)) expect(JSON.stringify(archived)).not.toContain(key);

    expect(report.code, report.stderr).toBe(0);
    const compliance = JSON.parse(report.stdout) as { fleet: { runs: number; daysWithoutRun: string[] }; portals: { name: string; days: string[] }[] };
    expect(compliance.fleet.runs).toBe(1);
    expect(compliance.fleet.daysWithoutRun).toEqual(['2026-03-01']);
    expect(Object.fromEntries(compliance.portals.map((portal) => [portal.name, portal.days]))).toEqual({ compliant: ['no-run', 'compliant'], drifted: ['no-run', 'warning'] });
  });

  it('fails the run with exit 3 and says why when the report cannot be kept, after printing the report', async () => {
    // Prepare: a folder the run may not write into (root ignores modes, so a file stands where the folder should be).
    await writeFile(join(dir, 'not-a-folder'), 'x');
    await chmod(join(dir, 'not-a-folder'), 0o400);

    // Act
    const run = await check(['--archive', 'not-a-folder']);

    // Assess
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('WARNING: 2 portals checked');
    expect(run.stderr).toMatch(/^error: the report could not be archived in not-a-folder \(reports\/year=2026\/month=03\/day=02\/[^)]+\): E(NOTDIR|EXIST)$/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('docspace-backup-monitor report', () => {
  it.each([
    [['--to', '2026-03-02', '--archive', 'x'], '--from is required, e.g. --from 2026-07-01'],
    [['--from', '2026-02-30', '--to', '2026-03-02', '--archive', 'x'], '--from must be a day such as 2026-07-01, got "2026-02-30"'],
    [['--from', '2026-03-02', '--to', '2026-03-01', '--archive', 'x'], '--to (2026-03-01) is before --from (2026-03-02)'],
    [['--from', '2024-01-01', '--to', '2026-03-01', '--archive', 'x'], 'the period is 791 days; one report covers at most 732'],
    [['--from', '2026-03-01', '--to', '2026-03-02'], 'give exactly one of --bucket NAME and --archive DIR'],
    [['--from', '2026-03-01', '--to', '2026-03-02', '--archive', 'x', '--bucket', 'b-1'], 'give exactly one of --bucket NAME and --archive DIR'],
    [['--from', '2026-03-01', '--to', '2026-03-02', '--archive', 'x', '--format', 'pdf'], '--format must be one of md, csv, json, html, got "pdf"'],
    [['--from', '2026-03-01', '--to', '2026-03-02', '--bucket', 'Not_A_Bucket'], '--bucket: the report bucket must be an S3 bucket name, got "Not_A_Bucket"'],
  ])('refuses %j with exit 3 and one line naming the problem', async (args, message) => {
    // Act
    const result = await runCli(['report', ...args], { cwd: dir });

    // Assess
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe(`error: ${message}`);
  });
});
