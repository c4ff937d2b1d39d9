/**
 * Freshness, the way Healthchecks.io judges cron checks: a backup is due by the latest slot
 * whose grace has run out, and the evidence (dispatch time, archive) must be at or after it.
 */
import type { BackupRecord, CronParams } from '../docspace/schemas.ts';
import { isDated, newestOf, type DatedArchive } from './evidence.ts';
import { lastDueSlot } from './slots.ts';
import type { PortalZone } from './types.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * The slot a backup must have happened by, as of `now`: the latest slot S with
 * S + grace <= now, or `undefined` when there is none (the cron has no slot yet).
 *
 * @param cron - the schedule's `cronParams`
 * @param zone - the portal's time zone
 * @param now - the instant of the check
 * @param graceMinutes - how late a backup may be after its slot
 */
export function dueSlot(cron: CronParams, zone: PortalZone, now: Date, graceMinutes: number): Date | undefined {
  // Grace is counted in UTC from the slot's instant, so a DST change never stretches or shrinks it.
  return lastDueSlot(cron, zone, new Date(now.getTime() - graceMinutes * MINUTE_MS));
}

/** True when the scheduler dispatched a backup at or after the due slot. */
export function isDispatchedSince(lastBackupTime: Date, slot: Date): boolean {
  return lastBackupTime.getTime() >= slot.getTime();
}

/** How long ago the last backup was dispatched, in hours. */
export function backupAgeHours(lastBackupTime: Date, now: Date): number {
  return (now.getTime() - lastBackupTime.getTime()) / HOUR_MS;
}

/** True when the last backup is older than `maxBackupAgeHours` (exactly that old is fine). */
export function isTooOld(lastBackupTime: Date, now: Date, maxBackupAgeHours: number): boolean {
  return now.getTime() - lastBackupTime.getTime() > maxBackupAgeHours * HOUR_MS;
}

export type { DatedArchive } from './evidence.ts';

/** The newest dated archive in the backup history, or `undefined` when there is none. */
export function newestArchive(history: readonly BackupRecord[]): DatedArchive | undefined {
  return newestOf(history.filter(isDated));
}

/** True when the history holds a dated archive created at or after the slot. */
export function hasArchiveSince(history: readonly BackupRecord[], slot: Date): boolean {
  return history.filter(isDated).some((record) => record.createdOn.getTime() >= slot.getTime());
}
