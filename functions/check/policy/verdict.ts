/**
 * The verdict: one portal's schedule and evidence judged against its policy, as of `now`.
 * Pure: no I/O, no clock; bad or missing data becomes findings, never exceptions.
 */
import type { BackupProgress, BackupRecord, BackupSchedule } from '../docspace/schemas.ts';
import {
  archiveMissingFinding,
  backupOverdueFinding,
  backupTooOldFinding,
  checkFailedFinding,
  dumpMismatchFinding,
  isScheduleLevel,
  lastBackupFailedFinding,
  neverRanFinding,
  noScheduleFinding,
  retentionTooLowFinding,
  scheduleMismatchFinding,
  storageNotAllowedFinding,
} from './findings.ts';
import { backupAgeHours, dueSlot, hasArchiveSince, isDispatchedSince, isTooOld } from './freshness.ts';
import { nextSlot } from './slots.ts';
import { zoneLabel } from './time-zone.ts';
import {
  CheckFailedCause,
  FINDING_CODES,
  FindingCode,
  Severity,
  Status,
  type BackupPolicy,
  type EvidenceFailure,
  type Fetched,
  type Finding,
  type PortalZone,
  type Verdict,
} from './types.ts';

export { checkFailedFinding } from './findings.ts';

/** `Verdict.timeZone` when there is no zone to name (the settings could not be read). */
export const UNKNOWN_TIME_ZONE = 'unknown';

/** Everything `evaluate` judges: the evidence gathered for one portal, its policy and `now`. */
export interface VerdictInput {
  readonly portal: { readonly name: string; readonly url: string };
  /** undefined when the schedule failed, or when the zone could not be established (see `zoneFailure`). */
  readonly zone?: PortalZone;
  /**
   * Why the portal's time zone is unknown (its settings could not be read or name no usable zone).
   * The schedule's freshness and archive cannot be judged then; everything that needs no zone is.
   */
  readonly zoneFailure?: EvidenceFailure;
  /** Passed through to `Verdict.timeZoneNote`. */
  readonly zoneNote?: string;
  /** A failure here means UNKNOWN, with only a `CHECK_FAILED` finding. */
  readonly schedule: Fetched<BackupSchedule | null>;
  /** undefined: not asked (policy off). */
  readonly progress?: Fetched<BackupProgress | null>;
  /** undefined: not asked. */
  readonly history?: Fetched<readonly BackupRecord[]>;
  readonly policy: BackupPolicy;
  readonly now: Date;
}

/**
 * Judges one portal. A schedule (or API key) that could not be read gives status UNKNOWN with
 * one `CHECK_FAILED` finding and nothing else: nothing is judged on unknown data. Without the
 * portal's time zone, freshness and archive are not judged but what needs no zone is. The
 * status follows {@link statusOf}.
 *
 * @param input - the portal's evidence, policy and the instant of the check
 * @returns the verdict, findings critical first, then in {@link FINDING_CODES} order
 * @example
 * const verdict = evaluate({
 *   portal: { name: 'acme', url: 'https://acme.onlyoffice.com/' },
 *   zone: { kind: 'iana', id: 'Europe/Berlin' },
 *   schedule: { ok: true, value: schedule },   // daily at 02:00, last dispatched 2026-03-01T01:07:41Z
 *   policy,                                    // graceMinutes: 60
 *   now: new Date('2026-03-02T07:00:00Z'),
 * });
 * verdict.status;            // 'CRITICAL'
 * verdict.findings[0].code;  // 'BACKUP_OVERDUE': due by 2026-03-02 02:00 Europe/Berlin + 60 min
 */
export function evaluate(input: VerdictInput): Verdict {
  const { schedule, zone, policy } = input;
  if (!schedule.ok) return unknownVerdict(input, schedule.failure);
  if (zone === undefined) return zonelessVerdict(input, schedule.value);
  const findings = [
    ...(schedule.value === null ? [noScheduleFinding()] : judgeSchedule(schedule.value, zone, input)),
    ...judgeProgress(input.progress, policy),
    ...failureFindings(input.history),
  ]
    .map((finding) => withSeverityOverride(finding, policy))
    .sort(byReportOrder);
  return {
    ...verdictBase(input),
    status: statusOf(findings),
    // null (never dispatched) stays null; undefined: there is no schedule.
    lastBackupTime: schedule.value === null ? undefined : schedule.value.lastBackupTime,
    findings,
  };
}

function verdictBase(input: VerdictInput): Pick<Verdict, 'portal' | 'url' | 'timeZone' | 'timeZoneNote' | 'checkedAt'> {
  return {
    portal: input.portal.name,
    url: input.portal.url,
    timeZone: input.zone === undefined ? UNKNOWN_TIME_ZONE : zoneLabel(input.zone),
    ...(input.zoneNote === undefined ? {} : { timeZoneNote: input.zoneNote }),
    checkedAt: input.now,
  };
}

/**
 * The portal's zone is unknown, so slots cannot be placed: freshness and archive are not judged,
 * but what needs no zone (no schedule, a failed task, how the schedule is set up) still stands. A
 * critical finding among those makes the portal CRITICAL; otherwise it is UNKNOWN.
 */
function zonelessVerdict(input: VerdictInput, schedule: BackupSchedule | null): Verdict {
  const failure = input.zoneFailure ?? {
    cause: CheckFailedCause.BAD_RESPONSE,
    source: 'settings' as const,
    detail: 'no time zone was given to judge the schedule in',
  };
  const lastBackupTime = schedule?.lastBackupTime;
  const maxAge = input.policy.maxBackupAgeHours;
  // An age needs no zone: only its wording does, so it is told in UTC.
  const tooOld =
    lastBackupTime && maxAge !== undefined && isTooOld(lastBackupTime, input.now, maxAge)
      ? [backupTooOldFinding(lastBackupTime, backupAgeHours(lastBackupTime, input.now), maxAge, { kind: 'iana', id: 'UTC' })]
      : [];
  const known = [
    ...(schedule === null ? [noScheduleFinding()] : [...tooOld, ...setupFindings(schedule, input.policy)]),
    ...judgeProgress(input.progress, input.policy),
    ...failureFindings(input.history),
  ].map((finding) => withSeverityOverride(finding, input.policy));
  const findings = [...known, checkFailedFinding(failure)].sort(byReportOrder);
  return {
    ...verdictBase(input),
    status: statusOf(findings),
    lastBackupTime: schedule === null ? undefined : schedule.lastBackupTime,
    findings,
  };
}

function unknownVerdict(input: VerdictInput, failure: EvidenceFailure): Verdict {
  return { ...verdictBase(input), status: Status.UNKNOWN, findings: [checkFailedFinding(failure)] };
}

/** The schedule's own findings: freshness first, then how it is set up. */
function judgeSchedule(schedule: BackupSchedule, zone: PortalZone, input: VerdictInput): Finding[] {
  const { policy, now, history } = input;
  const cron = schedule.cronParams;
  const findings: Finding[] = [];
  const lastBackupTime = schedule.lastBackupTime;
  if (lastBackupTime === null) {
    // Nobody can tell when the schedule was saved: overdue, age and archive cannot be judged.
    findings.push(neverRanFinding(cron, zone, nextSlot(cron, zone, now)));
  } else {
    const slot = dueSlot(cron, zone, now, policy.graceMinutes);
    if (slot !== undefined && !isDispatchedSince(lastBackupTime, slot)) {
      findings.push(backupOverdueFinding({ cron, zone, lastBackupTime, slot, graceMinutes: policy.graceMinutes }));
    }
    if (policy.maxBackupAgeHours !== undefined && isTooOld(lastBackupTime, now, policy.maxBackupAgeHours)) {
      findings.push(backupTooOldFinding(lastBackupTime, backupAgeHours(lastBackupTime, now), policy.maxBackupAgeHours, zone));
    }
    if (policy.requireArchive && history?.ok) {
      const archiveSlot = dueSlot(cron, zone, now, policy.archiveGraceMinutes);
      if (archiveSlot !== undefined && !hasArchiveSince(history.value, archiveSlot)) {
        findings.push(archiveMissingFinding(history.value, archiveSlot, policy.archiveGraceMinutes, zone, isDispatchedSince(lastBackupTime, archiveSlot)));
      }
    }
  }
  return [...findings, ...setupFindings(schedule, policy)];
}

/** How the schedule is set up against the policy: findings that need no time zone. */
function setupFindings(schedule: BackupSchedule, policy: BackupPolicy): Finding[] {
  const setup = [
    policy.schedule && scheduleMismatchFinding(policy.schedule, schedule.cronParams),
    policy.allowedStorageTypes && storageNotAllowedFinding(schedule, policy.allowedStorageTypes),
    policy.minBackupsStored !== undefined ? retentionTooLowFinding(schedule.backupsStored, policy.minBackupsStored) : undefined,
    policy.dump !== undefined ? dumpMismatchFinding(schedule.dump, policy.dump) : undefined,
  ];
  return setup.filter((finding): finding is Finding => finding !== undefined);
}

/** `LAST_BACKUP_FAILED` from the latest task's `error` (never its status), or why it is missing. */
function judgeProgress(progress: Fetched<BackupProgress | null> | undefined, policy: BackupPolicy): Finding[] {
  if (progress === undefined) return [];
  if (!progress.ok) return [checkFailedFinding(progress.failure)];
  const task = progress.value;
  if (!policy.checkLastBackupError || task === null || task.kind !== 'backup' || task.error.trim() === '') return [];
  return [lastBackupFailedFinding(task)];
}

function failureFindings(evidence: Fetched<unknown> | undefined): Finding[] {
  return evidence !== undefined && !evidence.ok ? [checkFailedFinding(evidence.failure)] : [];
}

/** The policy may change any code's severity except `CHECK_FAILED`'s. */
function withSeverityOverride(finding: Finding, policy: BackupPolicy): Finding {
  if (finding.code === FindingCode.CHECK_FAILED) return finding;
  const severity = policy.severity[finding.code];
  return severity === undefined || severity === finding.severity ? finding : { ...finding, severity };
}

function byReportOrder(a: Finding, b: Finding): number {
  const bySeverity = severityRank(a.severity) - severityRank(b.severity);
  return bySeverity !== 0 ? bySeverity : FINDING_CODES.indexOf(a.code) - FINDING_CODES.indexOf(b.code);
}

function severityRank(severity: Finding['severity']): number {
  return severity === Severity.CRITICAL ? 0 : 1;
}

/** True for a `CHECK_FAILED` that left the schedule's freshness unjudged (API key, settings, schedule). */
function isUnjudging(finding: Finding): boolean {
  return finding.code === FindingCode.CHECK_FAILED && finding.source !== undefined && isScheduleLevel(finding.source);
}

/**
 * The status a set of findings amounts to: CRITICAL when a critical finding was judged, else
 * UNKNOWN when the freshness could not be judged, else WARNING for any finding, else OK. The
 * verdict, the notice policy and the alerts all use this one rule (on all or the unsilenced findings).
 */
export function statusOf(findings: readonly Finding[]): Status {
  if (findings.some((finding) => finding.severity === Severity.CRITICAL && !isUnjudging(finding))) return Status.CRITICAL;
  if (findings.some(isUnjudging)) return Status.UNKNOWN;
  if (findings.length > 0) return Status.WARNING;
  return Status.OK;
}

/** How bad each status is for a whole run: CRITICAL > UNKNOWN > WARNING > OK. */
const STATUS_RANK: Record<Status, number> = { OK: 0, WARNING: 1, UNKNOWN: 2, CRITICAL: 3 };

/**
 * A run's overall status: the worst of its portals', where CRITICAL wins over UNKNOWN, which
 * wins over WARNING, which wins over OK. No portals: OK.
 *
 * @param statuses - every portal's status in the run
 */
export function overallStatus(statuses: readonly Status[]): Status {
  let worst: Status = Status.OK;
  for (const status of statuses) if (STATUS_RANK[status] > STATUS_RANK[worst]) worst = status;
  return worst;
}
