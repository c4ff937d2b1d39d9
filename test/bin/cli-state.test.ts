/**
 * `docspace-backup-monitor check --state FILE` as a user runs it: the real command in a child
 * process, against the simulated portals on loopback, with a state file in a temp dir. The
 * file carries the memory from one run to the next: a first run alerts, an unchanged second run
 * reminds only at each severity's interval, a second delivery of a run sends nothing, and a
 * corrupt file is reported by name without a stack trace.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { PortalMemory } from '../../functions/check/notify/types.ts';
import { runCli, type CliResult } from '../support/cli-process.ts';
import { scenarioConfig, type Scenario } from '../support/scenarios.ts';
import { serveScenarios } from '../support/served-scenarios.ts';
import type { SimulatedPortals } from '../support/simulated-portal.ts';

/** Monday 2 March 2026, 10:00 in Berlin: every scenario is served as of this instant. */
const NOW = '2026-03-02T09:00:00.000Z';
/** The next run, an hour later: nothing about the portals has changed. */
const AN_HOUR_LATER = '2026-03-02T10:00:00.000Z';
/** The scenarios used: OK, CRITICAL (reminded every run by default), WARNING (every 7 runs). */
const USED = ['compliant', 'overdue', 'drifted'] as const;

const RETENTION_SILENCE = { portal: 'drifted', codes: ['RETENTION_TOO_LOW'], until: '2026-04-01T00:00:00Z', reason: 'two copies until the S3 bucket is ready' };
const EXPIRED_SILENCE = { portal: 'compliant', until: '2026-03-01T00:00:00Z', reason: 'maintenance window in February' };

interface JsonReport {
  readonly status: string;
  readonly portals: readonly {
    readonly name: string;
    readonly notification: string | null;
    readonly findings: readonly { readonly code: string; readonly silenced?: { readonly until: string; readonly reason: string } }[];
  }[];
  readonly expiredSilences?: readonly unknown[];
  readonly stateFailures?: readonly { readonly message: string }[];
}

interface StateFile {
  readonly version: number;
  readonly portals: Record<string, PortalMemory>;
}

let dir: string;
let server: SimulatedPortals;
let scenarios: readonly Scenario[];
let keyEnv: Record<string, string>;

function path(file: string): string {
  return join(dir, file);
}

/** `docspace-backup-monitor check …` in the temp dir, with the key variables set. */
function check(args: readonly string[]): Promise<CliResult> {
  return runCli(['check', ...args], { cwd: dir, env: keyEnv });
}

/** The `Attributes:` line of each alert `--show-alerts` printed, as `portal:state:codes`. */
function shownAlerts(output: string): string[] {
  return [...output.matchAll(/^Attributes: (.*)$/gm)].map(([, line]) => {
    const attributes = Object.fromEntries(line!.split(' ').map((pair) => pair.split('=') as [string, string]));
    return `${attributes.portal}:${attributes.state}:${attributes.codes}`;
  });
}

function notifications(report: JsonReport): Record<string, string | null> {
  return Object.fromEntries(report.portals.map((portal) => [portal.name, portal.notification]));
}

async function readState(file: string): Promise<StateFile> {
  return JSON.parse(await readFile(file, 'utf8')) as StateFile;
}

beforeAll(async () => {
  ({ scenarios, server, keyEnv } = await serveScenarios(new Date(NOW), USED));

  dir = await mkdtemp(join(tmpdir(), 'docspace-backup-monitor-cli-state-'));
  const document = scenarioConfig(scenarios, (name) => server.urlOf(name));
  await writeFile(path('monitor.json'), JSON.stringify({ ...document, silences: [RETENTION_SILENCE, EXPIRED_SILENCE] }));
  // No critical portal: a run that fails to keep its state exits 3, not 2.
  const portals = (document.portals as { name: string }[]).filter((portal) => portal.name !== 'overdue');
  await writeFile(path('no-critical.json'), JSON.stringify({ ...document, portals }));
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.concurrent('docspace-backup-monitor check --state', () => {
  it('alerts on the first run, then reminds only the critical portal, then sends nothing for a second delivery of the same run', async ({ expect }) => {
    // Prepare
    const state = path('state-sequence.json');
    const args = ['--config', 'monitor.json', '--state', state, '--json', '--show-alerts'];

    // Act
    const first = await check([...args, '--now', NOW]);
    const afterFirst = await readState(state);
    const second = await check([...args, '--now', AN_HOUR_LATER]);
    const afterSecond = await readState(state);
    const again = await check([...args, '--now', AN_HOUR_LATER]);

    // Assess
    expect([first.code, second.code, again.code]).toEqual([2, 2, 2]);
    const [firstReport, secondReport, againReport] = [first, second, again].map((result) => JSON.parse(result.stdout) as JsonReport);

    // First run: every portal that is not OK fires; the silenced code is left out of the alert.
    expect(notifications(firstReport!)).toEqual({ compliant: null, overdue: 'firing', drifted: 'firing' });
    expect(shownAlerts(first.stderr).sort()).toEqual(['drifted:firing:SCHEDULE_MISMATCH,STORAGE_NOT_ALLOWED', 'overdue:firing:BACKUP_OVERDUE,ARCHIVE_MISSING']);
    expect(Object.keys(afterFirst.portals).sort()).toEqual(['compliant', 'drifted', 'overdue']);
    expect(Object.values(afterFirst.portals).map((memory) => memory.lastRunKey)).toEqual([NOW, NOW, NOW]);

    // Second run, nothing changed: the critical portal is reminded (every run), the warning one is not (every 7).
    expect(notifications(secondReport!)).toEqual({ compliant: null, overdue: 'reminder', drifted: null });
    expect(shownAlerts(second.stderr)).toEqual(['overdue:reminder:BACKUP_OVERDUE,ARCHIVE_MISSING']);
    expect(afterSecond.portals.drifted).toMatchObject({ status: 'WARNING', runsSinceNotice: 1, lastNotifiedAt: NOW, lastRunKey: AN_HOUR_LATER });
    expect(afterSecond.portals.overdue).toMatchObject({ status: 'CRITICAL', runsSinceNotice: 0, lastNotifiedAt: AN_HOUR_LATER, lastRunKey: AN_HOUR_LATER });

    // The same run again: nothing sent, every portal reported as a duplicate, the file unchanged.
    expect(notifications(againReport!)).toEqual({ compliant: 'duplicate', overdue: 'duplicate', drifted: 'duplicate' });
    expect(shownAlerts(again.stderr)).toEqual([]);
    expect(await readState(state)).toEqual(afterSecond);

    // Each report marks the silenced finding and lists the expired silence.
    for (const report of [firstReport!, secondReport!]) {
      const drifted = report.portals.find((portal) => portal.name === 'drifted')!;
      expect(drifted.findings.map((finding) => [finding.code, finding.silenced ?? null])).toEqual([
        ['SCHEDULE_MISMATCH', null],
        ['STORAGE_NOT_ALLOWED', null],
        ['RETENTION_TOO_LOW', { until: RETENTION_SILENCE.until, reason: RETENTION_SILENCE.reason }],
      ]);
      expect(report.expiredSilences).toEqual([EXPIRED_SILENCE]);
    }
    expect(first.stderr).toContain(`warning: the silence of compliant (${EXPIRED_SILENCE.reason}) expired at ${EXPIRED_SILENCE.until}; remove it from the config`);
  });

  it('says which state file is corrupt, exits 3 without a stack trace, and leaves the file as it was', async ({ expect }) => {
    // Prepare
    const state = path('state-corrupt.json');
    const corrupt = '{"version": 1, "portals": {"drifted": ';
    await writeFile(state, corrupt);

    // Act
    const result = await check(['--config', 'no-critical.json', '--state', state, '--json', '--now', NOW]);

    // Assess
    expect(result.code).toBe(3);
    // Where the parser stopped is named when the Node version's JSON.parse message gives a position.
    const named = result.stderr.split('\n').filter((line) => line.startsWith(`error: state file ${state} is not valid JSON`));
    expect(named).toHaveLength(1);
    expect(named[0]).toMatch(/ is not valid JSON \(line 1, column \d+: the text ends too early [^)]*\)\): fix it, or delete it to start with no memory of earlier runs$/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toContain('SyntaxError');
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.status).toBe('WARNING');
    expect(report.stateFailures?.[0]?.message).toContain(`state file ${state} is not valid JSON`);
    expect(await readFile(state, 'utf8')).toBe(corrupt);
  });
});
