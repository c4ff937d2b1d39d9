/**
 * The portal's time zone: wall-clock maths with Intl (no clock reads), DST gaps and overlaps,
 * the zone taken from `GET /api/2.0/settings`, and how instants are written in messages.
 */
import type { PortalSettings } from '../docspace/schemas.ts';
import { sanitizePortalText } from './format.ts';
import type { PortalZone } from './types.ts';
import { ianaOfWindowsZone } from './windows-zones.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** No zone on Earth is further than this from UTC (Pacific/Kiritimati is +14:00). */
const MAX_OFFSET_MINUTES = 14 * 60;

/** A wall-clock time in a zone, to the minute. `month` is 1–12. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(id: string): Intl.DateTimeFormat {
  let formatter = formatters.get(id);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: id,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(id, formatter);
  }
  return formatter;
}

/**
 * True when Intl knows `id` as a time zone (an IANA id such as `Europe/Berlin`, or `UTC`).
 *
 * @param id - a time zone id, e.g. as a portal reports it
 */
export function isIanaTimeZone(id: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(id)) return false;
  try {
    formatterFor(id);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `epochMs`, in ms (local = UTC + offset), to the second. */
function offsetMsAt(zone: PortalZone, epochMs: number): number {
  if (zone.kind === 'fixed') return zone.offsetMinutes * MINUTE_MS;
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(zone.id).formatToParts(wholeSecond)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wallClock = utcMs(fields.year ?? 1970, fields.month ?? 1, fields.day ?? 1, fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0);
  return wallClock - wholeSecond;
}

function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  // setUTCFullYear keeps years 0–99 as they are (Date.UTC would add 1900).
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/**
 * The zone's offset from UTC at an instant, in minutes (`local = UTC + offset`): +60 for Berlin
 * in winter, -300 for New York in winter.
 */
export function utcOffsetMinutes(zone: PortalZone, instant: Date): number {
  return offsetMsAt(zone, instant.getTime()) / MINUTE_MS;
}

/** The wall-clock time in `zone` at `instant`, to the minute. */
export function toLocal(zone: PortalZone, instant: Date): LocalDateTime {
  const local = new Date(instant.getTime() + offsetMsAt(zone, instant.getTime()));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

/**
 * The instant a wall-clock time happens in `zone`. A time that does not exist (a spring-forward
 * gap) happens at the instant the gap ends; a time that happens twice (a fall-back overlap)
 * happens at its first occurrence. Works for any zone: the transition is found by binary search.
 *
 * @example
 * fromLocal({ kind: 'iana', id: 'Europe/Berlin' }, { year: 2026, month: 3, day: 29, hour: 2, minute: 0 });
 * // 2026-03-29T01:00:00Z: 02:00 does not exist that night, 03:00 CEST does
 */
export function fromLocal(zone: PortalZone, local: LocalDateTime): Date {
  const wallClock = utcMs(local.year, local.month, local.day, local.hour, local.minute);
  // The real instant is within ±14 h of the wall clock read as UTC: offsets a day away bracket it.
  const offsetBefore = offsetMsAt(zone, wallClock - DAY_MS);
  const offsetAfter = offsetMsAt(zone, wallClock + DAY_MS);
  const offsets = new Set([
    offsetBefore,
    offsetAfter,
    offsetMsAt(zone, wallClock - offsetBefore),
    offsetMsAt(zone, wallClock - offsetAfter),
  ]);
  const matches = [...offsets]
    .map((offset) => wallClock - offset)
    .filter((candidate) => offsetMsAt(zone, candidate) === wallClock - candidate)
    .sort((a, b) => a - b);
  // Overlap: the first occurrence counts.
  if (matches[0] !== undefined) return new Date(matches[0]);
  // Gap: the wall clock jumped over this time; it counts when the jump happens.
  return new Date(transitionBetween(zone, wallClock - Math.max(offsetBefore, offsetAfter), wallClock - Math.min(offsetBefore, offsetAfter)));
}

/** The first second in `(from, to]` whose offset differs from the offset at `from`. */
function transitionBetween(zone: PortalZone, from: number, to: number): number {
  const startOffset = offsetMsAt(zone, from);
  if (offsetMsAt(zone, to) === startOffset) return to;
  let low = Math.floor(from / 1000);
  let high = Math.ceil(to / 1000);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetMsAt(zone, middle * 1000) === startOffset) low = middle;
    else high = middle;
  }
  return high * 1000;
}

/** `+01:00`, `-05:00`, `+05:30`: an offset in minutes, the way ISO 8601 writes it. */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(Math.round(offsetMinutes));
  return `${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
}

/** The zone's name for people and reports: the IANA id, or `UTC+01:00` for a fixed offset. */
export function zoneLabel(zone: PortalZone): string {
  return zone.kind === 'iana' ? zone.id : `UTC${formatOffset(zone.offsetMinutes)}`;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function formatDateTime(local: LocalDateTime): string {
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)} ${pad(local.hour)}:${pad(local.minute)}`;
}

/**
 * An instant in the portal's local time, to the minute, with the zone's name.
 *
 * @example
 * formatInZone(new Date('2026-03-02T01:00:00Z'), { kind: 'iana', id: 'Europe/Berlin' }); // '2026-03-02 02:00 Europe/Berlin'
 */
export function formatInZone(instant: Date, zone: PortalZone): string {
  return `${formatDateTime(toLocal(zone, instant))} ${zoneLabel(zone)}`;
}

/**
 * An instant in UTC, to the minute.
 *
 * @example
 * formatUtc(new Date('2026-03-02T01:00:00Z')); // '2026-03-02 01:00 UTC'
 */
export function formatUtc(instant: Date): string {
  return `${formatDateTime(toLocal({ kind: 'fixed', offsetMinutes: 0 }, instant))} UTC`;
}

/** The zone a portal's settings give, with a note when it is a fallback; or why there is none. */
export type ZoneFromSettings = { readonly zone: PortalZone; readonly note?: string } | { readonly failure: string };

/** .NET `TimeSpan` text: `01:00:00`, `-05:00:00`, `+05:30`, `0.05:30:00` (days.hours:minutes:seconds). */
const TIME_SPAN = /^([+-])?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/;

/** Minutes east of UTC from `utcOffset` text, or `undefined` when it is not a usable offset. */
function parseUtcOffset(text: string): number | undefined {
  const match = TIME_SPAN.exec(text.trim());
  if (!match) return undefined;
  const [, sign, days = '0', hours = '0', minutes = '0'] = match;
  if (Number(minutes) > 59) return undefined;
  const total = Number(days) * 24 * 60 + Number(hours) * 60 + Number(minutes);
  // A day part that is not zero cannot be a UTC offset: distrust the whole value.
  if (total > MAX_OFFSET_MINUTES) return undefined;
  return sign === '-' ? -total : total;
}

/** Minutes east of UTC from `utcHoursOffset` (may be fractional: 5.5), or `undefined`. */
function hoursOffsetMinutes(hours: number | null | undefined): number | undefined {
  if (typeof hours !== 'number' || !Number.isFinite(hours)) return undefined;
  const minutes = Math.round(hours * 60);
  return Math.abs(minutes) <= MAX_OFFSET_MINUTES ? minutes : undefined;
}

/**
 * The portal's time zone from `GET /api/2.0/settings`. An id Intl knows is used as is; a Windows
 * id (`W. Europe Standard Time`) becomes the IANA zone CLDR maps it to, so DST is followed.
 * Otherwise (an id neither knows, or none) the schedule is judged at the portal's current UTC
 * offset (`utcOffset`, else `utcHoursOffset`), with a note saying that this ignores DST. With no
 * usable offset either, the answer is a failure text.
 *
 * @param settings - the parsed `response` of the settings call
 * @example
 * zoneFromSettings({ timezone: 'Europe/Berlin', utcOffset: '01:00:00', utcHoursOffset: 1 });
 * // { zone: { kind: 'iana', id: 'Europe/Berlin' } }
 */
export function zoneFromSettings(settings: PortalSettings): ZoneFromSettings {
  const id = settings.timezone?.trim() ?? '';
  if (id !== '' && isIanaTimeZone(id)) return { zone: { kind: 'iana', id } };
  const mapped = id === '' ? undefined : ianaOfWindowsZone(id);
  if (mapped !== undefined && isIanaTimeZone(mapped)) return { zone: { kind: 'iana', id: mapped } };
  const reportedId = id === '' ? undefined : sanitizePortalText(id, 64);
  const described =
    reportedId === undefined
      ? 'the portal reports no time zone id'
      : `the portal reports time zone ${JSON.stringify(reportedId)}, which is neither an IANA id nor a Windows id CLDR maps`;
  const offsetMinutes = parseUtcOffset(settings.utcOffset ?? '') ?? hoursOffsetMinutes(settings.utcHoursOffset);
  if (offsetMinutes === undefined) {
    return { failure: `${described}, and no usable UTC offset (utcOffset, utcHoursOffset); set timeZone in the config` };
  }
  const zone: PortalZone = reportedId === undefined ? { kind: 'fixed', offsetMinutes } : { kind: 'fixed', offsetMinutes, reportedId };
  return {
    zone,
    note: `${described}: judged approximately, at its current UTC offset ${formatOffset(offsetMinutes)}, which does not follow DST; set timeZone in the config`,
  };
}
