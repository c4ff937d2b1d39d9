import { describe, expect, it } from 'vitest';
import type { SilenceConfig } from '../../../functions/check/config.ts';
import { activeSilences, expiredSilences, silencedFindings, unsilencedFindings } from '../../../functions/check/notify/silences.ts';
import type { FindingCode } from '../../../functions/check/policy/types.ts';
import { HISTORY_TIMEOUT, MISMATCH, NOW, OVERDUE, PORTAL, RETENTION, SCHEDULE_TIMEOUT, silence, verdict } from './verdict-builder.ts';

const UNTIL = '2027-01-06T07:00:00Z';
const AT_UNTIL = new Date(UNTIL);
const JUST_BEFORE_UNTIL = new Date(AT_UNTIL.getTime() - 1);
const JUST_AFTER_UNTIL = new Date(AT_UNTIL.getTime() + 1);

describe('activeSilences', () => {
  it.each([
    { scenario: 'well before until', now: NOW, active: true },
    { scenario: 'one millisecond before until', now: JUST_BEFORE_UNTIL, active: true },
    { scenario: 'exactly at until', now: AT_UNTIL, active: false },
    { scenario: 'one millisecond after until', now: JUST_AFTER_UNTIL, active: false },
  ])('treats a silence as in force $scenario: $active', ({ now, active }) => {
    // Prepare
    const silences = [silence({ until: UNTIL })];

    // Act
    const result = activeSilences(silences, PORTAL, now);

    // Assess
    expect(result).toEqual(active ? silences : []);
  });

  it('reads until with an offset as the instant it names', () => {
    // Prepare: 08:00+01:00 is 07:00Z, the same instant as AT_UNTIL
    const silences = [silence({ until: '2027-01-06T08:00:00+01:00' })];

    // Act
    const atOffsetUntil = activeSilences(silences, PORTAL, AT_UNTIL);
    const justBefore = activeSilences(silences, PORTAL, JUST_BEFORE_UNTIL);

    // Assess
    expect(atOffsetUntil).toEqual([]);
    expect(justBefore).toEqual(silences);
  });

  it('keeps only the silences of the portal asked about, in config order', () => {
    // Prepare
    const first = silence({ reason: 'first' });
    const other = silence({ portal: 'globex', reason: 'other portal' });
    const second = silence({ codes: ['SCHEDULE_MISMATCH'], reason: 'second' });

    // Act
    const result = activeSilences([first, other, second], PORTAL, NOW);

    // Assess
    expect(result).toEqual([first, second]);
  });
});

describe('silencedFindings', () => {
  it.each<{ scenario: string; codes: FindingCode[] | undefined; silenced: FindingCode[] }>([
    { scenario: 'every code when the silence lists none', codes: undefined, silenced: ['BACKUP_OVERDUE', 'SCHEDULE_MISMATCH', 'RETENTION_TOO_LOW'] },
    { scenario: 'only the listed codes', codes: ['SCHEDULE_MISMATCH'], silenced: ['SCHEDULE_MISMATCH'] },
    { scenario: 'every listed code present', codes: ['RETENTION_TOO_LOW', 'BACKUP_OVERDUE'], silenced: ['BACKUP_OVERDUE', 'RETENTION_TOO_LOW'] },
    { scenario: 'nothing when no listed code is present', codes: ['NO_SCHEDULE'], silenced: [] },
  ])('silences $scenario', ({ codes, silenced }) => {
    // Prepare
    const judged = verdict('CRITICAL', OVERDUE, MISMATCH, RETENTION);

    // Act
    const result = silencedFindings(judged, [silence({ codes, until: UNTIL, reason: 'moving storage' })], NOW);

    // Assess
    expect(result).toEqual(silenced.map((code) => ({ code, until: UNTIL, reason: 'moving storage' })));
  });

  it.each([
    { scenario: 'one millisecond before until', now: JUST_BEFORE_UNTIL, count: 1 },
    { scenario: 'exactly at until', now: AT_UNTIL, count: 0 },
  ])('silences a finding $scenario: $count', ({ now, count }) => {
    // Prepare
    const judged = verdict('CRITICAL', OVERDUE);

    // Act
    const result = silencedFindings(judged, [silence({ until: UNTIL })], now);

    // Assess
    expect(result).toHaveLength(count);
  });

  it('ignores silences of another portal', () => {
    // Prepare
    const judged = verdict('CRITICAL', OVERDUE);

    // Act
    const result = silencedFindings(judged, [silence({ portal: 'globex' })], NOW);

    // Assess
    expect(result).toEqual([]);
  });

  it('lists a code once when several findings carry it', () => {
    // Prepare
    const judged = verdict('UNKNOWN', SCHEDULE_TIMEOUT, HISTORY_TIMEOUT);

    // Act
    const result = silencedFindings(judged, [silence({ codes: ['CHECK_FAILED'] })], NOW);

    // Assess
    expect(result.map((entry) => entry.code)).toEqual(['CHECK_FAILED']);
  });

  it('names the silence that ends last when several cover a code', () => {
    // Prepare
    const silences: SilenceConfig[] = [
      silence({ until: '2027-01-06T07:00:00Z', reason: 'short' }),
      silence({ codes: ['BACKUP_OVERDUE'], until: '2027-02-01T00:00:00Z', reason: 'long' }),
      silence({ until: '2027-01-10T00:00:00Z', reason: 'middle' }),
    ];

    // Act
    const result = silencedFindings(verdict('CRITICAL', OVERDUE), silences, NOW);

    // Assess
    expect(result).toEqual([{ code: 'BACKUP_OVERDUE', until: '2027-02-01T00:00:00Z', reason: 'long' }]);
  });

  it('names the first in config of silences ending at the same instant', () => {
    // Prepare
    const silences = [silence({ reason: 'first' }), silence({ reason: 'second' })];

    // Act
    const result = silencedFindings(verdict('CRITICAL', OVERDUE), silences, NOW);

    // Assess
    expect(result).toEqual([{ code: 'BACKUP_OVERDUE', until: silences[0]?.until, reason: 'first' }]);
  });
});

describe('unsilencedFindings', () => {
  it('keeps the findings no silence covers, in the verdict order', () => {
    // Prepare
    const judged = verdict('CRITICAL', OVERDUE, MISMATCH, RETENTION);

    // Act
    const result = unsilencedFindings(judged, [silence({ codes: ['SCHEDULE_MISMATCH'] })], NOW);

    // Assess
    expect(result).toEqual([OVERDUE, RETENTION]);
  });

  it('drops every finding of a silenced code', () => {
    // Prepare
    const judged = verdict('WARNING', HISTORY_TIMEOUT, { ...HISTORY_TIMEOUT, source: 'progress' }, MISMATCH);

    // Act
    const result = unsilencedFindings(judged, [silence({ codes: ['CHECK_FAILED'] })], NOW);

    // Assess
    expect(result).toEqual([MISMATCH]);
  });

  it.each([
    { scenario: 'nothing before until when the silence lists no codes', now: JUST_BEFORE_UNTIL, left: [] },
    { scenario: 'everything exactly at until', now: AT_UNTIL, left: [OVERDUE, MISMATCH] },
  ])('keeps $scenario', ({ now, left }) => {
    // Prepare
    const judged = verdict('CRITICAL', OVERDUE, MISMATCH);

    // Act
    const result = unsilencedFindings(judged, [silence({ until: UNTIL })], now);

    // Assess
    expect(result).toEqual(left);
  });

  it('ignores silences of another portal', () => {
    // Prepare
    const judged = verdict('CRITICAL', OVERDUE);

    // Act
    const result = unsilencedFindings(judged, [silence({ portal: 'globex' })], NOW);

    // Assess
    expect(result).toEqual([OVERDUE]);
  });
});

describe('expiredSilences', () => {
  it.each([
    { scenario: 'one millisecond before until', now: JUST_BEFORE_UNTIL, expired: false },
    { scenario: 'exactly at until', now: AT_UNTIL, expired: true },
    { scenario: 'after until', now: JUST_AFTER_UNTIL, expired: true },
  ])('reports a silence as expired $scenario: $expired', ({ now, expired }) => {
    // Prepare
    const silences = [silence({ until: UNTIL })];

    // Act
    const result = expiredSilences(silences, now);

    // Assess
    expect(result).toEqual(expired ? silences : []);
  });

  it('reports the expired silences of every portal, in config order', () => {
    // Prepare
    const ended = silence({ until: '2027-01-01T00:00:00Z', reason: 'ended' });
    const running = silence({ until: '2027-02-01T00:00:00Z', reason: 'running' });
    const otherEnded = silence({ portal: 'globex', until: '2026-12-01T00:00:00Z', reason: 'other ended' });

    // Act
    const result = expiredSilences([ended, running, otherEnded], NOW);

    // Assess
    expect(result).toEqual([ended, otherEnded]);
  });
});
