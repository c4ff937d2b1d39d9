import { describe, expect, it } from 'vitest';
import {
  formatInZone,
  formatOffset,
  formatUtc,
  fromLocal,
  isIanaTimeZone,
  toLocal,
  utcOffsetMinutes,
  zoneFromSettings,
  zoneLabel,
} from '../../../functions/check/policy/time-zone.ts';
import type { PortalZone } from '../../../functions/check/policy/types.ts';
import { settingsFixture } from './docspace-fixtures.ts';

const BERLIN: PortalZone = { kind: 'iana', id: 'Europe/Berlin' };

describe('fromLocal', () => {
  it.each([
    ['an ordinary winter time in Europe/Berlin', BERLIN, [2026, 3, 2, 2, 0], '2026-03-02T01:00:00Z'],
    ['Europe/Berlin 2026-03-29 02:00, in the gap: when the gap ends', BERLIN, [2026, 3, 29, 2, 0], '2026-03-29T01:00:00Z'],
    ['Europe/Berlin 2026-03-29 02:30, in the gap: when the gap ends', BERLIN, [2026, 3, 29, 2, 30], '2026-03-29T01:00:00Z'],
    ['Europe/Berlin 2026-10-25 02:00, in the overlap: the first occurrence', BERLIN, [2026, 10, 25, 2, 0], '2026-10-25T00:00:00Z'],
    ['Europe/Berlin 2026-10-25 02:59, in the overlap: the first occurrence', BERLIN, [2026, 10, 25, 2, 59], '2026-10-25T00:59:00Z'],
    ['America/New_York 2026-11-01 01:00, in the overlap: the first occurrence', { kind: 'iana', id: 'America/New_York' }, [2026, 11, 1, 1, 0], '2026-11-01T05:00:00Z'],
    ['a fixed offset of -05:00', { kind: 'fixed', offsetMinutes: -300 }, [2026, 3, 2, 2, 0], '2026-03-02T07:00:00Z'],
  ] as const)('places %s', (_scenario, zone, [year, month, day, hour, minute], expected) => {
    // Act
    const instant = fromLocal(zone, { year, month, day, hour, minute });

    // Assess
    expect(instant.toISOString()).toBe(new Date(expected).toISOString());
  });
});

describe('toLocal', () => {
  it('reads the second 02:30 of Europe/Berlin 2026-10-25 as 02:30', () => {
    // Act
    const local = toLocal(BERLIN, new Date('2026-10-25T01:30:00Z'));

    // Assess
    expect(local).toEqual({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 });
  });
});

describe('utcOffsetMinutes', () => {
  it.each([
    ['Europe/Berlin in winter', BERLIN, '2026-01-15T12:00:00Z', 60],
    ['Europe/Berlin in summer', BERLIN, '2026-07-15T12:00:00Z', 120],
    ['Australia/Lord_Howe in summer (+11:00)', { kind: 'iana', id: 'Australia/Lord_Howe' }, '2026-01-15T12:00:00Z', 660],
    ['Australia/Lord_Howe in winter (+10:30)', { kind: 'iana', id: 'Australia/Lord_Howe' }, '2026-07-15T12:00:00Z', 630],
    ['a fixed offset', { kind: 'fixed', offsetMinutes: 330 }, '2026-07-15T12:00:00Z', 330],
  ] as const)('gives the offset of %s', (_scenario, zone, instant, expected) => {
    // Act
    const offset = utcOffsetMinutes(zone, new Date(instant));

    // Assess
    expect(offset).toBe(expected);
  });
});

describe('isIanaTimeZone', () => {
  it.each([
    ['Europe/Berlin', true],
    ['UTC', true],
    ['W. Europe Standard Time', false],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('answers %j with %s', (id, expected) => {
    // Act and Assess
    expect(isIanaTimeZone(id)).toBe(expected);
  });
});

describe('formatInZone', () => {
  it.each([
    ['Europe/Berlin in winter', '2026-03-02T01:00:00Z', BERLIN, '2026-03-02 02:00 Europe/Berlin'],
    ['Europe/Berlin across midnight', '2026-03-01T23:30:00Z', BERLIN, '2026-03-02 00:30 Europe/Berlin'],
    ['seconds cut to the minute', '2026-03-01T01:07:41Z', BERLIN, '2026-03-01 02:07 Europe/Berlin'],
    ['a fixed offset', '2026-03-01T20:30:00Z', { kind: 'fixed', offsetMinutes: 330 }, '2026-03-02 02:00 UTC+05:30'],
  ] as const)('writes %s', (_scenario, instant, zone, expected) => {
    // Act and Assess
    expect(formatInZone(new Date(instant), zone)).toBe(expected);
  });
});

describe('formatUtc', () => {
  it('writes the instant in UTC to the minute', () => {
    // Act and Assess
    expect(formatUtc(new Date('2026-03-02T01:00:59Z'))).toBe('2026-03-02 01:00 UTC');
  });
});

describe('formatOffset', () => {
  it.each([
    [60, '+01:00'],
    [-300, '-05:00'],
    [330, '+05:30'],
    [-570, '-09:30'],
    [0, '+00:00'],
  ])('writes %i minutes as %s', (minutes, expected) => {
    // Act and Assess
    expect(formatOffset(minutes)).toBe(expected);
  });
});

describe('zoneLabel', () => {
  it.each([
    [BERLIN, 'Europe/Berlin'],
    [{ kind: 'fixed', offsetMinutes: 60, reportedId: 'W. Europe Standard Time' } as const, 'UTC+01:00'],
    [{ kind: 'fixed', offsetMinutes: -300 } as const, 'UTC-05:00'],
  ])('names %j as %s', (zone, expected) => {
    // Act and Assess
    expect(zoneLabel(zone)).toBe(expected);
  });
});

describe('zoneFromSettings', () => {
  it('uses the IANA id of the settings fixture as is, with no note', () => {
    // Act
    const result = zoneFromSettings(settingsFixture('settings.json'));

    // Assess
    expect(result).toEqual({ zone: BERLIN });
  });

  it.each([
    ['utcOffset "01:00:00"', { utcOffset: '01:00:00', utcHoursOffset: 9 }, 60],
    ['utcOffset "-05:00:00"', { utcOffset: '-05:00:00' }, -300],
    ['utcOffset "05:30:00"', { utcOffset: '05:30:00' }, 330],
    ['utcOffset "+01:00:00"', { utcOffset: '+01:00:00' }, 60],
    ['utcOffset "0.05:45:00" (a zero day part)', { utcOffset: '0.05:45:00' }, 345],
    ['utcHoursOffset 5.5 when utcOffset is absent', { utcHoursOffset: 5.5 }, 330],
    ['utcHoursOffset when utcOffset is not an offset', { utcOffset: 'soon', utcHoursOffset: -3 }, -180],
    ['utcHoursOffset when utcOffset has a day part (26 h is no offset)', { utcOffset: '1.02:00:00', utcHoursOffset: 2 }, 120],
  ])('falls back to a fixed offset from %s for an id neither IANA nor CLDR knows', (_scenario, offsets, expected) => {
    // Act
    const result = zoneFromSettings({ timezone: 'Mars Standard Time', ...offsets });

    // Assess
    expect(result).toMatchObject({ zone: { kind: 'fixed', offsetMinutes: expected, reportedId: 'Mars Standard Time' } });
  });

  it('explains the fallback in a note that names the reported id, the offset and the fix', () => {
    // Act
    const result = zoneFromSettings({ timezone: 'Mars Standard Time', utcOffset: '01:00:00', utcHoursOffset: 1 });

    // Assess
    expect(result).toEqual({
      zone: { kind: 'fixed', offsetMinutes: 60, reportedId: 'Mars Standard Time' },
      note: 'the portal reports time zone "Mars Standard Time", which is neither an IANA id nor a Windows id CLDR maps: judged approximately, at its current UTC offset +01:00, which does not follow DST; set timeZone in the config',
    });
  });

  it.each([
    ['W. Europe Standard Time', 'Europe/Berlin'],
    ['Eastern Standard Time', 'America/New_York'],
    ['India Standard Time', 'Asia/Calcutta'],
    ['Nepal Standard Time', 'Asia/Katmandu'],
    ['Dateline Standard Time', 'Etc/GMT+12'],
    ['UTC-11', 'Etc/GMT+11'],
    ['  w. europe standard time ', 'Europe/Berlin'],
  ])('maps the Windows id %j to the IANA zone %s (CLDR), with no note and whatever the offsets say', (windowsId, iana) => {
    // Act
    const result = zoneFromSettings({ timezone: windowsId, utcOffset: '09:00:00' });

    // Assess
    expect(result).toEqual({ zone: { kind: 'iana', id: iana } });
  });

  it('maps a Windows id even when the settings give no offset', () => {
    // Act
    const result = zoneFromSettings({ timezone: 'W. Europe Standard Time' });

    // Assess
    expect(result).toEqual({ zone: { kind: 'iana', id: 'Europe/Berlin' } });
  });

  it('says when the portal reports no time zone id at all', () => {
    // Act
    const result = zoneFromSettings({ utcOffset: '-03:00:00' });

    // Assess
    expect(result).toMatchObject({ zone: { kind: 'fixed', offsetMinutes: -180 }, note: expect.stringContaining('no time zone id') });
    expect('zone' in result && result.zone).not.toHaveProperty('reportedId');
  });

  it('sanitizes the reported id before it reaches the note', () => {
    // Act
    const result = zoneFromSettings({ timezone: 'Evil\u0000Zone\n   at X.Y(Z)', utcOffset: '01:00:00' });

    // Assess
    expect('note' in result ? result.note : '').toContain('"Evil Zone"');
  });

  it.each([
    ['nothing at all', {}],
    ['an id neither IANA nor CLDR knows and no offset', { timezone: 'Mars Standard Time' }],
    ['an offset beyond ±14 h', { timezone: 'X', utcOffset: '15:00:00', utcHoursOffset: 15 }],
    ['a non-finite hours offset', { utcHoursOffset: Number.NaN }],
  ])('fails with a reason when the settings give %s', (_scenario, settings) => {
    // Act
    const result = zoneFromSettings(settings);

    // Assess
    expect(result).toEqual({ failure: expect.stringContaining('set timeZone in the config') });
  });
});
