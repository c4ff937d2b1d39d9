import { describe, expect, it } from 'vitest';
import { maxDaysBetweenRuns, maxHoursWithoutRun, minHoursBetweenRuns, observesDaylightSaving } from '../../lib/check-interval.ts';

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

describe('minHoursBetweenRuns', () => {
  it.each([
    ['0 8 ? * MON *', 'UTC', 168, 'weekly'],
    ['0 8 ? * MON *', 'Europe/Berlin', 167, 'weekly, one hour less where spring makes a week 167 hours long'],
    ['0 8 ? * MON,THU *', 'UTC', 72, 'twice a week: Monday to Thursday is the shorter gap'],
    ['0 7 * * ? *', 'UTC', 24, 'daily'],
    ['0 8,20 ? * MON *', 'UTC', 12, 'two runs on one day'],
    ['0 6,22 * * ? *', 'UTC', 8, 'a late run to the next morning\'s early run'],
    ['*/30 * * * ? *', 'UTC', 0.5, 'every half hour'],
    ['0 9 1 * ? *', 'UTC', 28 * 24, 'monthly: February is the shortest month'],
  ])('returns %s in %s -> %s hours (%s)', (cron, zone, hours) => {
    // Act
    const result = minHoursBetweenRuns(cron, zone);

    // Assess
    expect(result).toBe(hours);
  });

  it('returns Infinity when the cron runs on fewer than two days', () => {
    // Act
    const result = minHoursBetweenRuns('0 8 30 2 ? *', 'UTC');

    // Assess
    expect(result).toBe(Number.POSITIVE_INFINITY);
  });

  it.each([
    ['0 8 L * ? *', 'L'],
    ['0 8 ? * 2#1 *', '#'],
    ['0 25 * * ? *', 'an hour out of range'],
    ['x 8 * * ? *', 'a minute that is not a number'],
  ])('returns undefined for %s (%s)', (cron) => {
    // Act
    const result = minHoursBetweenRuns(cron, 'UTC');

    // Assess
    expect(result).toBeUndefined();
  });
});
