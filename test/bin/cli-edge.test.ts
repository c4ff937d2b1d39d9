/**
 * Issue 10's edge rules as a user meets them: `docspace-backup-monitor check --json --now` in a
 * child process against simulated portals on loopback. A 200 that is not DocSpace's, the README's
 * placeholder key and undated history records in one run; then three daily runs with `--state`,
 * in which an unreachable portal and a schedule that never ran turn critical.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalMemory } from '../../functions/check/notify/types.ts';
import { runCli, type CliResult } from '../support/cli-process.ts';
import { envelope, startSimulatedPortals, type SimulatedPortals } from '../support/simulated-portal.ts';

const KEY = 'sk-test-cli-edge-8e4a2c6b0d1f3957';
const FIRST_RUN = '2027-01-04T07:00:00Z';
const DAILY = { storageType: 0, storageParams: { folderId: '12' }, cronParams: { period: 0, hour: 2, day: 0 }, backupsStored: 7 };

interface PortalReport {
  readonly name: string;
  readonly status: string;
  readonly findings: readonly { readonly code: string; readonly severity: string; readonly cause?: string; readonly message: string }[];
  readonly evidenceNotes?: { readonly skippedHistoryRecords?: number };
}

let dir: string;
let server: SimulatedPortals;

function portalOf(result: CliResult, name: string): PortalReport {
  const report = JSON.parse(result.stdout) as { portals: PortalReport[] };
  return report.portals.find((portal) => portal.name === name)!;
}

function config(names: readonly string[], requireArchive: boolean): string {
  return JSON.stringify({
    portals: names.map((name) => ({ name, url: server.urlOf(name), apiKey: { env: name === 'placeholder-key' ? 'PLACEHOLDER_KEY' : 'KEY' } })),
    policy: { requireArchive },
  });
}

function check(args: readonly string[]): Promise<CliResult> {
  return runCli(['check', '--json', ...args], { cwd: dir, env: { KEY, PLACEHOLDER_KEY: 'sk-…' } });
}

beforeAll(async () => {
  server = await startSimulatedPortals({
    'login-page': { apiKey: KEY, schedule: { body: { login: true, redirectUrl: 'https://sso.example.com/login' } } },
    'placeholder-key': { apiKey: KEY, schedule: { ...DAILY, lastBackupTime: '2027-01-04T02:03:00' } },
    'odd-history': {
      apiKey: KEY,
      schedule: { ...DAILY, lastBackupTime: '2027-01-04T02:03:00' },
      history: { body: envelope([{ id: 'a', fileName: 'a.tar.gz', createdOn: '2027-01-04T02:15:00' }, { id: 'b', fileName: 'b.tar.gz', createdOn: 'soon' }]) },
    },
    down: { apiKey: KEY, schedule: { status: 503, body: '<html>503</html>' } },
    'never-ran': { apiKey: KEY, schedule: { ...DAILY, lastBackupTime: '0001-01-01T00:00:00' } },
  });
  dir = await mkdtemp(join(tmpdir(), 'docspace-backup-monitor-cli-edge-'));
  await writeFile(join(dir, 'edges.json'), config(['login-page', 'placeholder-key', 'odd-history'], true));
  await writeFile(join(dir, 'runs.json'), config(['down', 'never-ran'], false));
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('docspace-backup-monitor check at the DocSpace edge', () => {
  it('names a login page, the placeholder key and undated history records for what they are', async () => {
    // Act
    const result = await check(['--config', 'edges.json', '--now', FIRST_RUN]);

    // Assess
    expect(result.code).toBe(3);
    expect(portalOf(result, 'login-page').findings).toEqual([expect.objectContaining({ code: 'CHECK_FAILED', cause: 'BAD_RESPONSE', severity: 'warning' })]);
    expect(portalOf(result, 'placeholder-key').findings).toEqual([expect.objectContaining({ code: 'CHECK_FAILED', cause: 'API_KEY_INVALID', severity: 'critical' })]);
    expect(portalOf(result, 'odd-history')).toMatchObject({ status: 'OK', evidenceNotes: { skippedHistoryRecords: 1 } });
    expect(`${result.stdout}${result.stderr}`).not.toContain('sk-…');
    expect(server.requests.filter((request) => request.portal === 'placeholder-key')).toEqual([]);
  });

  it('turns an unreachable portal and a schedule that never ran critical over three daily runs with --state', async () => {
    // Prepare
    const args = ['--config', 'runs.json', '--state', 'state.json', '--show-alerts'];

    // Act
    const runs: CliResult[] = [];
    for (const day of ['2027-01-04', '2027-01-05', '2027-01-06']) runs.push(await check([...args, '--now', `${day}T07:00:00Z`]));
    const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { portals: Record<string, PortalMemory> };

    // Assess
    expect(runs.map((run) => run.code)).toEqual([3, 3, 2]);
    const severities = (name: string, code: string) => runs.map((run) => portalOf(run, name).findings.find((finding) => finding.code === code)?.severity);
    expect(severities('down', 'CHECK_FAILED')).toEqual(['warning', 'warning', 'critical']);
    expect(severities('never-ran', 'NEVER_RAN')).toEqual(['warning', 'warning', 'critical']);
    expect(state.portals.down).toMatchObject({ uncheckedRuns: 3, uncheckedSince: '2027-01-04T07:00:00.000Z' });
    expect(state.portals['never-ran']).toMatchObject({ neverRanSince: '2027-01-04T07:00:00.000Z' });
  });
});
