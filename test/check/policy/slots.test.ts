import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CronParams } from '../../../functions/check/docspace/schemas.ts';
import { lastDueSlot, nextSlot } from '../../../functions/check/policy/slots.ts';
import type { PortalZone } from '../../../functions/check/policy/types.ts';

const iana = (id: string): PortalZone => ({ kind: 'iana', id });
const fixed = (offsetMinutes: number): PortalZone => ({ kind: 'fixed', offsetMinutes });
const daily = (hour: number): CronParams => ({ period: 0, hour, day: 0 });
const weekly = (day: number, hour: number): CronParams => ({ period: 1, hour, day });
const monthly = (day: number, hour: number): CronParams => ({ period: 2, hour, day });

const UTC = iana('UTC');
const BERLIN = iana('Europe/Berlin');
const NEW_YORK = iana('America/New_York');

describe('lastDueSlot', () => {
  it.each([
    // [scenario, cron, zone, notAfter, expected]
    ['daily: today when past the hour', daily(2), UTC, '2026-03-02T07:00:00Z', '2026-03-02T02:00:00Z'],
    ['daily: exactly at the slot', daily(2), UTC, '2026-03-02T02:00:00Z', '2026-03-02T02:00:00Z'],
    ['daily: yesterday just before the hour', daily(2), UTC, '2026-03-02T01:59:59.999Z', '2026-03-01T02:00:00Z'],
    ['daily: hour 0', daily(0), UTC, '2026-03-02T00:00:00Z', '2026-03-02T00:00:00Z'],
    ['daily: hour 23 on New Year', daily(23), UTC, '2027-01-01T05:00:00Z', '2026-12-31T23:00:00Z'],
    ['daily: local hour in Europe/Berlin winter', daily(2), BERLIN, '2026-03-02T07:00:00Z', '2026-03-02T01:00:00Z'],
    ['daily: local hour in Europe/Berlin summer', daily(2), BERLIN, '2026-07-02T07:00:00Z', '2026-07-02T00:00:00Z'],
    ['daily: local date ahead of UTC (Berlin 00:30 is 23:30 UTC)', daily(0), BERLIN, '2026-03-01T23:30:00Z', '2026-03-01T23:00:00Z'],
    ['weekly: day 1 is Sunday', weekly(1, 3), UTC, '2026-03-04T12:00:00Z', '2026-03-01T03:00:00Z'],
    ['weekly: day 2 is Monday', weekly(2, 3), UTC, '2026-03-04T12:00:00Z', '2026-03-02T03:00:00Z'],
    ['weekly: day 7 is Saturday', weekly(7, 3), UTC, '2026-03-04T12:00:00Z', '2026-02-28T03:00:00Z'],
    ['weekly: a week back when today is the day but before the hour', weekly(4, 3), UTC, '2026-03-04T02:59:00Z', '2026-02-25T03:00:00Z'],
    ['monthly: day 1', monthly(1, 3), UTC, '2026-03-15T00:00:00Z', '2026-03-01T03:00:00Z'],
    ['monthly: day 31 skips February and lands on January 31', monthly(31, 3), UTC, '2026-03-30T00:00:00Z', '2026-01-31T03:00:00Z'],
    ['monthly: day 31 skips April', monthly(31, 3), UTC, '2026-05-30T00:00:00Z', '2026-03-31T03:00:00Z'],
    ['monthly: day 30 skips February', monthly(30, 3), UTC, '2026-03-29T00:00:00Z', '2026-01-30T03:00:00Z'],
    ['monthly: day 29 skips February 2026 (not a leap year)', monthly(29, 3), UTC, '2026-03-28T00:00:00Z', '2026-01-29T03:00:00Z'],
    ['monthly: day 29 is February 29 in leap year 2028', monthly(29, 3), UTC, '2028-03-28T00:00:00Z', '2028-02-29T03:00:00Z'],
    ['fixed +05:30: local 02:00 is 20:30 UTC the day before', daily(2), fixed(330), '2026-03-02T00:00:00Z', '2026-03-01T20:30:00Z'],
    ['fixed -05:00: local 02:00 is 07:00 UTC', daily(2), fixed(-300), '2026-03-02T07:00:00Z', '2026-03-02T07:00:00Z'],
    ['fixed +00:00 behaves as UTC', daily(2), fixed(0), '2026-03-02T01:59:00Z', '2026-03-01T02:00:00Z'],
  ])('returns the latest slot at or before notAfter: %s', (_scenario, cron, zone, notAfter, expected) => {
    // Act
    const slot = lastDueSlot(cron, zone, new Date(notAfter));

    // Assess
    expect(slot?.toISOString()).toBe(new Date(expected).toISOString());
  });

  it.each([
    // Europe/Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST at 01:00 UTC.
    ['Europe/Berlin 2026-03-29: 02:00 in the gap counts when the gap ends', daily(2), BERLIN, '2026-03-29T01:30:00Z', '2026-03-29T01:00:00Z'],
    ['Europe/Berlin 2026-03-29: just before the gap ends it is the day before', daily(2), BERLIN, '2026-03-29T00:59:59Z', '2026-03-28T01:00:00Z'],
    ['Europe/Berlin 2026-03-29: 03:00 just after the gap is unaffected', daily(3), BERLIN, '2026-03-29T05:00:00Z', '2026-03-29T01:00:00Z'],
    // Europe/Berlin 2026-10-25: 03:00 CEST falls back to 02:00 CET at 01:00 UTC; 02:00-03:00 happens twice.
    ['Europe/Berlin 2026-10-25: 02:00 in the overlap counts at its first occurrence', daily(2), BERLIN, '2026-10-25T00:00:00Z', '2026-10-25T00:00:00Z'],
    ['Europe/Berlin 2026-10-25: the second 02:00 is not another slot', daily(2), BERLIN, '2026-10-25T01:30:00Z', '2026-10-25T00:00:00Z'],
    ['Europe/Berlin 2026-10-25: just before the first 02:00 it is the day before', daily(2), BERLIN, '2026-10-24T23:59:59Z', '2026-10-24T00:00:00Z'],
    // America/New_York 2026-03-08: 02:00 EST jumps to 03:00 EDT at 07:00 UTC.
    ['America/New_York 2026-03-08: 02:00 in the gap counts when the gap ends', daily(2), NEW_YORK, '2026-03-08T07:00:00Z', '2026-03-08T07:00:00Z'],
    ['America/New_York 2026-03-08: just before the gap ends it is the day before', daily(2), NEW_YORK, '2026-03-08T06:59:59Z', '2026-03-07T07:00:00Z'],
    // America/New_York 2026-11-01: 02:00 EDT falls back to 01:00 EST at 06:00 UTC; 01:00-02:00 happens twice.
    ['America/New_York 2026-11-01: 01:00 in the overlap counts at its first occurrence', daily(1), NEW_YORK, '2026-11-01T06:30:00Z', '2026-11-01T05:00:00Z'],
    ['America/New_York 2026-11-01: 02:00 is after the overlap, in EST', daily(2), NEW_YORK, '2026-11-01T07:00:00Z', '2026-11-01T07:00:00Z'],
    ['America/New_York 2026-11-01: 02:00 EST is not due at 06:59 UTC', daily(2), NEW_YORK, '2026-11-01T06:59:00Z', '2026-10-31T06:00:00Z'],
    // Australia/Lord_Howe moves by 30 minutes: 02:00 +10:30 jumps to 02:30 +11:00 on 2026-10-04.
    ['Australia/Lord_Howe 2026-10-04: 02:00 in the 30-minute gap counts when it ends', daily(2), iana('Australia/Lord_Howe'), '2026-10-03T16:00:00Z', '2026-10-03T15:30:00Z'],
    // America/Santiago moves at midnight: 00:00 -04:00 jumps to 01:00 -03:00 on 2026-09-06.
    ['America/Santiago 2026-09-06: midnight in the gap counts when the gap ends', daily(0), iana('America/Santiago'), '2026-09-06T05:00:00Z', '2026-09-06T04:00:00Z'],
    // America/Santiago falls back at midnight: 23:00 on 2026-04-04 happens at -03:00, then at -04:00.
    ['America/Santiago 2026-04-04: 23:00 in the overlap counts at its first occurrence', daily(23), iana('America/Santiago'), '2026-04-05T03:30:00Z', '2026-04-05T02:00:00Z'],
    // Pacific/Apia skipped 2011-12-30 entirely (-10:00 to +14:00): a slot that day counts when the day ends.
    ['Pacific/Apia 2011-12-30: a slot on the skipped day counts when the gap ends', daily(5), iana('Pacific/Apia'), '2011-12-30T12:00:00Z', '2011-12-30T10:00:00Z'],
  ])('follows DST: %s', (_scenario, cron, zone, notAfter, expected) => {
    // Act
    const slot = lastDueSlot(cron, zone, new Date(notAfter));

    // Assess
    expect(slot?.toISOString()).toBe(new Date(expected).toISOString());
  });

  it.each([
    ['an unknown period', { period: 5, hour: 2, day: 1 }],
    ['an hour out of range', daily(24)],
    ['a day of month no month has', monthly(32, 2)],
    ['a weekday that does not exist', weekly(8, 2)],
  ])('returns undefined, without looping forever, for %s', (_scenario, cron) => {
    // Act
    const slot = lastDueSlot(cron, UTC, new Date('2026-03-02T00:00:00Z'));

    // Assess
    expect(slot).toBeUndefined();
  });
});

describe('nextSlot', () => {
  it.each([
    ['daily: later today', daily(2), UTC, '2026-03-02T01:00:00Z', '2026-03-02T02:00:00Z'],
    ['daily: strictly after, so the slot itself gives tomorrow', daily(2), UTC, '2026-03-02T02:00:00Z', '2026-03-03T02:00:00Z'],
    ['weekly: day 1 is the next Sunday', weekly(1, 3), UTC, '2026-03-02T00:00:00Z', '2026-03-08T03:00:00Z'],
    ['weekly: day 7 is the next Saturday', weekly(7, 3), UTC, '2026-03-02T00:00:00Z', '2026-03-07T03:00:00Z'],
    ['monthly: day 31 goes from January 31 to March 31', monthly(31, 3), UTC, '2026-01-31T03:00:00Z', '2026-03-31T03:00:00Z'],
    ['monthly: day 31 goes from March 31 to May 31', monthly(31, 3), UTC, '2026-03-31T03:00:00Z', '2026-05-31T03:00:00Z'],
    ['monthly: day 30 goes from January 30 to March 30', monthly(30, 3), UTC, '2026-01-30T03:00:00Z', '2026-03-30T03:00:00Z'],
    ['monthly: day 29 in leap year 2028 is February 29', monthly(29, 3), UTC, '2028-01-29T03:00:00Z', '2028-02-29T03:00:00Z'],
    ['monthly: day 29 in 2027 skips February', monthly(29, 3), UTC, '2027-01-29T03:00:00Z', '2027-03-29T03:00:00Z'],
    ['Europe/Berlin 2026-03-29: the slot in the gap is when the gap ends', daily(2), BERLIN, '2026-03-28T12:00:00Z', '2026-03-29T01:00:00Z'],
    ['Europe/Berlin 2026-10-25: the slot in the overlap is the first occurrence', daily(2), BERLIN, '2026-10-24T12:00:00Z', '2026-10-25T00:00:00Z'],
    ['Europe/Berlin 2026-10-25: after the first 02:00 the next is the 26th', daily(2), BERLIN, '2026-10-25T00:00:00Z', '2026-10-26T01:00:00Z'],
    ['America/New_York 2026-03-08: the slot in the gap is when the gap ends', daily(2), NEW_YORK, '2026-03-07T12:00:00Z', '2026-03-08T07:00:00Z'],
    ['America/New_York 2026-11-01: after the first 01:00 the next is the 2nd', daily(1), NEW_YORK, '2026-11-01T05:00:00Z', '2026-11-02T06:00:00Z'],
    ['fixed +05:30', daily(2), fixed(330), '2026-03-01T20:30:00Z', '2026-03-02T20:30:00Z'],
  ])('returns the first slot after the instant: %s', (_scenario, cron, zone, after, expected) => {
    // Act
    const slot = nextSlot(cron, zone, new Date(after));

    // Assess
    expect(slot?.toISOString()).toBe(new Date(expected).toISOString());
  });

  it('returns undefined, without looping forever, for a day of month no month has', () => {
    // Act
    const slot = nextSlot(monthly(32, 2), UTC, new Date('2026-03-02T00:00:00Z'));

    // Assess
    expect(slot).toBeUndefined();
  });

  it('leaves no slot between lastDueSlot and nextSlot, in any zone and at any instant', () => {
    // Prepare
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata', 'UTC'].map(iana);
    const crons = fc.oneof(
      fc.integer({ min: 0, max: 23 }).map(daily),
      fc.record({ period: fc.constant(1), hour: fc.integer({ min: 0, max: 23 }), day: fc.integer({ min: 1, max: 7 }) }),
      fc.record({ period: fc.constant(2), hour: fc.integer({ min: 0, max: 23 }), day: fc.integer({ min: 1, max: 31 }) }),
    );
    const instants = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }).map((ms) => new Date(ms));

    // Act and Assess
    fc.assert(
      fc.property(crons, fc.constantFrom(...zones), instants, (cron, zone, instant) => {
        const last = lastDueSlot(cron, zone, instant);
        const next = nextSlot(cron, zone, instant);
        expect(last).toBeDefined();
        expect(next).toBeDefined();
        expect(last!.getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(next!.getTime()).toBeGreaterThan(instant.getTime());
        // The slot after the last due one is the next one: nothing skipped in between.
        expect(nextSlot(cron, zone, last!)?.getTime()).toBe(next!.getTime());
      }),
      { numRuns: 300 },
    );
  });
});
