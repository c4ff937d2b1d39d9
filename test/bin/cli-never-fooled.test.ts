/**
 * Issue 10, "never fooled", through the real command: one `docspace-backup-monitor check --json
 * --now` in a child process, against simulated portals on loopback that each try one trick (a
 * future lastBackupTime, a future archive, --now before the evidence, a Windows zone id in
 * summer, an unreadable zone, an unknown storage type, a reset schedule). One process judges
 * them all; each rule's test reads its portal from the one report.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli-process.ts';
import { keyVariableOf, wireTime } from '../support/scenarios.ts';
import { startSimulatedPortals, type BackupRecordWire, type BackupScheduleWire, type SimulatedPortal, type SimulatedPortals } from '../support/simulated-portal.ts';

/** Thursday 2 July 2026, 09:30 in Berlin (CEST), 03:30 in New York (EDT). */
const NOW = new Date('2026-07-02T07:30:00.000Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Today's 02:00 Berlin slot (00:00Z in summer). */
const BERLIN_SLOT = new Date('2026-07-02T00:00:00.000Z');
const BERLIN = { timezone: 'Europe/Berlin', utcOffset: '02:00:00', utcHoursOffset: 2 };
/** A generous kill timer: the machine may be busy, and the test asserts on behaviour, not speed. */
const KILL_AFTER_MS = 55_000;

interface ReportFinding {
  readonly code: string;
  readonly message: string;
  readonly actual?: Record<string, unknown>;
}

interface ReportPortal {
  readonly name: string;
  readonly status: string;
  readonly timeZone: string;
  readonly timeZoneNote?: string;
  readonly findings: readonly ReportFinding[];
  readonly evidenceNotes?: { readonly skippedHistoryRecords?: number };
}

function after(ms: number): Date {
  return new Date(NOW.getTime() + ms);
}

function schedule(lastBackupTime: Date | null, changes: Partial<BackupScheduleWire> = {}): BackupScheduleWire {
  return {
    storageType: 0,
    storageParams: { folderId: '5182' },
    cronParams: { period: 0, hour: 2, day: 0 },
    backupsStored: 7,
    lastBackupTime: lastBackupTime === null ? '0001-01-01T00:00:00' : wireTime(lastBackupTime),
    dump: false,
    ...changes,
  };
}

function archive(name: string, createdOn: Date | string): BackupRecordWire {
  const wire = typeof createdOn === 'string' ? createdOn : wireTime(createdOn);
  return { id: randomUUID(), fileName: `${name}_${wire.replace(/[:T]/g, '-')}.tar.gz`, storageType: 0, createdOn: wire, expiresOn: '0001-01-01T00:00:00' };
}

/** Each trick, as a portal and its own policy. */
const PORTALS: Readonly<Record<string, { readonly portal: Omit<SimulatedPortal, 'apiKey'>; readonly policy?: Record<string, unknown> }>> = {
  // Backups stopped three days ago; lastBackupTime was written a year ahead. Only dispatch is watched.
  'future-dispatch': {
    portal: { settings: BERLIN, schedule: schedule(after(365 * DAY)) },
    policy: { requireArchive: false, maxBackupAgeHours: 48 },
  },
  // Dispatched on time, but the only archive since the slot is dated a month ahead.
  'future-archive': {
    portal: { settings: BERLIN, schedule: schedule(new Date(BERLIN_SLOT.getTime() + 7 * MINUTE)), history: [archive('future-archive', after(30 * DAY)), archive('future-archive', after(-5 * DAY))] },
  },
  // A portal that is compliant two days from now, judged with --now today.
  'now-before-evidence': {
    portal: { settings: BERLIN, schedule: schedule(after(2 * DAY)), history: [archive('now-before-evidence', after(2 * DAY + 12 * MINUTE))] },
  },
  // Dispatched yesterday at 02:05 EST, i.e. an hour late for yesterday's 02:00 EDT slot, and not today.
  'windows-zone': {
    portal: {
      settings: { timezone: 'Eastern Standard Time', utcOffset: '-05:00:00', utcHoursOffset: -5 },
      schedule: schedule(new Date('2026-07-01T07:05:00.000Z')),
      history: [archive('windows-zone', new Date('2026-07-01T07:10:00.000Z'))],
    },
  },
  // The zone cannot be read; nothing ran for three days, which is late in every zone.
  'unknown-zone': {
    portal: { settings: { timezone: 'Nowhere/Atlantis' }, schedule: schedule(after(-3 * DAY)), history: [archive('unknown-zone', after(-3 * DAY + 10 * MINUTE))] },
  },
  // A storage type DocSpace added after this monitor, a history record without a date, and nothing ran for three days.
  'unknown-storage': {
    portal: {
      settings: BERLIN,
      schedule: schedule(after(-3 * DAY), { storageType: 9, storageParams: {} }),
      history: [archive('unknown-storage', after(-3 * DAY + 10 * MINUTE)), archive('unknown-storage', '0001-01-01T00:00:00')],
    },
    policy: { allowedStorageTypes: ['Documents'] },
  },
  // Someone saves the schedule every day: lastBackupTime is always year 1, and the last archive is ten days old.
  'reset-schedule': {
    portal: { settings: BERLIN, schedule: schedule(null), history: [archive('reset-schedule', after(-10 * DAY))] },
    policy: { maxBackupAgeHours: 48 },
  },
};

let dir: string;
let server: SimulatedPortals;
let result: CliResult;
let portals: Map<string, ReportPortal>;

function portal(name: string): ReportPortal {
  const found = portals.get(name);
  if (!found) throw new Error(`no portal ${name} in the report: ${result.stdout.slice(0, 500)} ${result.stderr.slice(0, 500)}`);
  return found;
}

function codes(name: string): string[] {
  return portal(name).findings.map((finding) => finding.code);
}

function finding(name: string, code: string): ReportFinding {
  const found = portal(name).findings.find((candidate) => candidate.code === code);
  if (!found) throw new Error(`no ${code} for ${name}: ${JSON.stringify(codes(name))}`);
  return found;
}

beforeAll(async () => {
  const keys = Object.fromEntries(Object.keys(PORTALS).map((name) => [name, `nf${randomUUID().replace(/-/g, '')}`]));
  server = await startSimulatedPortals(Object.fromEntries(Object.entries(PORTALS).map(([name, { portal }]) => [name, { ...portal, apiKey: keys[name]! }])));
  dir = await mkdtemp(join(tmpdir(), 'docspace-never-fooled-'));
  const config = {
    portals: Object.entries(PORTALS).map(([name, { policy }]) => ({
      name,
      url: server.urlOf(name),
      apiKey: { env: keyVariableOf(name), scheme: 'bearer' },
      ...(policy ? { policy } : {}),
    })),
    policy: { graceMinutes: 60, archiveGraceMinutes: 240 },
  };
  await writeFile(join(dir, 'never-fooled.json'), JSON.stringify(config, null, 2));
  const env = Object.fromEntries(Object.entries(keys).map(([name, key]) => [keyVariableOf(name), key]));
  result = await runCli(['check', '--config', 'never-fooled.json', '--json', '--now', NOW.toISOString()], { cwd: dir, env, killAfterMs: KILL_AFTER_MS });
  const report = JSON.parse(result.stdout) as { readonly portals: readonly ReportPortal[] };
  portals = new Map(report.portals.map((entry) => [entry.name, entry]));
}, KILL_AFTER_MS + 10_000);

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('docspace-backup-monitor check --json --now: never fooled', () => {
  it('exits 2: at least one trick is a critical finding', ({ expect }) => {
    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('rule 1: reports a lastBackupTime a year ahead as FUTURE_TIMESTAMP, and the portal as overdue and too old', ({ expect }) => {
    // Assess
    expect(portal('future-dispatch').status).toBe('CRITICAL');
    expect(codes('future-dispatch')).toEqual(['BACKUP_OVERDUE', 'BACKUP_TOO_OLD', 'FUTURE_TIMESTAMP']);
    expect(finding('future-dispatch', 'FUTURE_TIMESTAMP').actual).toMatchObject({ field: 'lastBackupTime', now: NOW.toISOString() });
  });

  it('rule 1: does not let an archive dated a month ahead satisfy ARCHIVE_MISSING', ({ expect }) => {
    // Assess
    expect(portal('future-archive').status).toBe('CRITICAL');
    expect(codes('future-archive')).toEqual(['ARCHIVE_MISSING', 'FUTURE_TIMESTAMP']);
    expect(finding('future-archive', 'FUTURE_TIMESTAMP').actual).toMatchObject({ field: 'createdOn' });
  });

  it('rule 9: judges --now before the evidence as evidence in the future', ({ expect }) => {
    // Assess
    expect(portal('now-before-evidence').status).toBe('CRITICAL');
    expect(codes('now-before-evidence')).toEqual(['BACKUP_OVERDUE', 'ARCHIVE_MISSING', 'FUTURE_TIMESTAMP', 'FUTURE_TIMESTAMP']);
  });

  it('rule 3: judges "Eastern Standard Time" in America/New_York, on summer time, not at the fixed -05:00', ({ expect }) => {
    // Assess
    expect(portal('windows-zone')).toMatchObject({ status: 'CRITICAL', timeZone: 'America/New_York' });
    expect(portal('windows-zone').timeZoneNote).toBeUndefined();
    expect(codes('windows-zone')).toEqual(['BACKUP_OVERDUE']);
    expect(finding('windows-zone', 'BACKUP_OVERDUE').message).toContain('2026-07-02 02:00 America/New_York (06:00 UTC)');
  });

  it('rule 4: reports BACKUP_OVERDUE for a portal late in every zone although its zone cannot be read', ({ expect }) => {
    // Assess
    expect(portal('unknown-zone')).toMatchObject({ status: 'CRITICAL', timeZone: 'unknown' });
    expect(codes('unknown-zone')).toEqual(['BACKUP_OVERDUE', 'ARCHIVE_MISSING', 'CHECK_FAILED']);
    expect(finding('unknown-zone', 'BACKUP_OVERDUE').message).toContain('every possible time zone');
  });

  it('rule 5: names an unknown storage type and still judges freshness and archive, skipping the undated record', ({ expect }) => {
    // Assess
    expect(portal('unknown-storage').status).toBe('CRITICAL');
    expect(codes('unknown-storage')).toEqual(['BACKUP_OVERDUE', 'ARCHIVE_MISSING', 'STORAGE_NOT_ALLOWED']);
    expect(finding('unknown-storage', 'STORAGE_NOT_ALLOWED').message).toContain('unknown storage type 9');
    // The undated record is skipped and counted: by the verdict in the finding, or by the DocSpace edge in the report's notes.
    const counted = finding('unknown-storage', 'ARCHIVE_MISSING').message.includes('1 record without a usable date was skipped');
    expect(counted || portal('unknown-storage').evidenceNotes?.skippedHistoryRecords === 1).toBe(true);
  });

  it('rule 6: judges age and archive from the history when lastBackupTime is year 1', ({ expect }) => {
    // Assess
    expect(portal('reset-schedule').status).toBe('CRITICAL');
    expect(codes('reset-schedule')).toEqual(['BACKUP_TOO_OLD', 'ARCHIVE_MISSING', 'NEVER_RAN']);
  });
});
