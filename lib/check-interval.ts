/**
 * How long the deployed check may go without running, derived from its EventBridge Scheduler
 * cron. Pure calendar maths (no clock): the "did not run" alarm is sized from it.
 */

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const WEEKDAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const DAY_MS = 86_400_000;
/** Eight years from a leap year: every month length, leap day and weekday alignment occurs. */
const SCAN_START_MS = Date.UTC(2024, 0, 1);
const SCAN_DAYS = 8 * 366;

/** Extra time on top of the longest gap: metric delay and Scheduler delivery retries. */
export const MISSED_RUN_SLACK_HOURS = 1;

/**
 * The values one cron field allows, or `undefined` when the field uses syntax this module does
 * not model (`L`, `W`, `#`, ranges that wrap around).
 */
function fieldValues(field: string, min: number, max: number, names: readonly string[] = []): Set<number> | undefined {
  const values = new Set<number>();
  if (field === '*' || field === '?') {
    for (let value = min; value <= max; value += 1) values.add(value);
    return values;
  }
  const valueOf = (token: string): number | undefined => {
    const named = names.indexOf(token.toUpperCase());
    const value = named >= 0 ? named + min : /^\d+$/.test(token) ? Number(token) : Number.NaN;
    return value >= min && value <= max ? value : undefined;
  };
  for (const part of field.split(',')) {
    const match = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const [range = '', stepText] = match.slice(1);
    const [startText = '', endText] = range.split('-');
    const start = range === '*' ? min : valueOf(startText);
    const end = range === '*' ? max : endText !== undefined ? valueOf(endText) : stepText !== undefined ? max : start;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (start === undefined || end === undefined || start > end || step < 1) return undefined;
    for (let value = start; value <= end; value += step) values.add(value);
  }
  return values;
}

/** The fewest and the most calendar days between two consecutive days on which a cron runs. */
interface DayGaps {
  readonly fewest: number;
  readonly most: number;
}

/**
 * Scans eight years of calendar days for the days `cron` runs on (its minute and hour fields
 * ignored) and measures the gaps between them.
 *
 * @returns `undefined` when the cron uses syntax this module does not model; `null` when it runs
 * on fewer than two days in the scan
 */
function dayGaps(cron: string): DayGaps | null | undefined {
  const [, , dayOfMonth = '', month = '', dayOfWeek = ''] = cron.trim().split(/\s+/);
  const days = fieldValues(dayOfMonth, 1, 31);
  const months = fieldValues(month, 1, 12, MONTH_NAMES);
  const weekdays = fieldValues(dayOfWeek, 1, 7, WEEKDAY_NAMES);
  if (!days || !months || !weekdays) return undefined;
  // EventBridge: exactly one of day-of-month and day-of-week is "?"; the other one decides.
  const byWeekday = dayOfMonth === '?';
  let previous: number | undefined;
  let fewest = Number.POSITIVE_INFINITY;
  let most = 0;
  for (let index = 0; index < SCAN_DAYS; index += 1) {
    const day = new Date(SCAN_START_MS + index * DAY_MS);
    if (!months.has(day.getUTCMonth() + 1)) continue;
    if (!(byWeekday ? weekdays.has(day.getUTCDay() + 1) : days.has(day.getUTCDate()))) continue;
    if (previous !== undefined) {
      fewest = Math.min(fewest, index - previous);
      most = Math.max(most, index - previous);
    }
    previous = index;
  }
  return most === 0 ? null : { fewest, most };
}

/**
 * The most calendar days between two consecutive days on which `cron` runs (1 for a daily
 * cron, 3 for Monday to Friday, 7 for weekly). The minute and hour fields are ignored: a day
 * with several runs still counts once, so the real gap is never longer than this many days.
 *
 * @param cron - an EventBridge Scheduler cron body with six fields (`0 7 * * ? *`)
 * @returns `undefined` when the cron uses `L`, `W` or `#`, or cannot be read
 */
export function maxDaysBetweenRuns(cron: string): number | undefined {
  return dayGaps(cron)?.most;
}

/**
 * The shortest time between two consecutive runs of `cron` in `zone`, in hours (fractional):
 * between two runs on one day, or from a day's last run to the next run day's first. One hour
 * less in a zone with daylight saving time, where spring makes a day 23 hours long.
 *
 * @param cron - an EventBridge Scheduler cron body with six fields (`0 8 ? * MON *`)
 * @param zone - the IANA zone the schedule runs in
 * @example
 * minHoursBetweenRuns('0 8 ? * MON *', 'Europe/Berlin'); // 167
 * minHoursBetweenRuns('0 8,20 * * ? *', 'UTC'); // 12
 * @returns `undefined` when the cron uses `L`, `W` or `#`, or cannot be read; `Infinity` when it
 * runs on fewer than two days in eight years
 */
export function minHoursBetweenRuns(cron: string, zone: string): number | undefined {
  const [minuteField = '', hourField = ''] = cron.trim().split(/\s+/);
  const minutes = fieldValues(minuteField, 0, 59);
  const hours = fieldValues(hourField, 0, 23);
  const gaps = dayGaps(cron);
  if (!minutes || !hours || gaps === undefined) return undefined;
  const times = [...hours].flatMap((hour) => [...minutes].map((minute) => hour * 60 + minute)).sort((a, b) => a - b);
  const first = times[0] ?? 0;
  const last = times.at(-1) ?? 0;
  let shortest = gaps === null ? Number.POSITIVE_INFINITY : gaps.fewest * 24 * 60 + first - last;
  for (let index = 1; index < times.length; index += 1) shortest = Math.min(shortest, (times[index] ?? 0) - (times[index - 1] ?? 0));
  return (shortest - (observesDaylightSaving(zone) ? 60 : 0)) / 60;
}

function utcOffset(zone: string, utcMs: number): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(utcMs);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
}

/** True when `zone` has a different UTC offset in January than in July (daylight saving time). */
export function observesDaylightSaving(zone: string): boolean {
  return utcOffset(zone, Date.UTC(2025, 0, 15)) !== utcOffset(zone, Date.UTC(2025, 6, 15));
}

/**
 * How many hours may pass without a run before the monitor counts as broken: the longest gap
 * between two runs of `cron`, plus {@link MISSED_RUN_SLACK_HOURS}, plus one hour in a zone with
 * daylight saving time (a daily 07:00 local run is 25 hours after the previous one in autumn).
 *
 * @example
 * maxHoursWithoutRun('0 7 * * ? *', 'UTC'); // 25
 * maxHoursWithoutRun('0 7 ? * MON-FRI *', 'Europe/Berlin'); // 74
 * @returns `undefined` when the gap cannot be derived (see {@link maxDaysBetweenRuns})
 */
export function maxHoursWithoutRun(cron: string, zone: string): number | undefined {
  const days = maxDaysBetweenRuns(cron);
  if (days === undefined) return undefined;
  return days * 24 + MISSED_RUN_SLACK_HOURS + (observesDaylightSaving(zone) ? 1 : 0);
}
