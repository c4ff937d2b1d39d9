import { describe, expect, it } from 'vitest';
import {
  backupAgeHours,
  dueSlot,
  hasArchiveSince,
  isDispatchedSince,
  isTooOld,
  newestArchive,
} from '../../../functions/check/policy/freshness.ts';
import type { PortalZone } from '../../../functions/check/policy/types.ts';
import { historyFixture } from './docspace-fixtures.ts';

const BERLIN: PortalZone = { kind: 'iana', id: 'Europe/Berlin' };
const DAILY_0200 = { period: 0, hour: 2, day: 0 };

describe('dueSlot', () => {
  it.each([
    // Daily 02:00 Berlin: the 2026-03-03 slot is 01:00 UTC; with 60 min grace it is due at 02:00 UTC.
    ['just before slot + grace: the previous slot', '2026-03-03T01:59:59.999Z', '2026-03-02T01:00:00Z'],
    ['exactly at slot + grace: this slot', '2026-03-03T02:00:00Z', '2026-03-03T01:00:00Z'],
    ['just after slot + grace: this slot', '2026-03-03T02:00:00.001Z', '2026-03-03T01:00:00Z'],
  ])('returns %s', (_scenario, now, expected) => {
    // Act
    const slot = dueSlot(DAILY_0200, BERLIN, new Date(now), 60);

    // Assess
    expect(slot?.toISOString()).toBe(new Date(expected).toISOString());
  });

  it.each([
    // 02:00 is in the gap and counts at 01:00 UTC; 02:00 local + 60 min would be 01:00 UTC as well.
    ['Europe/Berlin 2026-03-29: the gap does not shrink grace', '2026-03-29T01:30:00Z', '2026-03-28T01:00:00Z'],
    ['Europe/Berlin 2026-03-29: grace ends 60 min after the slot in UTC', '2026-03-29T02:00:00Z', '2026-03-29T01:00:00Z'],
    // 02:00 counts at its first occurrence, 00:00 UTC; 02:00 local + 60 min would be 02:00 UTC.
    ['Europe/Berlin 2026-10-25: the overlap does not stretch grace', '2026-10-25T01:00:00Z', '2026-10-25T00:00:00Z'],
    ['Europe/Berlin 2026-10-25: just before grace ends, the day before', '2026-10-25T00:59:59Z', '2026-10-24T00:00:00Z'],
  ])('adds grace in UTC after placing the slot: %s', (_scenario, now, expected) => {
    // Act
    const slot = dueSlot(DAILY_0200, BERLIN, new Date(now), 60);

    // Assess
    expect(slot?.toISOString()).toBe(new Date(expected).toISOString());
  });
});

describe('isDispatchedSince', () => {
  it.each([
    ['just before the slot', '2026-03-03T00:59:59.999Z', false],
    ['exactly at the slot', '2026-03-03T01:00:00Z', true],
    ['just after the slot', '2026-03-03T01:00:00.001Z', true],
  ])('answers %s with %s', (_scenario, lastBackupTime, expected) => {
    // Act and Assess
    expect(isDispatchedSince(new Date(lastBackupTime), new Date('2026-03-03T01:00:00Z'))).toBe(expected);
  });
});

describe('isTooOld', () => {
  it.each([
    ['just under the maximum age', '2026-03-02T01:59:59.999Z', false],
    ['exactly the maximum age', '2026-03-02T02:00:00Z', false],
    ['just over the maximum age', '2026-03-02T02:00:00.001Z', true],
  ])('answers %s with %s', (_scenario, now, expected) => {
    // Act and Assess
    expect(isTooOld(new Date('2026-03-01T02:00:00Z'), new Date(now), 24)).toBe(expected);
  });
});

describe('backupAgeHours', () => {
  it('measures the age in hours', () => {
    // Act and Assess
    expect(backupAgeHours(new Date('2026-03-01T02:00:00Z'), new Date('2026-03-02T03:30:00Z'))).toBe(25.5);
  });
});

describe('newestArchive', () => {
  it('finds the newest record of the history fixture whatever the order', () => {
    // Prepare
    const history = historyFixture('history.json').reverse();

    // Act
    const newest = newestArchive(history);

    // Assess
    expect(newest?.fileName).toBe('acme_2026-03-02_01-07-44.tar.gz');
  });

  it('ignores records dated year 0001 and gives undefined for an empty history', () => {
    // Act and Assess
    // The client skips such records (and counts them); the guard stays for evidence built by hand.
    expect(newestArchive([{ id: 'a', fileName: 'x', createdOn: null as unknown as Date }])).toBeUndefined();
    expect(newestArchive(historyFixture('history-empty.json'))).toBeUndefined();
  });
});

describe('hasArchiveSince', () => {
  // The newest record of history.json was created 2026-03-02T01:19:52Z.
  it.each([
    ['a slot just before the newest archive', '2026-03-02T01:19:51.999Z', true],
    ['a slot exactly at the newest archive', '2026-03-02T01:19:52Z', true],
    ['a slot just after the newest archive', '2026-03-02T01:19:52.001Z', false],
  ])('answers %s with %s', (_scenario, slot, expected) => {
    // Act and Assess
    expect(hasArchiveSince(historyFixture('history.json'), new Date(slot))).toBe(expected);
  });
});
