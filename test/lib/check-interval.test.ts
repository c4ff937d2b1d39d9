import { describe, expect, it } from 'vitest';
import { maxDaysBetweenRuns, maxHoursWithoutRun, observesDaylightSaving } from '../../lib/check-interval.ts';

describe('maxDaysBetweenRuns', () => {
  it.each([
    ['0 7 * * ? *', 1, 'daily'],
    ['0 7 ? * * *', 1, 'daily, written with day-of-week'],
    ['0 */6 * * ? *', 1, 'several runs a day still count one day'],
    ['30 6 ? * MON-FRI *', 3, 'weekdays: Friday to Monday'],
    ['30 6 ? * 2-6 *', 3, 'weekdays as numbers (1 = Sunday)'],
    ['0 7 ? * sun,wed *', 4, 'lowercase names in a list: Wednesday to Sunday'],
    ['0 7 ? * MON *', 7, 'weekly'],
    ['0 7 */2 * ? *', 2, 'every other day of the month'],
    ['0 7 1 * ? *', 31, 'monthly: the longest month'],
    ['0 7 1,15 * ? *', 17, 'twice a month: the 15th to the 1st of a 31-day month'],
    ['0 7 * 1-6 ? *', 185, 'only in the first half of the year'],
  ])('returns %s -> %i (%s)', (cron, days) => {
    // Act
    const result = maxDaysBetweenRuns(cron);

    // Assess
    expect(result).toBe(days);
  });

  it.each([
    ['0 7 L * ? *', 'L in day-of-month'],
    ['0 7 15W * ? *', 'W'],
    ['0 7 ? * 2#1 *', '#'],
    ['0 7 ? * FRI-MON *', 'a range that wraps around'],
    ['0 7 32 * ? *', 'a day of the month out of range'],
  ])('returns undefined for %s (%s)', (cron) => {
    // Act
    const result = maxDaysBetweenRuns(cron);

    // Assess
    expect(result).toBeUndefined();
  });
});

describe('observesDaylightSaving', () => {
  it.each([
    ['UTC', false],
    ['Asia/Tokyo', false],
    ['Europe/Berlin', true],
    ['America/New_York', true],
    ['Australia/Sydney', true],
  ])('returns %s -> %s', (zone, expected) => {
    // Act
    const result = observesDaylightSaving(zone);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('maxHoursWithoutRun', () => {
  it.each([
    ['0 7 * * ? *', 'UTC', 25, 'a day plus one hour of slack'],
    ['0 7 * * ? *', 'Europe/Berlin', 26, 'one more hour where autumn makes a day 25 hours long'],
    ['30 6 ? * MON-FRI *', 'UTC', 73, 'the weekend plus slack'],
    ['0 7 ? * MON *', 'UTC', 169, 'a week plus slack'],
  ])('returns %s in %s -> %i hours (%s)', (cron, zone, hours) => {
    // Act
    const result = maxHoursWithoutRun(cron, zone);

    // Assess
    expect(result).toBe(hours);
  });

  it('returns undefined when the days cannot be derived', () => {
    // Act
    const result = maxHoursWithoutRun('0 7 L * ? *', 'UTC');

    // Assess
    expect(result).toBeUndefined();
  });
});
