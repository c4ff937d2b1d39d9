/**
 * The verdict's vocabulary: statuses, severities, finding codes and causes. The codes and
 * their meaning are a public contract (JSON report, alerts, docs/FINDINGS.md).
 */
import { CheckFailedCause, type EvidenceNotes, type EvidenceSource, type Fetched } from '../docspace/evidence.ts';
import type { BackupProgress, BackupRecord, BackupSchedule } from '../docspace/schemas.ts';

export { CheckFailedCause, type EvidenceFailure, type EvidenceNotes, type EvidenceSource, type Fetched } from '../docspace/evidence.ts';

/** A portal's status in one run, and the run's overall status. */
export const Status = {
  OK: 'OK',
  WARNING: 'WARNING',
  CRITICAL: 'CRITICAL',
  UNKNOWN: 'UNKNOWN',
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/** How urgent a finding is. */
export const Severity = {
  CRITICAL: 'critical',
  WARNING: 'warning',
} as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

/** One rule broken, by code. */
export const FindingCode = {
  NO_SCHEDULE: 'NO_SCHEDULE',
  BACKUP_OVERDUE: 'BACKUP_OVERDUE',
  NEVER_RAN: 'NEVER_RAN',
  BACKUP_TOO_OLD: 'BACKUP_TOO_OLD',
  ARCHIVE_MISSING: 'ARCHIVE_MISSING',
  LAST_BACKUP_FAILED: 'LAST_BACKUP_FAILED',
  FUTURE_TIMESTAMP: 'FUTURE_TIMESTAMP',
  SCHEDULE_MISMATCH: 'SCHEDULE_MISMATCH',
  STORAGE_NOT_ALLOWED: 'STORAGE_NOT_ALLOWED',
  RETENTION_TOO_LOW: 'RETENTION_TOO_LOW',
  DUMP_MISMATCH: 'DUMP_MISMATCH',
  CHECK_FAILED: 'CHECK_FAILED',
} as const;
export type FindingCode = (typeof FindingCode)[keyof typeof FindingCode];

/** Every finding code, in the order reports list them. */
export const FINDING_CODES = Object.values(FindingCode);

/** Causes a person must fix; the others are transient and only warn. */
export const CRITICAL_CAUSES: ReadonlySet<CheckFailedCause> = new Set([
  CheckFailedCause.AUTH_REJECTED,
  CheckFailedCause.PAYMENT_REQUIRED,
  CheckFailedCause.FORBIDDEN,
  CheckFailedCause.PORTAL_NOT_FOUND,
  CheckFailedCause.API_KEY_UNAVAILABLE,
  CheckFailedCause.API_KEY_INVALID,
  CheckFailedCause.TLS_FAILED,
]);

/** A JSON-safe value for `expected` / `actual`. */
export type FindingValue = string | number | boolean | null | { readonly [key: string]: string | number | boolean | null };

/** One rule broken. */
export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  /** What is wrong, understandable without docs; times in UTC and the portal's local time. */
  readonly message: string;
  /** One line: what to do about it. */
  readonly remedy: string;
  /** Only on `CHECK_FAILED`. */
  readonly cause?: CheckFailedCause;
  /** Only on `CHECK_FAILED`: which request or input failed. */
  readonly source?: EvidenceSource;
  readonly expected?: FindingValue;
  readonly actual?: FindingValue;
  /**
   * Only on a `CHECK_FAILED` about the settings: the portal's zone is unknown, yet its freshness
   * and archive were judged under every possible zone and came out the same in all of them, so
   * the missing zone leaves nothing unjudged (the portal is not UNKNOWN for it).
   */
  readonly judgedInEveryZone?: boolean;
}

/**
 * The time zone a portal's schedule runs in: an IANA id, or a fixed UTC offset when the portal
 * reports a zone id that Intl does not know (a Windows id, say).
 */
export type PortalZone =
  | { readonly kind: 'iana'; readonly id: string }
  | { readonly kind: 'fixed'; readonly offsetMinutes: number; readonly reportedId?: string };

/** The evidence gathered for one portal. `undefined` members were not asked for by the policy. */
export interface PortalEvidence {
  /** `null`: the portal has no schedule. */
  readonly schedule: BackupSchedule | null;
  readonly progress?: Fetched<BackupProgress | null>;
  readonly history?: Fetched<readonly BackupRecord[]>;
}

/** The policy one portal is judged by: top-level policy merged with the portal's overrides. */
export interface BackupPolicy {
  /** Expected `cronParams`, as DocSpace numbers (period 0–2; weekly day 1 = Sunday). */
  readonly schedule?: { readonly period: number; readonly hour: number; readonly day: number };
  readonly graceMinutes: number;
  readonly archiveGraceMinutes: number;
  readonly maxBackupAgeHours?: number;
  /** DocSpace storage type numbers. */
  readonly allowedStorageTypes?: readonly number[];
  readonly minBackupsStored?: number;
  readonly dump?: boolean;
  readonly requireArchive: boolean;
  readonly checkLastBackupError: boolean;
  readonly severity: Readonly<Partial<Record<FindingCode, Severity>>>;
}

/** One portal's outcome in one run. */
export interface Verdict {
  readonly portal: string;
  readonly url: string;
  readonly status: Status;
  /** The zone the schedule was judged in, e.g. `Europe/Berlin` or `UTC+01:00`. */
  readonly timeZone: string;
  /** Set when the zone is a fallback (a fixed offset that ignores DST). */
  readonly timeZoneNote?: string;
  readonly checkedAt: Date;
  readonly lastBackupTime?: Date | null;
  readonly findings: readonly Finding[];
  /** What the evidence held that could not be used (set by the run, not judged); absent when nothing. */
  readonly evidenceNotes?: EvidenceNotes;
}
