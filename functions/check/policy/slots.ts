/**
 * Schedule maths: the moments DocSpace's `cronParams` make a backup due (slots), in the portal's
 * time zone. Pure: every function takes its reference instant.
 */
import type { CronParams } from '../docspace/schemas.ts';
import { fromLocal, toLocal } from './time-zone.ts';
import type { PortalZone } from './types.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How many local days a slot search walks at most. The longest gap between two slots is 62
 * days (monthly day 31: July 31 to August 31 is short, October 31 to December 31 is the worst),
 * so a search that finds nothing in this many days never will.
 */
export const MAX_SLOT_SEARCH_DAYS = 400;

/** A local calendar day as a UTC midnight, so day steps never meet DST. */
type CalendarDay = number;

function calendarDay(zone: PortalZone, instant: Date): CalendarDay {
  const local = toLocal(zone, instant);
  return Date.UTC(local.year, local.month - 1, local.day);
}

/**
 * True when the cron has a slot on this local day: every day (period 0), the weekday (period 1,
 * day 1 = Sunday … 7 = Saturday) or the day of the month (period 2; a month without that day has
 * no slot).
 */
function hasSlotOn(cron: CronParams, day: CalendarDay): boolean {
  const date = new Date(day);
  switch (cron.period) {
    case 0:
      return true;
    case 1:
      return date.getUTCDay() + 1 === cron.day;
    case 2:
      return date.getUTCDate() === cron.day;
    default:
      return false;
  }
}

function isValidCron(cron: CronParams): boolean {
  return Number.isInteger(cron.hour) && cron.hour >= 0 && cron.hour <= 23 && [0, 1, 2].includes(cron.period);
}

/** The instant of the slot on a local day: `hour:00` there (see `fromLocal` for gaps and overlaps). */
function slotOn(cron: CronParams, zone: PortalZone, day: CalendarDay): Date {
  const date = new Date(day);
  return fromLocal(zone, {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: cron.hour,
    minute: 0,
  });
}

/**
 * The latest slot at or before `notAfter`.
 *
 * @param cron - the schedule's `cronParams` (hour in the portal's zone)
 * @param zone - the portal's time zone
 * @param notAfter - the instant the slot may not be after
 * @returns the slot, or `undefined` when the cron has none in the last {@link MAX_SLOT_SEARCH_DAYS} days
 * @example
 * lastDueSlot({ period: 0, hour: 2, day: 0 }, { kind: 'iana', id: 'Europe/Berlin' }, new Date('2026-03-02T07:00:00Z'));
 * // 2026-03-02T01:00:00Z (02:00 Berlin)
 */
export function lastDueSlot(cron: CronParams, zone: PortalZone, notAfter: Date): Date | undefined {
  if (!isValidCron(cron)) return undefined;
  // Start a day late: a slot in a gap moves later, never earlier, so tomorrow's cannot be due.
  const start = calendarDay(zone, notAfter) + DAY_MS;
  for (let step = 0; step <= MAX_SLOT_SEARCH_DAYS; step += 1) {
    const day = start - step * DAY_MS;
    if (!hasSlotOn(cron, day)) continue;
    const slot = slotOn(cron, zone, day);
    if (slot.getTime() <= notAfter.getTime()) return slot;
  }
  return undefined;
}

/**
 * The first slot strictly after `after`.
 *
 * @param cron - the schedule's `cronParams` (hour in the portal's zone)
 * @param zone - the portal's time zone
 * @param after - the instant the slot must be later than
 * @returns the slot, or `undefined` when the cron has none in the next {@link MAX_SLOT_SEARCH_DAYS} days
 * @example
 * nextSlot({ period: 2, hour: 3, day: 31 }, { kind: 'iana', id: 'UTC' }, new Date('2026-01-31T03:00:00Z'));
 * // 2026-03-31T03:00:00Z: February has no 31st
 */
export function nextSlot(cron: CronParams, zone: PortalZone, after: Date): Date | undefined {
  if (!isValidCron(cron)) return undefined;
  // Start a day early: it costs one day and keeps the search safe at local day boundaries.
  const start = calendarDay(zone, after) - DAY_MS;
  for (let step = 0; step <= MAX_SLOT_SEARCH_DAYS; step += 1) {
    const day = start + step * DAY_MS;
    if (!hasSlotOn(cron, day)) continue;
    const slot = slotOn(cron, zone, day);
    if (slot.getTime() > after.getTime()) return slot;
  }
  return undefined;
}
