/**
 * Issue 10, rules 3 and 4 in the verdict: a Windows zone id is judged in its IANA zone (DST
 * followed), an id nobody knows is judged at a fixed offset and the findings say it is
 * approximate, and a portal whose zone cannot be read is judged under every possible zone
 * (UTC-12:00 to UTC+14:00, in quarter hours): overdue in all of them is BACKUP_OVERDUE, and only
 * what depends on the zone stays UNKNOWN.
 */
import { describe, expect, it } from 'vitest';
import { zoneFromSettings } from '../../../functions/check/policy/time-zone.ts';
import { CheckFailedCause, Status, type PortalZone } from '../../../functions/check/policy/types.ts';
import { historyFixture } from './docspace-fixtures.ts';
import { archive, codes, daily, findingOf, judge, ok } from './judge.ts';

const SETTINGS_TIMEOUT = { cause: CheckFailedCause.TIMEOUT, source: 'settings' as const, detail: 'settings request failed' };

/** At 02:00Z with 60 min grace, the due slots of a daily 02:00 schedule lie between 2026-03-02T01:15Z (UTC+00:45) and 2026-03-03T01:00Z (UTC+01:00). */
const NOW = new Date('2026-03-03T02:00:00Z');
/** An archive after every zone's archive slot (at most 2026-03-02T22:00Z). */
const ARCHIVED = ok([archive('2026-03-03T01:10:00Z')]);

function unzoned(lastBackupTime: Date | null, changes: Parameters<typeof judge>[0] = {}) {
  return judge({ zone: undefined, zoneFailure: SETTINGS_TIMEOUT, schedule: ok(daily({ lastBackupTime })), history: ARCHIVED, now: NOW, ...changes });
}

describe('evaluate: the portal zone cannot be read (rule 4)', () => {
  it.each([
    ['overdue in every zone (just before the earliest due slot)', '2026-03-02T01:14:59.999Z', Status.CRITICAL, ['BACKUP_OVERDUE', 'CHECK_FAILED']],
    ['overdue in some zones (exactly at the earliest due slot)', '2026-03-02T01:15:00Z', Status.UNKNOWN, ['CHECK_FAILED']],
    ['overdue in some zones (just before the latest due slot)', '2026-03-03T00:59:59.999Z', Status.UNKNOWN, ['CHECK_FAILED']],
    ['on time in every zone (exactly at the latest due slot)', '2026-03-03T01:00:00Z', Status.WARNING, ['CHECK_FAILED']],
  ])('judges a dispatch %s', (_scenario, lastBackupTime, status, expected) => {
    // Act
    const verdict = unzoned(new Date(lastBackupTime));

    // Assess
    expect(codes(verdict)).toEqual(expected);
    expect(verdict.status).toBe(status);
    expect(verdict.timeZone).toBe('unknown');
  });

  it('says the zone was unknown and names the earliest due slot of all zones', () => {
    // Act
    const verdict = unzoned(new Date('2026-02-27T01:07:41Z'));

    // Assess
    const overdue = findingOf(verdict, 'BACKUP_OVERDUE');
    expect(overdue.message).toMatch(/time zone (could not be read|is unknown)/);
    expect(overdue.message).toContain('every possible time zone');
    expect(overdue.expected).toEqual({ lastBackupTimeNotBefore: '2026-03-02T01:15:00.000Z', graceMinutes: 60 });
    expect(findingOf(verdict, 'CHECK_FAILED')).toMatchObject({ source: 'settings', cause: 'TIMEOUT', severity: 'warning' });
  });

  it('reports ARCHIVE_MISSING when no archive came after the slot of any zone', () => {
    // Act
    const empty = unzoned(new Date('2026-03-03T01:00:00Z'), { history: ok([]) });
    const dependsOnZone = unzoned(new Date('2026-03-03T01:00:00Z'), { history: ok(historyFixture('history.json')) });

    // Assess
    expect(codes(empty)).toEqual(['ARCHIVE_MISSING', 'CHECK_FAILED']);
    expect(empty.status).toBe(Status.CRITICAL);
    expect(codes(dependsOnZone)).toEqual(['CHECK_FAILED']);
    expect(dependsOnZone.status).toBe(Status.UNKNOWN);
  });

  it('reports NEVER_RAN as usual', () => {
    // Act
    const verdict = unzoned(null);

    // Assess
    expect(codes(verdict)).toEqual(['NEVER_RAN', 'CHECK_FAILED']);
    expect(verdict.status).toBe(Status.WARNING);
  });

  it('does not call a portal overdue that is on time at UTC+05:45 (Asia/Kathmandu), the quarter-hour zone nearest the edge', () => {
    // Prepare: Kathmandu's 02:00 is 20:15Z; the 2026-03-02T20:15Z slot is the one due at 21:00Z the next day.
    const now = new Date('2026-03-03T21:00:00Z');
    const lastBackupTime = new Date('2026-03-02T20:30:00Z');
    const history = ok([archive('2026-03-02T20:40:00Z')]);

    // Act
    const inKathmandu = judge({ zone: { kind: 'iana', id: 'Asia/Kathmandu' }, schedule: ok(daily({ lastBackupTime })), history, now });
    const unknown = unzoned(lastBackupTime, { history, now });

    // Assess
    expect(codes(inKathmandu)).toEqual([]);
    expect(codes(unknown)).not.toContain('BACKUP_OVERDUE');
    expect(unknown.status).toBe(Status.UNKNOWN);
  });

  it.each([
    // Monthly on day 31 at 03:00: the March 31 slot is 2026-03-30T13:00Z at UTC+14:00 and 2026-03-31T15:00Z at UTC-12:00.
    ['just before the earliest March 31 slot', '2026-03-30T12:59:59.999Z', '2026-04-01T12:00:00Z', Status.CRITICAL, ['BACKUP_OVERDUE', 'CHECK_FAILED']],
    ['exactly at the earliest March 31 slot', '2026-03-30T13:00:00Z', '2026-04-01T12:00:00Z', Status.UNKNOWN, ['CHECK_FAILED']],
    ['exactly at the latest March 31 slot', '2026-03-31T15:00:00Z', '2026-04-01T12:00:00Z', Status.WARNING, ['CHECK_FAILED']],
    ['at the latest March 31 slot, judged on April 30 (April has no 31st)', '2026-03-31T15:00:00Z', '2026-04-30T12:00:00Z', Status.WARNING, ['CHECK_FAILED']],
  ])('judges a monthly day-31 schedule dispatched %s', (_scenario, lastBackupTime, now, status, expected) => {
    // Act
    const verdict = unzoned(new Date(lastBackupTime), {
      schedule: ok(daily({ cronParams: { period: 2, hour: 3, day: 31 }, lastBackupTime: new Date(lastBackupTime) })),
      history: undefined,
      now: new Date(now),
      policy: { requireArchive: false },
    });

    // Assess
    expect(codes(verdict)).toEqual(expected);
    expect(verdict.status).toBe(status);
  });

  it('judges a future lastBackupTime as no dispatch in every zone', () => {
    // Act
    const verdict = unzoned(new Date('2027-01-01T00:00:00Z'), { history: ok([]) });

    // Assess
    expect(codes(verdict)).toEqual(['BACKUP_OVERDUE', 'ARCHIVE_MISSING', 'FUTURE_TIMESTAMP', 'CHECK_FAILED']);
  });
});

describe('evaluate: Windows zone ids (rule 3)', () => {
  /** 2026-07-02: Berlin is on summer time (UTC+02:00), its Windows id's current offset read in winter was +01:00. */
  const summerNow = new Date('2026-07-02T02:00:00Z');
  const dispatched = ok(daily({ lastBackupTime: new Date('2026-07-02T00:30:00Z') }));
  const summerArchive = ok([archive('2026-07-01T01:10:00Z')]);

  it.each([
    ['W. Europe Standard Time', 'Europe/Berlin'],
    ['Eastern Standard Time', 'America/New_York'],
  ])('judges %s in %s, following DST', (windowsId, iana) => {
    // Prepare
    const resolved = zoneFromSettings({ timezone: windowsId, utcOffset: '01:00:00', utcHoursOffset: 1 });

    // Assess
    expect(resolved).toEqual({ zone: { kind: 'iana', id: iana } });
  });

  it('gives no false BACKUP_OVERDUE in summer for a portal that reports W. Europe Standard Time', () => {
    // Prepare
    const resolved = zoneFromSettings({ timezone: 'W. Europe Standard Time', utcOffset: '01:00:00', utcHoursOffset: 1 });
    const zone = 'zone' in resolved ? resolved.zone : undefined;

    // Act
    const verdict = judge({ zone, schedule: dispatched, history: summerArchive, now: summerNow });

    // Assess
    expect(codes(verdict)).toEqual([]);
    expect(verdict.timeZone).toBe('Europe/Berlin');
  });

  it.each([
    // Daily at 02:00 Berlin; the settings' current offset was read in winter (+01:00).
    ['the Monday after spring forward (02:00 CEST is 00:00Z; a fixed +01:00 would wait until 01:00Z)', '2026-03-29T01:05:00Z', '2026-03-30T01:10:00Z', ['BACKUP_OVERDUE']],
    ['the spring-forward Sunday (02:00 does not exist: the slot is 03:00 CEST, 01:00Z)', '2026-03-29T01:05:00Z', '2026-03-29T02:05:00Z', []],
    ['the fall-back Sunday (02:00 happens twice: the first, 00:00Z, counts)', '2026-10-25T00:05:00Z', '2026-10-25T01:05:00Z', []],
    ['the Monday after fall back (02:00 CET is 01:00Z)', '2026-10-25T00:05:00Z', '2026-10-26T02:00:00Z', ['BACKUP_OVERDUE']],
  ])('follows DST for W. Europe Standard Time on %s', (_scenario, lastBackupTime, now, expected) => {
    // Prepare
    const resolved = zoneFromSettings({ timezone: 'W. Europe Standard Time', utcOffset: '01:00:00', utcHoursOffset: 1 });

    // Act
    const verdict = judge({
      zone: 'zone' in resolved ? resolved.zone : undefined,
      schedule: ok(daily({ lastBackupTime: new Date(lastBackupTime) })),
      history: undefined,
      now: new Date(now),
      policy: { requireArchive: false },
    });

    // Assess
    expect(codes(verdict)).toEqual(expected);
  });

  it('says the judgment is approximate when the zone is a fixed-offset fallback', () => {
    // Prepare
    const fixed: PortalZone = { kind: 'fixed', offsetMinutes: 60, reportedId: 'Mars Standard Time' };

    // Act
    const verdict = judge({ zone: fixed, zoneNote: 'judged at +01:00', schedule: dispatched, history: summerArchive, now: summerNow });

    // Assess
    expect(codes(verdict)).toEqual(['BACKUP_OVERDUE']);
    expect(findingOf(verdict, 'BACKUP_OVERDUE').message).toMatch(/approximate/i);
    expect(findingOf(verdict, 'BACKUP_OVERDUE').message).toContain('Mars Standard Time');
  });
});
