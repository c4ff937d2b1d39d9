/**
 * What counts as evidence of a backup, as of `now`: time only counts when it has passed. A
 * `lastBackupTime` or an archive's `createdOn` more than {@link FUTURE_TOLERANCE_MINUTES} after
 * `now` (a portal clock ahead, a bad import, a hostile portal, or `--now` before the evidence)
 * proves nothing, and a history record without a usable date is skipped.
 */
import type { BackupRecord } from '../docspace/schemas.ts';
import type { Fetched } from './types.ts';

const MINUTE_MS = 60_000;

/**
 * How far after `now` a portal's timestamp may lie and still count: DocSpace's scheduler wakes
 * every 15 minutes, and the portal's clock and the monitor's may disagree by a little.
 */
export const FUTURE_TOLERANCE_MINUTES = 15;

/** A history record with a usable creation time. */
export type DatedArchive = BackupRecord & { readonly createdOn: Date };

/**
 * True when a record has a usable creation time: records dated year 0001 have none, and a
 * record the client passes on without a date (or with an invalid one) is skipped, not fatal.
 */
export function isDated(record: BackupRecord): record is DatedArchive {
  const createdOn: unknown = record.createdOn;
  return createdOn instanceof Date && !Number.isNaN(createdOn.getTime());
}

/** True when `instant` is more than {@link FUTURE_TOLERANCE_MINUTES} after `now`: it is not evidence. */
export function isInFuture(instant: Date, now: Date): boolean {
  return instant.getTime() > now.getTime() + FUTURE_TOLERANCE_MINUTES * MINUTE_MS;
}

/** The evidence of one portal, sorted into what counts and what does not. */
export interface Evidence {
  /** `lastBackupTime` as reported: `null` when never dispatched since the schedule was saved. */
  readonly lastBackupTime: Date | null;
  /** `lastBackupTime` when it counts: set and not in the future. */
  readonly dispatchedAt?: Date;
  /** `lastBackupTime` when it lies in the future. */
  readonly futureLastBackupTime?: Date;
  /** The dated archives that are not in the future; `undefined` when the history was not read. */
  readonly archives?: readonly DatedArchive[];
  /** The archives created in the future. */
  readonly futureArchives: readonly DatedArchive[];
  /** History records without a usable date, skipped. */
  readonly undatedRecords: number;
}

/**
 * Sorts a portal's timestamps into evidence and not.
 *
 * @param lastBackupTime - the schedule's `lastBackupTime` (`null`: never dispatched)
 * @param history - the backup history, when it was asked for
 * @param now - the instant of the check
 */
export function gatherEvidence(lastBackupTime: Date | null, history: Fetched<readonly BackupRecord[]> | undefined, now: Date): Evidence {
  const future = lastBackupTime !== null && isInFuture(lastBackupTime, now);
  const records = history?.ok ? history.value : undefined;
  const dated = records?.filter(isDated) ?? [];
  return {
    lastBackupTime,
    ...(lastBackupTime !== null && !future ? { dispatchedAt: lastBackupTime } : {}),
    ...(future ? { futureLastBackupTime: lastBackupTime } : {}),
    ...(records === undefined ? {} : { archives: dated.filter((record) => !isInFuture(record.createdOn, now)) }),
    futureArchives: dated.filter((record) => isInFuture(record.createdOn, now)),
    undatedRecords: records === undefined ? 0 : records.length - dated.length,
  };
}

/** The newest of some archives, or `undefined` when there is none. */
export function newestOf(archives: readonly DatedArchive[]): DatedArchive | undefined {
  let newest: DatedArchive | undefined;
  for (const record of archives) if (newest === undefined || record.createdOn.getTime() > newest.createdOn.getTime()) newest = record;
  return newest;
}

/** The newest instant that proves a backup, and what it is. */
export interface Proof {
  readonly instant: Date;
  /** `dispatch`: the schedule's `lastBackupTime`; `archive`: an archive's `createdOn`. */
  readonly kind: 'dispatch' | 'archive';
}

/**
 * The proof of the latest dispatch, for `BACKUP_OVERDUE`. `lastBackupTime` when it counts. When it
 * lies in the future, the scheduler has dispatched nothing since it was written (it waits for the
 * next slot after it), so only an archive not in the future proves a backup. `undefined`: none.
 */
export function dispatchProof(evidence: Evidence): Proof | undefined {
  if (evidence.dispatchedAt !== undefined) return { instant: evidence.dispatchedAt, kind: 'dispatch' };
  if (evidence.futureLastBackupTime === undefined) return undefined;
  return archiveProof(evidence);
}

/**
 * The proof a backup's age is measured from, for `BACKUP_TOO_OLD`: `lastBackupTime` when it
 * counts, else (never dispatched, or in the future) the newest archive not in the future.
 */
export function ageProof(evidence: Evidence): Proof | undefined {
  if (evidence.dispatchedAt !== undefined) return { instant: evidence.dispatchedAt, kind: 'dispatch' };
  return archiveProof(evidence);
}

function archiveProof(evidence: Evidence): Proof | undefined {
  const newest = newestOf(evidence.archives ?? []);
  return newest === undefined ? undefined : { instant: newest.createdOn, kind: 'archive' };
}

/**
 * True when `BACKUP_TOO_OLD` can be judged although nothing proves a backup: a future
 * `lastBackupTime` proves none, and a schedule that never ran proves none when the history was
 * read. Without proof, the age is unknown, and an unknown age is never fresh.
 */
export function ageIsJudgeable(evidence: Evidence): boolean {
  return evidence.futureLastBackupTime !== undefined || evidence.dispatchedAt !== undefined || evidence.archives !== undefined;
}
