/**
 * Due slots when the portal's time zone is unknown: the schedule is placed under every offset a
 * zone can have, so what is late in all of them is late whatever the zone, and only what differs
 * between them depends on it.
 */
import type { CronParams } from '../docspace/schemas.ts';
import { dueSlot } from './freshness.ts';
import type { PortalZone } from './types.ts';

/** The westernmost offset in use (Etc/GMT+12, Baker Island), in minutes east of UTC. */
export const MIN_ZONE_OFFSET_MINUTES = -12 * 60;
/** The easternmost offset in use (Pacific/Kiritimati), in minutes east of UTC. */
export const MAX_ZONE_OFFSET_MINUTES = 14 * 60;
/**
 * The step between offsets tried. Every offset in use, summer time included, is a whole quarter
 * hour (+05:45 Kathmandu, +08:45 Eucla, +12:45 and +13:45 Chatham, +10:30 Lord Howe).
 */
const OFFSET_STEP_MINUTES = 15;

/**
 * Every offset a zone can have, as fixed zones, from UTC-12:00 to UTC+14:00. A real zone's slot
 * is `hour:00` at the offset in effect, or for a slot in a spring-forward gap at the offset
 * before the gap: either way one of these, so each real zone's due slot is at or after the
 * earliest of theirs.
 */
export const EVERY_ZONE: readonly PortalZone[] = Array.from(
  { length: (MAX_ZONE_OFFSET_MINUTES - MIN_ZONE_OFFSET_MINUTES) / OFFSET_STEP_MINUTES + 1 },
  (_, index): PortalZone => ({ kind: 'fixed', offsetMinutes: MIN_ZONE_OFFSET_MINUTES + index * OFFSET_STEP_MINUTES }),
);

/** The due slots a schedule has under a set of zones: the earliest and the latest. */
export interface DueSlots {
  readonly earliest: Date;
  readonly latest: Date;
}

/**
 * The due slot (the latest slot S with S + grace <= now) in the portal's zone, or, when the zone
 * is unknown, the earliest and the latest due slot under {@link EVERY_ZONE}. Evidence before
 * `earliest` is late in every zone; evidence at or after `latest` is on time in every zone.
 *
 * @param cron - the schedule's `cronParams`
 * @param zone - the portal's zone; `undefined` when it is unknown
 * @param now - the instant of the check
 * @param graceMinutes - how late a backup may be after its slot
 * @returns the slots, or `undefined` when some zone has no due slot (the cron has none yet)
 */
export function dueSlots(cron: CronParams, zone: PortalZone | undefined, now: Date, graceMinutes: number): DueSlots | undefined {
  if (zone !== undefined) {
    const slot = dueSlot(cron, zone, now, graceMinutes);
    return slot === undefined ? undefined : { earliest: slot, latest: slot };
  }
  let earliest: Date | undefined;
  let latest: Date | undefined;
  for (const candidate of EVERY_ZONE) {
    const slot = dueSlot(cron, candidate, now, graceMinutes);
    if (slot === undefined) return undefined;
    if (earliest === undefined || slot.getTime() < earliest.getTime()) earliest = slot;
    if (latest === undefined || slot.getTime() > latest.getTime()) latest = slot;
  }
  return earliest === undefined || latest === undefined ? undefined : { earliest, latest };
}
