/**
 * One builder per finding code: each takes the facts the verdict established and writes the
 * finding a person reads (message with UTC and local times, expected vs actual, one-line remedy).
 * Severities here are the defaults; the verdict applies the policy's overrides.
 */
import type { BackupProgress, BackupSchedule, CronParams } from '../docspace/schemas.ts';
import { periodName, STORAGE_TYPES, storageTypeNumber, weekdayName } from '../docspace/enums.ts';
import { BACKUP_SETTINGS, describeCron } from './freshness-findings.ts';
import { listNames, quotePortalText, sanitizePortalText } from './format.ts';
import {
  CRITICAL_CAUSES,
  FindingCode,
  Severity,
  CheckFailedCause,
  type EvidenceFailure,
  type EvidenceSource,
  type Finding,
  type FindingValue,
} from './types.ts';

export {
  archiveMissingFinding,
  backupOverdueFinding,
  backupTooOldFinding,
  describeCron,
  describeLocalFirst,
  describeUtcFirst,
  futureTimestampFinding,
  neverRanFinding,
} from './freshness-findings.ts';

/** `NO_SCHEDULE`: the portal has no automatic backup schedule. */
export function noScheduleFinding(): Finding {
  return {
    code: FindingCode.NO_SCHEDULE,
    severity: Severity.CRITICAL,
    message:
      'The portal has no automatic backup schedule, so no backups are being made (DocSpace SaaS deletes the schedule when billing or the backup quota fails)',
    remedy: `Open ${BACKUP_SETTINGS}, turn on automatic backup and save a schedule; check the subscription if it was switched off`,
    expected: 'an automatic backup schedule',
    actual: null,
  };
}

/** `LAST_BACKUP_FAILED`: the latest backup task ended with an error. */
export function lastBackupFailedFinding(progress: BackupProgress): Finding {
  const error = quotePortalText(progress.error, '(the portal gave no readable reason)');
  const task = progress.taskId === undefined ? '' : ` (task ${sanitizePortalText(progress.taskId, 64)})`;
  return {
    code: FindingCode.LAST_BACKUP_FAILED,
    severity: Severity.CRITICAL,
    message: `The latest backup${task} failed with the error ${error}`,
    remedy: `Fix the cause in ${BACKUP_SETTINGS} (storage folder, third-party account or bucket), then run a backup manually to confirm`,
    expected: { error: '' },
    actual: { error: sanitizePortalText(progress.error) },
  };
}

/** One `cronParams` field for people: its name in a finding and its value. */
type NamedField = readonly [name: 'period' | 'hour' | 'weekday' | 'day', value: string | number];

function dayField(cron: CronParams): NamedField | undefined {
  if (cron.period === 1) return ['weekday', weekdayName(cron.day)];
  if (cron.period === 2) return ['day', cron.day];
  return undefined;
}

/**
 * `SCHEDULE_MISMATCH` when the schedule's period, hour or day differ from the policy's; `expected`
 * and `actual` hold only the fields that differ. A daily schedule has no day to compare.
 *
 * @returns the finding, or `undefined` when the schedule matches
 */
export function scheduleMismatchFinding(expected: CronParams, actual: CronParams): Finding | undefined {
  const wanted: Record<string, string | number> = {};
  const found: Record<string, string | number> = {};
  const differences: string[] = [];
  if (expected.period !== actual.period) {
    wanted.period = periodName(expected.period);
    found.period = periodName(actual.period);
    differences.push(`period is ${found.period} (expected ${wanted.period})`);
  }
  if (expected.hour !== actual.hour) {
    wanted.hour = expected.hour;
    found.hour = actual.hour;
    differences.push(`hour is ${actual.hour} (expected ${expected.hour})`);
  }
  const wantedDay = dayField(expected);
  const foundDay = dayField(actual);
  if (wantedDay && foundDay && (expected.period !== actual.period || expected.day !== actual.day)) {
    wanted[wantedDay[0]] = wantedDay[1];
    found[foundDay[0]] = foundDay[1];
    differences.push(`${foundDay[0]} is ${foundDay[1]} (expected ${wantedDay[0]} ${wantedDay[1]})`);
  }
  if (differences.length === 0) return undefined;
  return {
    code: FindingCode.SCHEDULE_MISMATCH,
    severity: Severity.WARNING,
    message: `The automatic backup runs ${describeCron(actual)}, the policy expects ${describeCron(expected)}: ${differences.join('; ')}`,
    remedy: `Open ${BACKUP_SETTINGS} and set the schedule to ${describeCron(expected)}, or change policy.schedule in the config`,
    expected: wanted,
    actual: found,
  };
}

/**
 * A storage type for people: its DocSpace name, or `unknown storage type 9` /
 * `unknown storage type "Dropbox"` for a number or name DocSpace added after this monitor.
 */
export function storageTypeLabel(storageType: number | string): string {
  const number = typeof storageType === 'number' ? storageType : storageTypeNumber(String(storageType));
  const name = number === undefined ? undefined : STORAGE_TYPES[number];
  if (name !== undefined) return name;
  return typeof storageType === 'number'
    ? `unknown storage type ${storageType}`
    : `unknown storage type ${quotePortalText(storageType, '(unnamed)', 40)}`;
}

/** The parts of a schedule the storage policy reads; `storageType` may be a number or name it does not know. */
export interface ScheduleStorage {
  readonly storageType: BackupSchedule['storageType'] | number | string;
  readonly storageModule?: string;
}

function storageText(schedule: ScheduleStorage): string {
  const name = storageTypeLabel(schedule.storageType);
  const module = schedule.storageModule === undefined ? '' : sanitizePortalText(schedule.storageModule, 40);
  return module === '' ? name : `${name} (${module})`;
}

/**
 * `STORAGE_NOT_ALLOWED` when the schedule stores backups in a type the policy does not list. A
 * type this monitor does not know is never allowed, and is named as unknown.
 *
 * @returns the finding, or `undefined` when the storage type is allowed
 */
export function storageNotAllowedFinding(schedule: ScheduleStorage, allowedStorageTypes: readonly number[]): Finding | undefined {
  const { storageType } = schedule;
  const number = typeof storageType === 'number' ? storageType : storageTypeNumber(String(storageType));
  if (number !== undefined && allowedStorageTypes.includes(number)) return undefined;
  const allowed = listNames(allowedStorageTypes.map(storageTypeLabel));
  return {
    code: FindingCode.STORAGE_NOT_ALLOWED,
    severity: Severity.WARNING,
    message: `Backups are stored in ${storageText(schedule)}, which the policy does not allow; allowed: ${allowed}`,
    remedy: `Open ${BACKUP_SETTINGS} and choose an allowed storage (${allowed}), or add this type to policy.allowedStorageTypes`,
    expected: { storageTypes: allowedStorageTypes.map(storageTypeLabel).join(', ') },
    actual: { storageType: storageTypeLabel(storageType) },
  };
}

/**
 * `RETENTION_TOO_LOW` when the schedule keeps fewer backups than the policy's minimum. `null`
 * (no limit) keeps every backup and is fine.
 *
 * @returns the finding, or `undefined` when enough backups are kept
 */
export function retentionTooLowFinding(backupsStored: number | null, minBackupsStored: number): Finding | undefined {
  if (backupsStored === null || backupsStored >= minBackupsStored) return undefined;
  return {
    code: FindingCode.RETENTION_TOO_LOW,
    severity: Severity.WARNING,
    message: `The schedule keeps ${backupsStored} backup${backupsStored === 1 ? '' : 's'}; the policy wants at least ${minBackupsStored}`,
    remedy: `Open ${BACKUP_SETTINGS} and raise the number of stored backups to at least ${minBackupsStored}`,
    expected: { minBackupsStored },
    actual: { backupsStored },
  };
}

function dumpText(dump: boolean): string {
  return dump ? 'a whole-server (dump) schedule' : 'a portal schedule (not a whole-server dump)';
}

/**
 * `DUMP_MISMATCH` when the schedule's `dump` differs from the policy's.
 *
 * @returns the finding, or `undefined` when they agree
 */
export function dumpMismatchFinding(dump: boolean, expectedDump: boolean): Finding | undefined {
  if (dump === expectedDump) return undefined;
  return {
    code: FindingCode.DUMP_MISMATCH,
    severity: Severity.WARNING,
    message: `The schedule is ${dumpText(dump)}; the policy expects ${dumpText(expectedDump)}`,
    remedy: `Open ${BACKUP_SETTINGS} and set the automatic backup ${expectedDump ? 'for the whole server' : 'for this portal'}, or change policy.dump in the config`,
    expected: { dump: expectedDump },
    actual: { dump },
  };
}

const SOURCE_TEXT: Record<EvidenceSource, string> = {
  apiKey: 'the API key',
  settings: 'the portal settings (time zone)',
  schedule: 'the backup schedule',
  progress: 'the latest backup task (backup progress)',
  history: 'the backup history',
};

const CAUSE_REMEDY: Record<CheckFailedCause, string> = {
  AUTH_REJECTED: 'Create a new API key in DocSpace > Developer Tools (owner or admin, *:read) and store it where the config says',
  PAYMENT_REQUIRED: 'Pay the DocSpace subscription: an unpaid portal makes no scheduled backups',
  FORBIDDEN:
    "Use an API key of the portal owner or a DocSpace admin with *:read permission; check the portal's IP restrictions and whether a restore is running",
  PORTAL_NOT_FOUND: 'Check the portal URL in the config and whether the portal is suspended or being removed',
  RATE_LIMITED: 'Nothing to do if it passes: the next run asks again; lower the concurrency if it repeats',
  SERVER_ERROR: 'Nothing to do if it passes: the next run asks again; if it repeats, check the portal status or contact ONLYOFFICE support',
  TIMEOUT: 'Nothing to do if it passes: the next run asks again; if it repeats, check that the portal is reachable',
  NETWORK: 'Check that the portal URL resolves and is reachable from the monitor',
  BAD_RESPONSE: 'Check that the URL points at a DocSpace portal (not a login page or proxy) and that its version is supported',
  API_KEY_UNAVAILABLE: "Check that the API key's SSM parameter or environment variable exists and that the monitor may read it",
  API_KEY_INVALID:
    'Store the real API key (the sk- key made in DocSpace > Developer Tools) where the config says: the stored one has spaces, control or non-ASCII characters, or is the README placeholder',
  TLS_FAILED: "Renew or fix the portal's TLS certificate (expired, self-signed, untrusted or for another host), or correct the portal URL in the config",
};

/** True when a failure of this source leaves the schedule unjudged (the portal's status is UNKNOWN). */
export function isScheduleLevel(source: EvidenceSource): boolean {
  return source === 'apiKey' || source === 'settings' || source === 'schedule';
}

/**
 * `CHECK_FAILED` from a piece of evidence that could not be read: critical for causes a person
 * must fix ({@link CRITICAL_CAUSES}), warning for transient ones. Its severity is never overridden.
 *
 * @param failure - what could not be read, and why
 * @param consequence - what was not judged for it, when the verdict knows better than the source alone says
 */
export function checkFailedFinding(failure: EvidenceFailure, consequence?: string): Finding {
  // Details are built by the client from sanitized parts; the cap only bounds a runaway text.
  const detail = sanitizePortalText(failure.detail, 600);
  const http = failure.httpStatus === undefined || failure.detail.includes(`HTTP ${failure.httpStatus}`) ? '' : ` (HTTP ${failure.httpStatus})`;
  const unjudged =
    consequence ??
    (failure.source === 'settings'
      ? "without the portal's time zone, the backups' freshness and archive were not judged"
      : isScheduleLevel(failure.source)
        ? "the portal's backups were not judged"
        : 'the findings that need it were not judged');
  const actual: Record<string, string | number> = { cause: failure.cause };
  if (failure.httpStatus !== undefined) actual.httpStatus = failure.httpStatus;
  return {
    code: FindingCode.CHECK_FAILED,
    severity: CRITICAL_CAUSES.has(failure.cause) ? Severity.CRITICAL : Severity.WARNING,
    message: `Could not read ${SOURCE_TEXT[failure.source]}: ${detail === '' ? failure.cause : detail}${http}; ${unjudged}`,
    remedy:
      failure.source === 'settings' && failure.cause === CheckFailedCause.BAD_RESPONSE
        ? 'Set timeZone (an IANA id such as "Europe/Berlin") for this portal in the config'
        : CAUSE_REMEDY[failure.cause],
    cause: failure.cause,
    source: failure.source,
    expected: `${failure.source} readable`,
    actual: actual satisfies FindingValue,
  };
}
