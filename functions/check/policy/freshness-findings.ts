/**
 * The findings about a portal's freshness: NEVER_RAN, BACKUP_OVERDUE, BACKUP_TOO_OLD,
 * ARCHIVE_MISSING and FUTURE_TIMESTAMP. Each takes the facts the verdict established and writes
 * the finding a person reads. A zone of `undefined` means the portal's zone is unknown: times
 * are then told in UTC and slots are the earliest of every possible zone.
 */
import type { CronParams } from '../docspace/schemas.ts';
import { weekdayName } from '../docspace/enums.ts';
import { type DatedArchive, FUTURE_TOLERANCE_MINUTES, newestOf, type Proof } from './evidence.ts';
import { MAX_ZONE_OFFSET_MINUTES, MIN_ZONE_OFFSET_MINUTES } from './every-zone.ts';
import { formatHours, formatMinutes, quotePortalText } from './format.ts';
import { formatInZone, formatOffset, formatUtc, zoneLabel } from './time-zone.ts';
import { FindingCode, Severity, type Finding, type PortalZone } from './types.ts';

/** Where a person fixes the automatic backup. */
export const BACKUP_SETTINGS = 'DocSpace > Settings > Backup';

/** The date part `YYYY-MM-DD` that both formatters start with. */
const DATE_LENGTH = 10;

/** How the verdict says that the zone was unknown. */
export const EVERY_ZONE_TEXT = `every possible time zone (UTC${formatOffset(MIN_ZONE_OFFSET_MINUTES)} to UTC${formatOffset(MAX_ZONE_OFFSET_MINUTES)})`;

/**
 * An instant as UTC first, then local: `2026-03-01 01:07 UTC (02:07 Europe/Berlin)`. The local
 * date is left out when it is the same as the UTC date; with no zone, UTC only.
 */
export function describeUtcFirst(instant: Date, zone: PortalZone | undefined): string {
  const utc = formatUtc(instant);
  if (zone === undefined) return utc;
  const local = formatInZone(instant, zone);
  return `${utc} (${sameDate(utc, local) ? local.slice(DATE_LENGTH + 1) : local})`;
}

/**
 * An instant as local first, then UTC: `2026-03-02 02:00 Europe/Berlin (01:00 UTC)`. For slots,
 * which the portal's schedule sets in local time. With no zone, UTC only.
 */
export function describeLocalFirst(instant: Date, zone: PortalZone | undefined): string {
  const utc = formatUtc(instant);
  if (zone === undefined) return utc;
  const local = formatInZone(instant, zone);
  return `${local} (${sameDate(utc, local) ? utc.slice(DATE_LENGTH + 1) : utc})`;
}

function sameDate(a: string, b: string): boolean {
  return a.slice(0, DATE_LENGTH) === b.slice(0, DATE_LENGTH);
}

function hourText(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

/** A cron for people: `every day at 02:00`, `every Tuesday at 23:00`, `on day 1 of every month at 03:00`. */
export function describeCron(cron: CronParams): string {
  const at = `at ${hourText(cron.hour)}`;
  if (cron.period === 1) return `every ${weekdayName(cron.day)} ${at}`;
  if (cron.period === 2) return `on day ${cron.day} of every month ${at}`;
  return `every day ${at}`;
}

function scheduleText(cron: CronParams, zone: PortalZone | undefined): string {
  return `${describeCron(cron)} ${zone === undefined ? "in the portal's time zone, which is unknown" : zoneLabel(zone)}`;
}

/** `NEVER_RAN`: the schedule has not dispatched a backup since it was saved. */
export function neverRanFinding(cron: CronParams, zone: PortalZone | undefined, next: Date | undefined): Finding {
  const nextText = next === undefined ? '' : `; its next slot is ${describeLocalFirst(next, zone)}`;
  return {
    code: FindingCode.NEVER_RAN,
    severity: Severity.WARNING,
    message: `The schedule (${scheduleText(cron, zone)}) has not dispatched a backup since it was last saved (lastBackupTime is empty)${nextText}`,
    remedy: `Wait for the next slot if the schedule was saved recently; otherwise open ${BACKUP_SETTINGS}, check the automatic backup and the subscription`,
    expected: 'a dispatched backup',
    actual: { lastBackupTime: null },
  };
}

/** What a `BACKUP_OVERDUE` finding needs to know. */
export interface OverdueFacts {
  readonly cron: CronParams;
  /** `undefined`: the zone is unknown, and `slot` is the earliest due slot of every zone. */
  readonly zone: PortalZone | undefined;
  /** As the portal reports it; in the future when `proof` stands in for it. */
  readonly lastBackupTime: Date;
  /** The newest evidence of a backup that counts, when `lastBackupTime` lies in the future. */
  readonly proof?: Proof;
  /** The latest slot whose grace has run out (the earliest of them all when the zone is unknown). */
  readonly slot: Date;
  readonly graceMinutes: number;
}

function futureDispatchText(facts: OverdueFacts): string {
  const proofText =
    facts.proof === undefined
      ? 'no backup archive that is not in the future shows a backup since'
      : `the newest archive that is not in the future was created ${describeUtcFirst(facts.proof.instant, facts.zone)}`;
  return (
    `lastBackupTime ${describeUtcFirst(facts.lastBackupTime, facts.zone)} is in the future, ` +
    `so the scheduler has dispatched nothing since it was written (it waits for the next slot after it); ${proofText}`
  );
}

/** `BACKUP_OVERDUE`: nothing was dispatched since the due slot. */
export function backupOverdueFinding(facts: OverdueFacts): Finding {
  const { cron, zone, lastBackupTime, slot, graceMinutes } = facts;
  // A lastBackupTime after its due slot can only be one in the future (else it would not be overdue).
  const future = lastBackupTime.getTime() > slot.getTime();
  const what = future ? futureDispatchText(facts) : `last backup dispatched ${describeUtcFirst(lastBackupTime, zone)}`;
  const due =
    zone === undefined
      ? `the portal's time zone could not be read, but in ${EVERY_ZONE_TEXT} a slot at or after ${describeLocalFirst(slot, zone)} had passed its ${formatMinutes(graceMinutes)} grace`
      : `a backup was due by ${describeLocalFirst(slot, zone)} + ${formatMinutes(graceMinutes)} grace`;
  return {
    code: FindingCode.BACKUP_OVERDUE,
    severity: Severity.CRITICAL,
    message: `Backup overdue: ${what}; ${due} (schedule: ${scheduleText(cron, zone)})`,
    remedy: `Open ${BACKUP_SETTINGS} and check the automatic backup and the portal's backup log; an unpaid subscription stops scheduled backups silently`,
    expected: { lastBackupTimeNotBefore: slot.toISOString(), graceMinutes },
    actual: { lastBackupTime: lastBackupTime.toISOString() },
  };
}

/**
 * `BACKUP_TOO_OLD`: the newest proof of a backup is older than the policy's maximum age, or there
 * is no proof at all (then the age is unknown, and `actual.backupAgeHours` is `null`).
 * `historyRead` says whether the history could have held proof.
 */
export function backupTooOldFinding(proof: Proof | undefined, now: Date, maxBackupAgeHours: number, zone: PortalZone | undefined, historyRead = true): Finding {
  const limit = `the policy allows at most ${formatHours(maxBackupAgeHours)}`;
  if (proof === undefined) {
    const history = historyRead ? 'no archive in the backup history' : 'the backup history was not read';
    return {
      code: FindingCode.BACKUP_TOO_OLD,
      severity: Severity.CRITICAL,
      message: `There is no proof of any backup that is not in the future (no usable lastBackupTime, and ${history}), so the last backup's age is unknown; ${limit}`,
      remedy: `Open ${BACKUP_SETTINGS}, check the automatic backup, the portal's clock and the backup log, and run a backup manually if one is needed now`,
      expected: { maxBackupAgeHours },
      actual: { backupAgeHours: null },
    };
  }
  const ageHours = Math.max(0, (now.getTime() - proof.instant.getTime()) / 3_600_000);
  const what = proof.kind === 'dispatch' ? 'The last backup was dispatched' : 'The newest backup archive was created';
  return {
    code: FindingCode.BACKUP_TOO_OLD,
    severity: Severity.CRITICAL,
    message: `${what} ${describeUtcFirst(proof.instant, zone)}, ${formatHours(ageHours)} ago; ${limit}`,
    remedy: `Open ${BACKUP_SETTINGS}, check the automatic backup and the portal's backup log, and run a backup manually if one is needed now`,
    expected: { maxBackupAgeHours },
    actual: { backupAgeHours: Math.round(ageHours * 10) / 10 },
  };
}

/** What an `ARCHIVE_MISSING` finding needs to know. */
export interface ArchiveFacts {
  /** The dated archives that count (not in the future). */
  readonly archives: readonly DatedArchive[];
  /** How many history records had no usable date and were skipped. */
  readonly undatedRecords?: number;
  /** The latest slot whose archive grace has run out (the earliest of all when the zone is unknown). */
  readonly slot: Date;
  readonly archiveGraceMinutes: number;
  readonly zone: PortalZone | undefined;
  /** Whether a backup was dispatched since the slot: the remedy differs. */
  readonly dispatchedSinceSlot: boolean;
}

/** `ARCHIVE_MISSING`: no archive in the history since the slot whose archive grace has run out. */
export function archiveMissingFinding(facts: ArchiveFacts): Finding {
  const { slot, archiveGraceMinutes, zone } = facts;
  const newest = newestOf(facts.archives);
  const newestText =
    newest === undefined
      ? 'the backup history is empty'
      : `the newest archive is ${quotePortalText(newest.fileName, '(unnamed)', 120)}, created ${describeUtcFirst(newest.createdOn, zone)}`;
  const undated = facts.undatedRecords ?? 0;
  const skipped = undated === 0 ? '' : ` (${undated} record${undated === 1 ? '' : 's'} without a usable date ${undated === 1 ? 'was' : 'were'} skipped)`;
  const since =
    zone === undefined
      ? `since ${describeLocalFirst(slot, zone)}; the portal's time zone could not be read, but in ${EVERY_ZONE_TEXT} a slot at or after it had passed its ${formatMinutes(archiveGraceMinutes)} archive grace`
      : `since the slot at ${describeLocalFirst(slot, zone)} + ${formatMinutes(archiveGraceMinutes)} archive grace`;
  return {
    code: FindingCode.ARCHIVE_MISSING,
    severity: Severity.CRITICAL,
    message: `No backup archive was created ${since}: ${newestText}${skipped}`,
    remedy: facts.dispatchedSinceSlot
      ? `Open ${BACKUP_SETTINGS} and check the backup log and the storage (folder, account, bucket): backups are dispatched but leave no archive`
      : `Open ${BACKUP_SETTINGS} and check why no backup ran (see BACKUP_OVERDUE); then check that it leaves an archive`,
    expected: { createdOnNotBefore: slot.toISOString(), archiveGraceMinutes },
    actual: { newestCreatedOn: newest === undefined ? null : newest.createdOn.toISOString() },
  };
}

/** What a `FUTURE_TIMESTAMP` finding is about. */
export type FutureField =
  | { readonly field: 'lastBackupTime'; readonly value: Date }
  | { readonly field: 'createdOn'; readonly archives: readonly DatedArchive[] };

/**
 * `FUTURE_TIMESTAMP`: a timestamp more than {@link FUTURE_TOLERANCE_MINUTES} after `now` was left
 * out of the evidence. One finding for `lastBackupTime`, one for the history (naming the newest).
 */
export function futureTimestampFinding(future: FutureField, now: Date, zone: PortalZone | undefined): Finding {
  const after = `more than ${formatMinutes(FUTURE_TOLERANCE_MINUTES)} after the time of the check (${formatUtc(now)})`;
  const why = '(a portal clock ahead, a bad import, or --now before the evidence)';
  let value: Date;
  let message: string;
  if (future.field === 'lastBackupTime') {
    value = future.value;
    message = `The schedule's lastBackupTime, ${describeUtcFirst(value, zone)}, is ${after}, so it is not evidence of a backup and freshness was judged without it ${why}`;
  } else {
    const newest = newestOf(future.archives);
    value = newest?.createdOn ?? now;
    const count = future.archives.length;
    const name = quotePortalText(newest?.fileName ?? '', '(unnamed)', 120);
    message =
      `${count === 1 ? '1 archive' : `${count} archives`} in the backup history ${count === 1 ? 'was' : 'were'} created (createdOn) ${after}, ` +
      `the newest ${name} at ${describeUtcFirst(value, zone)}, so ${count === 1 ? 'it is' : 'they are'} not evidence of a backup and the archive was judged without ${count === 1 ? 'it' : 'them'} ${why}`;
  }
  return {
    code: FindingCode.FUTURE_TIMESTAMP,
    severity: Severity.WARNING,
    message,
    remedy: "Check the portal's clock and time settings; if the check ran with --now, use an instant after the backups it should judge",
    expected: { notAfter: new Date(now.getTime() + FUTURE_TOLERANCE_MINUTES * 60_000).toISOString() },
    actual: { field: future.field, value: value.toISOString(), now: now.toISOString() },
  };
}
