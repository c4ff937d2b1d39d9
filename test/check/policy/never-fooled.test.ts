/**
 * Issue 10, "never fooled", at the verdict's edges: a timestamp more than 15 minutes after `now`
 * is not evidence (rules 1 and 9), a reset schedule does not reset the evidence (rule 6), and
 * what freshness does not need never hides it (rule 5). The fixtures' schedule runs daily at
 * 02:00 Europe/Berlin (01:00 UTC in March); at 2026-03-03T06:00Z its due slot is
 * 2026-03-03T01:00Z for both the dispatch (grace 60 min) and the archive (grace 240 min).
 */
import { describe, expect, it } from 'vitest';
import type { BackupRecord, BackupSchedule } from '../../../functions/check/docspace/schemas.ts';
import { Status } from '../../../functions/check/policy/types.ts';
import { historyFixture } from './docspace-fixtures.ts';
import { archive, codes, daily, findingOf, judge, ok } from './judge.ts';

const NOW = new Date('2026-03-03T06:00:00Z');
const MINUTE = 60_000;

function after(minutes: number, ms = 0): string {
  return new Date(NOW.getTime() + minutes * MINUTE + ms).toISOString();
}

/** The fixture history plus an archive of today's slot: every archive question is settled. */
const ARCHIVED_TODAY = [...historyFixture('history.json'), archive('2026-03-03T01:20:00Z')];

describe('evaluate: a timestamp after now is not evidence (rule 1)', () => {
  it.each([
    ['14:59.999 after now', after(14, 59_999), Status.OK, []],
    ['exactly 15 min after now', after(15), Status.OK, []],
    ['15:00.001 after now', after(15, 1), Status.CRITICAL, ['BACKUP_OVERDUE', 'FUTURE_TIMESTAMP']],
    ['a year after now', '2027-03-03T01:07:41Z', Status.CRITICAL, ['BACKUP_OVERDUE', 'FUTURE_TIMESTAMP']],
  ])('judges a lastBackupTime %s (no history asked)', (_scenario, lastBackupTime, status, expected) => {
    // Act
    const verdict = judge({ schedule: ok(daily({ lastBackupTime: new Date(lastBackupTime) })), history: undefined, now: NOW, policy: { requireArchive: false } });

    // Assess
    expect(codes(verdict)).toEqual(expected);
    expect(verdict.status).toBe(status);
  });

  it('names the field, its value and now, and judges the overdue slot without it', () => {
    // Act
    const verdict = judge({ schedule: ok(daily({ lastBackupTime: new Date('2027-03-03T01:07:41Z') })), history: undefined, now: NOW, policy: { requireArchive: false } });

    // Assess
    const future = findingOf(verdict, 'FUTURE_TIMESTAMP');
    expect(future.severity).toBe('warning');
    expect(future.actual).toEqual({ field: 'lastBackupTime', value: '2027-03-03T01:07:41.000Z', now: '2026-03-03T06:00:00.000Z' });
    expect(future.message).toContain('lastBackupTime');
    expect(future.message).toContain('2027-03-03 01:07 UTC');
    expect(future.message).toContain('2026-03-03 06:00 UTC');
    const overdue = findingOf(verdict, 'BACKUP_OVERDUE');
    expect(overdue.expected).toEqual({ lastBackupTimeNotBefore: '2026-03-03T01:00:00.000Z', graceMinutes: 60 });
    expect(overdue.message).toContain('in the future');
  });

  it.each([
    ['an archive of the due slot', ARCHIVED_TODAY, undefined, ['FUTURE_TIMESTAMP']],
    ['only older archives', historyFixture('history.json'), undefined, ['BACKUP_OVERDUE', 'ARCHIVE_MISSING', 'FUTURE_TIMESTAMP']],
    // The newest archive (2026-03-02T01:19:52Z) is 28.7 h old.
    ['only older archives, 24 h at most', historyFixture('history.json'), 24, ['BACKUP_OVERDUE', 'BACKUP_TOO_OLD', 'ARCHIVE_MISSING', 'FUTURE_TIMESTAMP']],
    ['only older archives, 30 h at most', historyFixture('history.json'), 30, ['BACKUP_OVERDUE', 'ARCHIVE_MISSING', 'FUTURE_TIMESTAMP']],
    ['no archive at all, 24 h at most', [], 24, ['BACKUP_OVERDUE', 'BACKUP_TOO_OLD', 'ARCHIVE_MISSING', 'FUTURE_TIMESTAMP']],
  ])('judges a future lastBackupTime from the newest evidence not in the future: %s', (_scenario, history, maxBackupAgeHours, expected) => {
    // Act
    const verdict = judge({
      schedule: ok(daily({ lastBackupTime: new Date('2027-03-03T01:07:41Z') })),
      history: ok(history),
      now: NOW,
      policy: { maxBackupAgeHours },
    });

    // Assess
    expect(codes(verdict)).toEqual(expected);
  });

  it('never lets a future lastBackupTime look fresh when there is no evidence at all: BACKUP_TOO_OLD says so', () => {
    // Act
    const verdict = judge({ schedule: ok(daily({ lastBackupTime: new Date('2027-03-03T01:07:41Z') })), history: ok([]), now: NOW, policy: { maxBackupAgeHours: 9000 } });

    // Assess
    expect(verdict.status).toBe(Status.CRITICAL);
    expect(findingOf(verdict, 'BACKUP_TOO_OLD').message).toContain('no proof of any backup that is not in the future');
    expect(findingOf(verdict, 'BACKUP_TOO_OLD').actual).toEqual({ backupAgeHours: null });
  });

  it('says the history was not read when a future lastBackupTime leaves no proof and no history was asked', () => {
    // Act
    const verdict = judge({ schedule: ok(daily({ lastBackupTime: new Date('2027-03-03T01:07:41Z') })), history: undefined, now: NOW, policy: { requireArchive: false, maxBackupAgeHours: 48 } });

    // Assess
    expect(codes(verdict)).toEqual(['BACKUP_OVERDUE', 'BACKUP_TOO_OLD', 'FUTURE_TIMESTAMP']);
    expect(findingOf(verdict, 'BACKUP_TOO_OLD').message).toContain('the backup history was not read');
  });

  it.each([
    ['14:59.999 after now', after(14, 59_999), []],
    ['exactly 15 min after now', after(15), []],
    ['15:00.001 after now', after(15, 1), ['ARCHIVE_MISSING', 'FUTURE_TIMESTAMP']],
  ])('judges the only archive since the slot created %s', (_scenario, createdOn, expected) => {
    // Prepare: dispatched on time, so only the archive is in question.
    const schedule = ok(daily({ lastBackupTime: new Date('2026-03-03T01:05:00Z') }));

    // Act
    const verdict = judge({ schedule, history: ok([...historyFixture('history.json'), archive(createdOn, 'ahead.tar.gz')]), now: NOW });

    // Assess
    expect(codes(verdict)).toEqual(expected);
  });

  it('reports future archives once, naming the newest, and leaves them out of ARCHIVE_MISSING', () => {
    // Prepare
    const history = [...historyFixture('history.json'), archive('2026-04-01T00:00:00Z', 'ahead.tar.gz'), archive('2027-01-01T00:00:00Z', 'far.tar.gz')];

    // Act
    const verdict = judge({ schedule: ok(daily({ lastBackupTime: new Date('2026-03-03T01:05:00Z') })), history: ok(history), now: NOW });

    // Assess
    expect(codes(verdict)).toEqual(['ARCHIVE_MISSING', 'FUTURE_TIMESTAMP']);
    expect(findingOf(verdict, 'FUTURE_TIMESTAMP').actual).toEqual({ field: 'createdOn', value: '2027-01-01T00:00:00.000Z', now: '2026-03-03T06:00:00.000Z' });
    expect(findingOf(verdict, 'FUTURE_TIMESTAMP').message).toContain('2 archives');
    expect(findingOf(verdict, 'ARCHIVE_MISSING').actual).toEqual({ newestCreatedOn: '2026-03-02T01:19:52.000Z' });
  });
});

describe('evaluate: --now before the evidence is the same case (rule 9)', () => {
  it('reports every timestamp after now and judges the portal on what came before it', () => {
    // Act: the fixtures were dispatched 2026-03-02 and archived 2026-03-01 and 2026-03-02.
    const verdict = judge({ now: new Date('2026-03-01T00:00:00Z') });

    // Assess
    expect(verdict.status).toBe(Status.CRITICAL);
    expect(codes(verdict)).toEqual(['BACKUP_OVERDUE', 'ARCHIVE_MISSING', 'FUTURE_TIMESTAMP', 'FUTURE_TIMESTAMP']);
    expect(verdict.findings.filter((finding) => finding.code === 'FUTURE_TIMESTAMP').map((finding) => (finding.actual as { field: string }).field)).toEqual([
      'lastBackupTime',
      'createdOn',
    ]);
  });
});

describe('evaluate: a reset schedule does not reset the evidence (rule 6)', () => {
  const neverRan = ok(daily({ lastBackupTime: null }));

  it.each([
    ['an archive of the due slot, 24 h at most', ARCHIVED_TODAY, 24, Status.WARNING, ['NEVER_RAN']],
    ['only older archives, 24 h at most', historyFixture('history.json'), 24, Status.CRITICAL, ['BACKUP_TOO_OLD', 'ARCHIVE_MISSING', 'NEVER_RAN']],
    ['only older archives, no age limit', historyFixture('history.json'), undefined, Status.CRITICAL, ['ARCHIVE_MISSING', 'NEVER_RAN']],
    ['an empty history, 24 h at most', [], 24, Status.CRITICAL, ['BACKUP_TOO_OLD', 'ARCHIVE_MISSING', 'NEVER_RAN']],
  ])('judges age and archive from the history when lastBackupTime is year 1: %s', (_scenario, history, maxBackupAgeHours, status, expected) => {
    // Act
    const verdict = judge({ schedule: neverRan, history: ok(history), now: NOW, policy: { maxBackupAgeHours } });

    // Assess
    expect(codes(verdict)).toEqual(expected);
    expect(verdict.status).toBe(status);
    expect(verdict.lastBackupTime).toBeNull();
  });

  it('measures the age from the newest archive and says so', () => {
    // Act
    const verdict = judge({ schedule: neverRan, now: NOW, policy: { maxBackupAgeHours: 24 } });

    // Assess
    const tooOld = findingOf(verdict, 'BACKUP_TOO_OLD');
    expect(tooOld.message).toContain('2026-03-02 01:19 UTC');
    expect(tooOld.actual).toEqual({ backupAgeHours: 28.7 });
  });

  it('judges neither age nor archive when the history was not asked for', () => {
    // Act
    const verdict = judge({ schedule: neverRan, history: undefined, now: NOW, policy: { maxBackupAgeHours: 24, requireArchive: false } });

    // Assess
    expect(codes(verdict)).toEqual(['NEVER_RAN']);
  });
});

describe('evaluate: what freshness does not need never hides freshness (rule 5)', () => {
  it.each([
    ['a number outside the enum', 9, 'unknown storage type 9'],
    ['a name DocSpace may add', 'Dropbox', 'unknown storage type "Dropbox"'],
  ])('says "unknown storage type" for %s and still judges freshness and archive', (_scenario, storageType, text) => {
    // Prepare
    const schedule = { ...daily(), storageType } as unknown as BackupSchedule;

    // Act
    const verdict = judge({ schedule: ok(schedule), now: NOW, policy: { allowedStorageTypes: [0] } });

    // Assess
    expect(codes(verdict)).toEqual(['BACKUP_OVERDUE', 'ARCHIVE_MISSING', 'STORAGE_NOT_ALLOWED']);
    expect(findingOf(verdict, 'STORAGE_NOT_ALLOWED').message).toContain(text);
  });

  it('skips history records without a usable date and judges the archive from the rest', () => {
    // Prepare
    const undated = [
      { id: 'a', fileName: 'a.tar.gz', createdOn: null },
      { id: 'b', fileName: 'b.tar.gz' },
      { id: 'c', fileName: 'c.tar.gz', createdOn: new Date(Number.NaN) },
    ] as unknown as BackupRecord[];
    const schedule = ok(daily({ lastBackupTime: new Date('2026-03-03T01:05:00Z') }));

    // Act
    const archived = judge({ schedule, history: ok([...undated, archive('2026-03-03T01:20:00Z')]), now: NOW });
    const missing = judge({ schedule, history: ok(undated), now: NOW, policy: { maxBackupAgeHours: 24 } });

    // Assess
    expect(codes(archived)).toEqual([]);
    expect(codes(missing)).toEqual(['ARCHIVE_MISSING']);
    expect(findingOf(missing, 'ARCHIVE_MISSING').message).toContain('3 records without a usable date were skipped');
  });
});
