import { describe, expect, it } from 'vitest';
import type { BackupProgress, BackupRecord, BackupSchedule } from '../../../functions/check/docspace/schemas.ts';
import {
  CheckFailedCause,
  Status,
  type BackupPolicy,
  type EvidenceFailure,
  type EvidenceSource,
  type Fetched,
  type FindingCode,
  type PortalZone,
  type Verdict,
} from '../../../functions/check/policy/types.ts';
import { checkFailedFinding, evaluate, overallStatus, type VerdictInput } from '../../../functions/check/policy/verdict.ts';
import { historyFixture, progressFixture, scheduleFixture } from './docspace-fixtures.ts';

const PORTAL = { name: 'acme', url: 'https://acme.onlyoffice.com/' };
const BERLIN: PortalZone = { kind: 'iana', id: 'Europe/Berlin' };
const POLICY: BackupPolicy = {
  graceMinutes: 60,
  archiveGraceMinutes: 240,
  requireArchive: true,
  checkLastBackupError: true,
  severity: {},
};

/**
 * schedule-daily.json: every day at 02:00 Europe/Berlin (01:00 UTC in March), last dispatched
 * 2026-03-02T01:07:41Z. history.json: newest archive 2026-03-02T01:19:52Z.
 */
function daily(changes: Partial<BackupSchedule> = {}): BackupSchedule {
  const schedule = scheduleFixture('schedule-daily.json');
  if (schedule === null) throw new Error('schedule-daily.json has no schedule');
  return { ...schedule, ...changes };
}

/** All is well: the 2026-03-02 slot was dispatched and archived. */
const FRESH_NOW = new Date('2026-03-02T07:00:00Z');
/** The 2026-03-03 slot (01:00 UTC) plus 60 min grace has passed; its archive grace has not. */
const OVERDUE_NOW = new Date('2026-03-03T02:00:00Z');

function ok<T>(value: T): Fetched<T> {
  return { ok: true, value };
}

function failed(source: EvidenceSource, cause: CheckFailedCause, httpStatus?: number): Fetched<never> {
  return { ok: false, failure: { source, cause, detail: `${source} request failed`, httpStatus } };
}

/** What a test changes: any input, and policy keys merged over {@link POLICY}. */
type Changes = Omit<Partial<VerdictInput>, 'policy'> & { readonly policy?: Partial<BackupPolicy> };

function judge(changes: Changes = {}): Verdict {
  return evaluate({
    portal: PORTAL,
    zone: BERLIN,
    schedule: ok(daily()),
    progress: ok(progressFixture('progress-ok.json')),
    history: ok(historyFixture('history.json')),
    now: FRESH_NOW,
    ...changes,
    policy: { ...POLICY, ...changes.policy },
  });
}

function codes(verdict: Verdict): FindingCode[] {
  return verdict.findings.map((finding) => finding.code);
}

function findingOf(verdict: Verdict, code: FindingCode) {
  const finding = verdict.findings.find((candidate) => candidate.code === code);
  if (!finding) throw new Error(`no ${code} in ${JSON.stringify(codes(verdict))}`);
  return finding;
}

describe('evaluate', () => {
  describe('with the fixtures', () => {
    it('reports OK with no findings when the last slot was dispatched and archived', () => {
      // Act
      const verdict = judge();

      // Assess
      expect(verdict).toEqual({
        portal: 'acme',
        url: 'https://acme.onlyoffice.com/',
        status: Status.OK,
        timeZone: 'Europe/Berlin',
        checkedAt: FRESH_NOW,
        lastBackupTime: new Date('2026-03-02T01:07:41Z'),
        findings: [],
      });
    });

    it('reports NO_SCHEDULE as CRITICAL for schedule-none.json', () => {
      // Act
      const verdict = judge({ schedule: ok(scheduleFixture('schedule-none.json')) });

      // Assess
      expect(verdict.status).toBe(Status.CRITICAL);
      expect(verdict.findings).toEqual([expect.objectContaining({ code: 'NO_SCHEDULE', severity: 'critical' })]);
      expect(verdict.lastBackupTime).toBeUndefined();
    });

    it('reports BACKUP_OVERDUE for schedule-weekly-s3.json a week after its Monday 23:00 slot', () => {
      // Prepare: Monday 2026-03-02 23:00 Berlin is 22:00 UTC; last dispatched 2026-02-24T04:11:03Z.
      const schedule = scheduleFixture('schedule-weekly-s3.json');

      // Act
      const before = judge({ schedule: ok(schedule), now: new Date('2026-03-02T22:59:59Z') });
      const after = judge({ schedule: ok(schedule), now: new Date('2026-03-02T23:00:00Z') });

      // Assess
      expect(codes(before)).toEqual([]);
      expect(codes(after)).toEqual(['BACKUP_OVERDUE']);
    });

    it('reports BACKUP_OVERDUE for schedule-monthly.json once April 1 03:00 Berlin (01:00 UTC) + grace has passed', () => {
      // Prepare: last dispatched 2026-03-01T03:02:19Z.
      const schedule = scheduleFixture('schedule-monthly.json');

      // Act
      const before = judge({ schedule: ok(schedule), now: new Date('2026-04-01T01:59:59Z') });
      const after = judge({ schedule: ok(schedule), now: new Date('2026-04-01T02:00:00Z') });

      // Assess
      expect(codes(before)).toEqual([]);
      expect(codes(after)).toEqual(['BACKUP_OVERDUE']);
    });

    it('reports LAST_BACKUP_FAILED for progress-failed.json although its status is "completed"', () => {
      // Act
      const verdict = judge({ progress: ok(progressFixture('progress-failed.json')) });

      // Assess
      expect(verdict.status).toBe(Status.CRITICAL);
      expect(codes(verdict)).toEqual(['LAST_BACKUP_FAILED']);
      expect(verdict.findings[0]?.message).toContain('"The required folder was not found"');
    });
  });

  describe('BACKUP_OVERDUE', () => {
    it.each([
      // The 2026-03-03 slot is 01:00 UTC; grace 60 min ends at 02:00 UTC.
      ['now just before slot + grace', '2026-03-03T01:59:59.999Z', Status.OK],
      ['now exactly at slot + grace', '2026-03-03T02:00:00Z', Status.CRITICAL],
      ['now just after slot + grace', '2026-03-03T02:00:00.001Z', Status.CRITICAL],
    ])('judges %s as %s', (_scenario, now, expected) => {
      // Act
      const verdict = judge({ now: new Date(now) });

      // Assess
      expect(verdict.status).toBe(expected);
      expect(codes(verdict)).toEqual(expected === Status.OK ? [] : ['BACKUP_OVERDUE']);
    });

    it.each([
      ['last backup just before the slot', '2026-03-03T00:59:59.999Z', ['BACKUP_OVERDUE']],
      ['last backup exactly at the slot', '2026-03-03T01:00:00Z', []],
      ['last backup just after the slot', '2026-03-03T01:00:00.001Z', []],
    ])('judges %s', (_scenario, lastBackupTime, expected) => {
      // Act
      const verdict = judge({ schedule: ok(daily({ lastBackupTime: new Date(lastBackupTime) })), now: OVERDUE_NOW });

      // Assess
      expect(codes(verdict)).toEqual(expected);
    });

    it('says when the last backup was dispatched and when one was due, in UTC and local time, with grace', () => {
      // Act
      const finding = findingOf(judge({ now: OVERDUE_NOW }), 'BACKUP_OVERDUE');

      // Assess
      expect(finding.message).toContain('last backup dispatched 2026-03-02 01:07 UTC (02:07 Europe/Berlin)');
      expect(finding.message).toContain('a backup was due by 2026-03-03 02:00 Europe/Berlin (01:00 UTC) + 60 min grace');
      expect(finding.expected).toEqual({ lastBackupTimeNotBefore: '2026-03-03T01:00:00.000Z', graceMinutes: 60 });
      expect(finding.actual).toEqual({ lastBackupTime: '2026-03-02T01:07:41.000Z' });
      expect(finding.remedy).toContain('Settings > Backup');
    });

    it('judges a fixed zone at its constant offset, ignoring DST', () => {
      // Prepare: in July Berlin's 02:00 is 00:00 UTC, a fixed +01:00 zone's 02:00 is 01:00 UTC.
      const schedule = ok(daily({ lastBackupTime: new Date('2026-07-02T00:30:00Z') }));
      const now = new Date('2026-07-02T02:00:00Z');
      const fixed: PortalZone = { kind: 'fixed', offsetMinutes: 60, reportedId: 'W. Europe Standard Time' };

      // Act
      const inBerlin = judge({ schedule, now, history: ok([]), policy: { requireArchive: false } });
      const atFixedOffset = judge({ schedule, now, zone: fixed, zoneNote: 'judged at +01:00', policy: { requireArchive: false } });

      // Assess
      expect(codes(inBerlin)).toEqual([]);
      expect(codes(atFixedOffset)).toEqual(['BACKUP_OVERDUE']);
      expect(atFixedOffset.timeZone).toBe('UTC+01:00');
      expect(atFixedOffset.timeZoneNote).toBe('judged at +01:00');
      expect(findingOf(atFixedOffset, 'BACKUP_OVERDUE').message).toContain('2026-07-02 02:00 UTC+01:00 (01:00 UTC)');
    });
  });

  describe('NEVER_RAN', () => {
    it('warns and judges no overdue for schedule-never-run.json, but age and archive from its empty history', () => {
      // Prepare: long after any slot, with an age limit and an empty history (issue 10, rule 6).
      const verdict = judge({
        schedule: ok(scheduleFixture('schedule-never-run.json')),
        history: ok(historyFixture('history-empty.json')),
        now: new Date('2027-01-01T00:00:00Z'),
        policy: { maxBackupAgeHours: 24 },
      });

      // Assess
      expect(verdict.status).toBe(Status.CRITICAL);
      expect(codes(verdict)).toEqual(['BACKUP_TOO_OLD', 'ARCHIVE_MISSING', 'NEVER_RAN']);
      expect(verdict.lastBackupTime).toBeNull();
    });

    it('names the schedule and its next slot in UTC and local time', () => {
      // Prepare: weekly, day 6 = Friday, 22:00 Berlin. 2026-03-06 is a Friday.
      const verdict = judge({ schedule: ok(scheduleFixture('schedule-never-run.json')), now: FRESH_NOW });

      // Act
      const finding = findingOf(verdict, 'NEVER_RAN');

      // Assess
      expect(finding.message).toContain('every Friday at 22:00 Europe/Berlin');
      expect(finding.message).toContain('2026-03-06 22:00 Europe/Berlin (21:00 UTC)');
    });
  });

  describe('BACKUP_TOO_OLD', () => {
    it.each([
      // Last dispatched 2026-03-02T01:07:41Z; 24 h later is 2026-03-03T01:07:41Z (before the next slot's grace ends).
      ['just under the maximum age', '2026-03-03T01:07:40.999Z', []],
      ['exactly the maximum age', '2026-03-03T01:07:41Z', []],
      ['just over the maximum age', '2026-03-03T01:07:41.001Z', ['BACKUP_TOO_OLD']],
    ])('judges a backup %s', (_scenario, now, expected) => {
      // Act
      const verdict = judge({ now: new Date(now), policy: { maxBackupAgeHours: 24 } });

      // Assess
      expect(codes(verdict)).toEqual(expected);
    });

    it('is not judged when maxBackupAgeHours is not set', () => {
      // Act
      const verdict = judge({ now: new Date('2026-03-03T01:30:00Z') });

      // Assess
      expect(codes(verdict)).toEqual([]);
    });

    it('gives the age and the limit, with the dispatch time in UTC and local time', () => {
      // Act
      const finding = findingOf(judge({ now: new Date('2026-03-03T01:30:00Z'), policy: { maxBackupAgeHours: 24 } }), 'BACKUP_TOO_OLD');

      // Assess
      expect(finding.message).toContain('2026-03-02 01:07 UTC (02:07 Europe/Berlin)');
      expect(finding.message).toContain('24.4 h ago');
      expect(finding.message).toContain('at most 24 h');
      expect(finding.severity).toBe('critical');
    });
  });

  describe('ARCHIVE_MISSING', () => {
    /** Dispatched on time for 2026-03-03, so only the archive is in question. */
    const dispatched = ok(daily({ lastBackupTime: new Date('2026-03-03T01:05:00Z') }));

    it.each([
      // The 2026-03-03 slot is 01:00 UTC; archive grace 240 min ends at 05:00 UTC.
      ['now just before slot + archive grace', '2026-03-03T04:59:59.999Z', []],
      ['now exactly at slot + archive grace', '2026-03-03T05:00:00Z', ['ARCHIVE_MISSING']],
      ['now just after slot + archive grace', '2026-03-03T05:00:00.001Z', ['ARCHIVE_MISSING']],
    ])('judges %s', (_scenario, now, expected) => {
      // Act
      const verdict = judge({ schedule: dispatched, now: new Date(now) });

      // Assess
      expect(codes(verdict)).toEqual(expected);
    });

    it.each([
      ['an archive created just before the slot', '2026-03-03T00:59:59.999Z', ['ARCHIVE_MISSING']],
      ['an archive created exactly at the slot', '2026-03-03T01:00:00Z', []],
      ['an archive created just after the slot', '2026-03-03T01:00:00.001Z', []],
    ])('judges %s', (_scenario, createdOn, expected) => {
      // Prepare
      const history: BackupRecord[] = [...historyFixture('history.json'), { id: 'new', fileName: 'acme.tar.gz', createdOn: new Date(createdOn) }];

      // Act
      const verdict = judge({ schedule: dispatched, history: ok(history), now: new Date('2026-03-03T05:00:00Z') });

      // Assess
      expect(codes(verdict)).toEqual(expected);
    });

    it('names the newest archive (sanitized) and the slot in UTC and local time', () => {
      // Prepare
      const history: BackupRecord[] = [{ id: 'x', fileName: 'acme\u0000.tar.gz\n   at X.Y()', createdOn: new Date('2026-03-02T01:19:52Z') }];

      // Act
      const finding = findingOf(judge({ schedule: dispatched, history: ok(history), now: new Date('2026-03-03T05:00:00Z') }), 'ARCHIVE_MISSING');

      // Assess
      expect(finding.message).toContain('since the slot at 2026-03-03 02:00 Europe/Berlin (01:00 UTC) + 240 min archive grace');
      expect(finding.message).toContain('"acme .tar.gz", created 2026-03-02 01:19 UTC (02:19 Europe/Berlin)');
      expect(finding.message).not.toMatch(/\u0000|\n|at X\.Y/);
    });

    it('says the history is empty for history-empty.json', () => {
      // Act
      const verdict = judge({ history: ok(historyFixture('history-empty.json')) });

      // Assess
      expect(verdict.status).toBe(Status.CRITICAL);
      expect(findingOf(verdict, 'ARCHIVE_MISSING').message).toContain('the backup history is empty');
    });

    it.each([
      ['requireArchive is off', { policy: { requireArchive: false } }],
      ['the history was not asked for', { history: undefined }],
      ['the history could not be read', { history: failed('history', CheckFailedCause.TIMEOUT) }],
    ])('is not judged when %s', (_scenario, changes) => {
      // Act
      const verdict = judge({ history: ok([]), ...changes });

      // Assess
      expect(codes(verdict)).not.toContain('ARCHIVE_MISSING');
    });
  });

  describe('LAST_BACKUP_FAILED', () => {
    const failedTask = progressFixture('progress-failed.json') as BackupProgress;

    it.each([
      ['progress-ok.json', ok(progressFixture('progress-ok.json')), {}],
      ['progress-none.json (no task)', ok(progressFixture('progress-none.json')), {}],
      ['a failed task when checkLastBackupError is off', ok(failedTask), { checkLastBackupError: false }],
      ['a failed restore (not a backup)', ok({ ...failedTask, kind: 'restore' as const }), {}],
      ['a failed transfer (not a backup)', ok({ ...failedTask, kind: 'transfer' as const }), {}],
      ['an error that is only whitespace', ok({ ...failedTask, error: ' \n\t ' }), {}],
      ['progress not asked for', undefined, {}],
    ])('is not reported for %s', (_scenario, progress, policy) => {
      // Act
      const verdict = judge({ progress, policy });

      // Assess
      expect(codes(verdict)).toEqual([]);
    });

    it('is reported from the error even when the task is not completed', () => {
      // Act
      const verdict = judge({ progress: ok({ ...failedTask, isCompleted: false, error: 'disk full' }) });

      // Assess
      expect(codes(verdict)).toEqual(['LAST_BACKUP_FAILED']);
    });

    it('strips control characters and stack traces from the portal error and truncates it', () => {
      // Prepare
      const error = `Bad\u0007 thing\r\n   at ASC.Data.Backup.BackupWorker.Run(Guid id)\r\n   at System.Threading.Tasks.Task.Execute()`;
      const long = 'x'.repeat(1000);

      // Act
      const stack = findingOf(judge({ progress: ok({ ...failedTask, error }) }), 'LAST_BACKUP_FAILED');
      const truncated = findingOf(judge({ progress: ok({ ...failedTask, error: long }) }), 'LAST_BACKUP_FAILED');

      // Assess
      expect(stack.message).toContain('"Bad thing"');
      expect(stack.message).not.toMatch(/[\u0000-\u001f]|ASC\.Data|System\.Threading/);
      expect(JSON.stringify(stack.actual)).not.toContain('ASC.Data');
      expect(truncated.message.length).toBeLessThan(400);
    });
  });

  describe('SCHEDULE_MISMATCH', () => {
    it.each([
      [
        'the weekday (weekly-s3 runs Mondays)',
        'schedule-weekly-s3.json',
        { period: 1, hour: 23, day: 3 },
        { weekday: 'Tuesday' },
        { weekday: 'Monday' },
        ['weekday is Monday (expected weekday Tuesday)'],
      ],
      ['the hour', 'schedule-daily.json', { period: 0, hour: 3, day: 0 }, { hour: 3 }, { hour: 2 }, ['hour is 2 (expected 3)']],
      ['the day of the month', 'schedule-monthly.json', { period: 2, hour: 3, day: 15 }, { day: 15 }, { day: 1 }, ['day is 1 (expected day 15)']],
      [
        'period and hour (daily expected, weekly found)',
        'schedule-weekly-s3.json',
        { period: 0, hour: 2, day: 0 },
        { period: 'EveryDay', hour: 2 },
        { period: 'EveryWeek', hour: 23 },
        ['period is EveryWeek (expected EveryDay)', 'hour is 23 (expected 2)'],
      ],
      [
        'period and day (weekly expected, monthly found)',
        'schedule-monthly.json',
        { period: 1, hour: 3, day: 2 },
        { period: 'EveryWeek', weekday: 'Monday' },
        { period: 'EveryMonth', day: 1 },
        ['period is EveryMonth (expected EveryWeek)', 'day is 1 (expected weekday Monday)'],
      ],
    ])('lists only the differing fields: %s', (_scenario, fixture, expectedSchedule, expected, actual, parts) => {
      // Act
      const verdict = judge({ schedule: ok(scheduleFixture(fixture)), now: new Date('2026-03-02T07:00:00Z'), policy: { schedule: expectedSchedule } });
      const finding = findingOf(verdict, 'SCHEDULE_MISMATCH');

      // Assess
      expect(finding.severity).toBe('warning');
      expect(finding.expected).toEqual(expected);
      expect(finding.actual).toEqual(actual);
      for (const part of parts) expect(finding.message).toContain(part);
    });

    it.each([
      ['the same daily schedule', { period: 0, hour: 2, day: 0 }],
      ['a daily schedule whose day differs (daily has no day)', { period: 0, hour: 2, day: 5 }],
    ])('is not reported for %s', (_scenario, expectedSchedule) => {
      // Act
      const verdict = judge({ policy: { schedule: expectedSchedule } });

      // Assess
      expect(codes(verdict)).toEqual([]);
    });
  });

  describe('STORAGE_NOT_ALLOWED', () => {
    it('names the storage in use and the allowed ones', () => {
      // Act
      const verdict = judge({ schedule: ok(scheduleFixture('schedule-weekly-s3.json')), policy: { allowedStorageTypes: [0, 3] } });
      const finding = findingOf(verdict, 'STORAGE_NOT_ALLOWED');

      // Assess
      expect(verdict.status).toBe(Status.WARNING);
      expect(finding.message).toContain('ThirdPartyConsumer (S3)');
      expect(finding.message).toContain('allowed: Documents and Local');
    });

    it('is not reported when the storage type is allowed', () => {
      // Act
      const verdict = judge({ policy: { allowedStorageTypes: [3, 0] } });

      // Assess
      expect(codes(verdict)).toEqual([]);
    });
  });

  describe('RETENTION_TOO_LOW', () => {
    it.each([
      ['7 stored, at least 8 wanted', 7, 8, ['RETENTION_TOO_LOW']],
      ['7 stored, at least 7 wanted', 7, 7, []],
      ['null (unlimited), at least 30 wanted', null, 30, []],
      ['7 stored, no minimum set', 7, undefined, []],
    ])('judges %s', (_scenario, backupsStored, minBackupsStored, expected) => {
      // Act
      const verdict = judge({ schedule: ok(daily({ backupsStored })), policy: { minBackupsStored } });

      // Assess
      expect(codes(verdict)).toEqual(expected);
    });

    it('treats backupsStored absent from the body as unlimited', () => {
      // Prepare: the client parses an absent member to null.
      const schedule = scheduleFixture('schedule-daily.json');

      // Act
      const verdict = judge({ schedule: ok(schedule && { ...schedule, backupsStored: null }), policy: { minBackupsStored: 30 } });

      // Assess
      expect(codes(verdict)).toEqual([]);
    });
  });

  describe('DUMP_MISMATCH', () => {
    it.each([
      ['a portal schedule when a dump is expected', false, true, ['DUMP_MISMATCH']],
      ['a dump when a portal schedule is expected', true, false, ['DUMP_MISMATCH']],
      ['a portal schedule when one is expected', false, false, []],
      ['a dump when the policy does not say', true, undefined, []],
    ])('judges %s', (_scenario, dump, expectedDump, expected) => {
      // Act
      const verdict = judge({ schedule: ok(daily({ dump })), policy: { dump: expectedDump } });

      // Assess
      expect(codes(verdict)).toEqual(expected);
    });
  });

  describe('CHECK_FAILED', () => {
    it.each([
      ['the API key', 'apiKey', CheckFailedCause.API_KEY_UNAVAILABLE],
      ['the settings', 'settings', CheckFailedCause.TIMEOUT],
      ['the schedule (forbidden)', 'schedule', CheckFailedCause.FORBIDDEN],
      ['the schedule (server error)', 'schedule', CheckFailedCause.SERVER_ERROR],
    ] as const)('is the only finding, with status UNKNOWN, when %s could not be read', (_scenario, source, cause) => {
      // Act: everything else would give findings of its own.
      const verdict = judge({
        schedule: failed(source, cause, 403),
        zone: undefined,
        progress: ok(progressFixture('progress-failed.json')),
        history: failed('history', CheckFailedCause.TIMEOUT),
        now: OVERDUE_NOW,
      });

      // Assess
      expect(verdict.status).toBe(Status.UNKNOWN);
      expect(verdict.findings).toEqual([expect.objectContaining({ code: 'CHECK_FAILED', cause, source })]);
      expect(verdict.timeZone).toBe('unknown');
      expect(verdict.lastBackupTime).toBeUndefined();
    });

    it('gives UNKNOWN rather than judging when the schedule was read, no zone was given and freshness depends on the zone', () => {
      // Act: at FRESH_NOW the 2026-03-02 dispatch is on time in Berlin but late in UTC.
      const verdict = judge({ zone: undefined, now: FRESH_NOW });

      // Assess
      expect(verdict.status).toBe(Status.UNKNOWN);
      expect(verdict.findings).toEqual([expect.objectContaining({ code: 'CHECK_FAILED', source: 'settings' })]);
    });

    it('points ARCHIVE_MISSING at the missing dispatch when nothing ran since the slot', () => {
      // Act
      const stale = judge({ now: OVERDUE_NOW, schedule: ok(daily({ lastBackupTime: new Date('2026-02-27T01:07:41Z') })), history: ok(historyFixture('history-empty.json')) });
      const dispatched = judge({ schedule: ok(daily({ lastBackupTime: new Date('2026-03-02T01:07:41Z') })), history: ok(historyFixture('history-empty.json')) });

      // Assess
      expect(findingOf(stale, 'ARCHIVE_MISSING').remedy).toMatch(/check why no backup ran \(see BACKUP_OVERDUE\)/);
      expect(findingOf(dispatched, 'ARCHIVE_MISSING').remedy).toMatch(/backups are dispatched but leave no archive/);
    });

    it('still reports what needs no time zone when the settings could not be read: no schedule is CRITICAL', () => {
      // Prepare
      const zoneFailure = { cause: CheckFailedCause.TIMEOUT, source: 'settings' as const, detail: 'settings request failed' };

      // Act
      const verdict = judge({ zone: undefined, zoneFailure, schedule: ok(null) });

      // Assess
      expect(verdict.status).toBe(Status.CRITICAL);
      expect(codes(verdict)).toEqual(['NO_SCHEDULE', 'CHECK_FAILED']);
      expect(findingOf(verdict, 'CHECK_FAILED')).toMatchObject({ cause: 'TIMEOUT', source: 'settings', severity: 'warning' });
    });

    it('still reports a failed backup task and setup drift without a time zone, but not freshness', () => {
      // Prepare
      const zoneFailure = { cause: CheckFailedCause.SERVER_ERROR, source: 'settings' as const, detail: 'HTTP 503' };

      // Act
      const verdict = judge({
        zone: undefined,
        zoneFailure,
        now: FRESH_NOW,
        progress: ok(progressFixture('progress-failed.json')),
        policy: { minBackupsStored: 30 },
      });

      // Assess
      expect(verdict.status).toBe(Status.CRITICAL);
      expect(codes(verdict)).toEqual(['LAST_BACKUP_FAILED', 'RETENTION_TOO_LOW', 'CHECK_FAILED']);
    });

    it('still judges the absolute age without a time zone: BACKUP_TOO_OLD is CRITICAL', () => {
      // Prepare
      const zoneFailure = { cause: CheckFailedCause.TIMEOUT, source: 'settings' as const, detail: 'settings request failed' };

      // Act
      const verdict = judge({ zone: undefined, zoneFailure, now: FRESH_NOW, policy: { maxBackupAgeHours: 5 } });

      // Assess
      expect(verdict.status).toBe(Status.CRITICAL);
      expect(codes(verdict)).toEqual(['BACKUP_TOO_OLD', 'CHECK_FAILED']);
      expect(findingOf(verdict, 'BACKUP_TOO_OLD').message).toContain('UTC');
    });

    it('stays UNKNOWN without a time zone when nothing that needs none is critical', () => {
      // Act
      const verdict = judge({ zone: undefined, now: FRESH_NOW, policy: { minBackupsStored: 30 } });

      // Assess
      expect(verdict.status).toBe(Status.UNKNOWN);
      expect(codes(verdict)).toEqual(['RETENTION_TOO_LOW', 'CHECK_FAILED']);
    });

    it('keeps the schedule findings and adds a warning when the progress could not be read', () => {
      // Act
      const verdict = judge({ progress: failed('progress', CheckFailedCause.RATE_LIMITED, 429), now: OVERDUE_NOW });

      // Assess
      expect(verdict.status).toBe(Status.CRITICAL);
      expect(verdict.findings).toEqual([
        expect.objectContaining({ code: 'BACKUP_OVERDUE' }),
        expect.objectContaining({ code: 'CHECK_FAILED', severity: 'warning', source: 'progress', cause: 'RATE_LIMITED' }),
      ]);
    });

    it('gives WARNING when only the progress timed out on an otherwise fresh portal', () => {
      // Act
      const verdict = judge({ progress: failed('progress', CheckFailedCause.TIMEOUT) });

      // Assess
      expect(verdict.status).toBe(Status.WARNING);
      expect(codes(verdict)).toEqual(['CHECK_FAILED']);
    });

    it('reports the missing history instead of judging the archive from it', () => {
      // Prepare: by 05:00 UTC the 2026-03-03 archive would be missing.
      const schedule = ok(daily({ lastBackupTime: new Date('2026-03-03T01:05:00Z') }));

      // Act
      const verdict = judge({ schedule, history: failed('history', CheckFailedCause.PAYMENT_REQUIRED, 402), now: new Date('2026-03-03T05:00:00Z') });

      // Assess
      expect(verdict.status).toBe(Status.CRITICAL);
      expect(verdict.findings).toEqual([expect.objectContaining({ code: 'CHECK_FAILED', severity: 'critical', source: 'history' })]);
    });
  });

  describe('severity overrides', () => {
    it.each([
      ['BACKUP_OVERDUE lowered to warning', { now: OVERDUE_NOW }, { BACKUP_OVERDUE: 'warning' }, 'BACKUP_OVERDUE', 'warning', Status.WARNING],
      [
        'NEVER_RAN raised to critical',
        { schedule: ok(scheduleFixture('schedule-never-run.json')) },
        { NEVER_RAN: 'critical' },
        'NEVER_RAN',
        'critical',
        Status.CRITICAL,
      ],
      ['RETENTION_TOO_LOW raised to critical', {}, { RETENTION_TOO_LOW: 'critical' }, 'RETENTION_TOO_LOW', 'critical', Status.CRITICAL],
      [
        'CHECK_FAILED is never lowered',
        { progress: failed('progress', CheckFailedCause.AUTH_REJECTED, 401) },
        { CHECK_FAILED: 'warning' },
        'CHECK_FAILED',
        'critical',
        Status.CRITICAL,
      ],
      [
        'CHECK_FAILED is never raised',
        { progress: failed('progress', CheckFailedCause.TIMEOUT) },
        { CHECK_FAILED: 'critical' },
        'CHECK_FAILED',
        'warning',
        Status.WARNING,
      ],
    ] as const)('applies %s', (_scenario, changes, severity, code, expectedSeverity, expectedStatus) => {
      // Act
      const verdict = judge({ ...changes, policy: { minBackupsStored: 8, severity } });

      // Assess
      expect(findingOf(verdict, code).severity).toBe(expectedSeverity);
      expect(verdict.status).toBe(expectedStatus);
    });
  });

  describe('finding order', () => {
    const policy = { minBackupsStored: 8, dump: true, schedule: { period: 0, hour: 3, day: 0 } };
    const history = ok<BackupRecord[]>([]);

    it('lists critical findings first, then by code order', () => {
      // Act
      const verdict = judge({ now: OVERDUE_NOW, history, policy });

      // Assess
      expect(codes(verdict)).toEqual(['BACKUP_OVERDUE', 'ARCHIVE_MISSING', 'SCHEDULE_MISMATCH', 'RETENTION_TOO_LOW', 'DUMP_MISMATCH']);
    });

    it('moves an overridden finding to its new severity group', () => {
      // Act
      const verdict = judge({
        now: OVERDUE_NOW,
        history,
        policy: { ...policy, severity: { BACKUP_OVERDUE: 'warning', DUMP_MISMATCH: 'critical' } },
      });

      // Assess
      expect(codes(verdict)).toEqual(['ARCHIVE_MISSING', 'DUMP_MISMATCH', 'BACKUP_OVERDUE', 'SCHEDULE_MISMATCH', 'RETENTION_TOO_LOW']);
    });

    it('gives every finding a message and a one-line remedy', () => {
      // Act
      const verdict = judge({ now: OVERDUE_NOW, history, policy: { ...policy, allowedStorageTypes: [3], maxBackupAgeHours: 1 } });

      // Assess
      expect(verdict.findings.length).toBeGreaterThanOrEqual(7);
      for (const finding of verdict.findings) {
        expect(finding.message.length).toBeGreaterThan(20);
        expect(finding.remedy).toMatch(/^\S[^\n]{10,}$/);
      }
    });
  });
});

describe('checkFailedFinding', () => {
  it.each([
    [CheckFailedCause.AUTH_REJECTED, 'critical'],
    [CheckFailedCause.PAYMENT_REQUIRED, 'critical'],
    [CheckFailedCause.FORBIDDEN, 'critical'],
    [CheckFailedCause.PORTAL_NOT_FOUND, 'critical'],
    [CheckFailedCause.API_KEY_UNAVAILABLE, 'critical'],
    [CheckFailedCause.RATE_LIMITED, 'warning'],
    [CheckFailedCause.SERVER_ERROR, 'warning'],
    [CheckFailedCause.TIMEOUT, 'warning'],
    [CheckFailedCause.NETWORK, 'warning'],
    [CheckFailedCause.BAD_RESPONSE, 'warning'],
  ])('rates %s as %s, with the cause, the source and a remedy', (cause, severity) => {
    // Act
    const finding = checkFailedFinding({ cause, source: 'schedule', detail: 'it failed' });

    // Assess
    expect(finding).toMatchObject({ code: 'CHECK_FAILED', severity, cause, source: 'schedule' });
    expect(finding.remedy).not.toBe('');
  });

  it('says what could not be read, why and the HTTP status, without the server stack trace', () => {
    // Prepare
    const failure: EvidenceFailure = {
      cause: CheckFailedCause.SERVER_ERROR,
      source: 'history',
      detail: 'Unable to connect to any of the specified MySQL hosts.\n   at MySqlConnector.Core.ServerSession.ConnectAsync(...)',
      httpStatus: 500,
    };

    // Act
    const finding = checkFailedFinding(failure);

    // Assess
    expect(finding.message).toContain('Could not read the backup history: Unable to connect to any of the specified MySQL hosts. (HTTP 500)');
    expect(finding.message).not.toContain('MySqlConnector.Core');
  });
});

describe('overallStatus', () => {
  it.each([
    [[], Status.OK],
    [[Status.OK, Status.OK], Status.OK],
    [[Status.OK, Status.WARNING], Status.WARNING],
    [[Status.WARNING, Status.UNKNOWN, Status.OK], Status.UNKNOWN],
    [[Status.UNKNOWN, Status.CRITICAL], Status.CRITICAL],
    [[Status.CRITICAL, Status.UNKNOWN, Status.WARNING, Status.OK], Status.CRITICAL],
    [[Status.CRITICAL, Status.OK], Status.CRITICAL],
  ])('gives %j the status %s', (statuses, expected) => {
    // Act and Assess
    expect(overallStatus(statuses)).toBe(expected);
  });
});
