/**
 * The verdict: one portal's schedule and evidence judged against its policy, as of `now`.
 * Pure: no I/O, no clock; bad or missing data becomes findings, never exceptions.
 */
import type { BackupProgress, BackupRecord, BackupSchedule } from '../docspace/schemas.ts';
import { ageIsJudgeable, ageProof, dispatchProof, gatherEvidence, type Proof } from './evidence.ts';
import { dueSlots } from './every-zone.ts';
import {
  checkFailedFinding,
  dumpMismatchFinding,
  isScheduleLevel,
  lastBackupFailedFinding,
  noScheduleFinding,
  retentionTooLowFinding,
  scheduleMismatchFinding,
  storageNotAllowedFinding,
} from './findings.ts';
import {
  archiveMissingFinding,
  backupOverdueFinding,
  backupTooOldFinding,
  EVERY_ZONE_TEXT,
  futureTimestampFinding,
  neverRanFinding,
} from './freshness-findings.ts';
import { hasArchiveSince, isDispatchedSince, isTooOld } from './freshness.ts';
import { nextSlot } from './slots.ts';
import { formatOffset, zoneLabel } from './time-zone.ts';
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
   * Freshness and archive are then judged under every possible zone: what is late in all of them
   * is reported, what depends on the zone is left open (UNKNOWN); what needs no zone is judged.
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
 * one `CHECK_FAILED` finding and nothing else: nothing is judged on unknown data. A timestamp
 * more than 15 minutes after `now` is not evidence (`FUTURE_TIMESTAMP`). Without the portal's
 * time zone, freshness and archive are judged under every possible zone: what is late in all of
 * them is reported, and only what depends on the zone is left open. The status follows
 * {@link statusOf}.
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
  const judged = schedule.value === null ? { findings: [noScheduleFinding()], dependsOnZone: false } : judgeSchedule(schedule.value, input);
  const findings = [
    ...judged.findings,
    ...judgeProgress(input.progress, policy),
    ...failureFindings(input.history),
    ...(zone === undefined ? [zoneFailureFinding(input, schedule.value !== null, judged.dependsOnZone)] : []),
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
 * The `CHECK_FAILED` that says the portal's zone is unknown. It leaves the portal UNKNOWN only
 * when the schedule's freshness or archive came out differently in different zones.
 */
function zoneFailureFinding(input: VerdictInput, judged: boolean, dependsOnZone: boolean): Finding {
  const failure = input.zoneFailure ?? {
    cause: CheckFailedCause.BAD_RESPONSE,
    source: 'settings' as const,
    detail: 'no time zone was given to judge the schedule in',
  };
  if (!judged) return checkFailedFinding(failure);
  const judgedEverywhere = `without the portal's time zone, freshness and archive were judged in ${EVERY_ZONE_TEXT}`;
  if (dependsOnZone) return checkFailedFinding(failure, `${judgedEverywhere}: whether the latest backup is on time depends on the zone, so that was not judged`);
  return { ...checkFailedFinding(failure, `${judgedEverywhere}, with the same answer in all of them`), judgedInEveryZone: true };
}

function unknownVerdict(input: VerdictInput, failure: EvidenceFailure): Verdict {
  return { ...verdictBase(input), status: Status.UNKNOWN, findings: [checkFailedFinding(failure)] };
}

/** The findings that place slots in the zone: with a fixed-offset fallback, only approximately. */
const ZONE_DEPENDENT_CODES: ReadonlySet<FindingCode> = new Set([FindingCode.BACKUP_OVERDUE, FindingCode.ARCHIVE_MISSING, FindingCode.NEVER_RAN]);

/** Says in a zone-dependent finding that its zone is a fixed-offset fallback, which ignores DST. */
function withApproximation(finding: Finding, zone: PortalZone | undefined): Finding {
  if (zone?.kind !== 'fixed' || !ZONE_DEPENDENT_CODES.has(finding.code)) return finding;
  const reported = zone.reportedId === undefined ? 'no time zone id' : `the time zone "${zone.reportedId}"`;
  const note =
    `. This judgment is approximate: the portal reports ${reported}, which the monitor does not know, so the slots were placed ` +
    `at its current UTC offset ${formatOffset(zone.offsetMinutes)}, which does not follow DST; set timeZone for this portal in the config`;
  return { ...finding, message: `${finding.message}${note}` };
}

/** The schedule's findings (freshness, then how it is set up), and whether freshness depended on the unknown zone. */
function judgeSchedule(schedule: BackupSchedule, input: VerdictInput): { findings: Finding[]; dependsOnZone: boolean } {
  const freshness = judgeFreshness(schedule, input);
  return {
    findings: [...freshness.findings.map((finding) => withApproximation(finding, input.zone)), ...setupFindings(schedule, input.policy)],
    dependsOnZone: freshness.dependsOnZone,
  };
}

/**
 * Dispatch, age and archive, from the evidence that counts. In a known zone each has one due
 * slot; in an unknown zone the earliest and latest of every zone's (see `dueSlots`): late before
 * the earliest is late everywhere, on time from the latest on is on time everywhere, and between
 * them the answer depends on the zone.
 */
function judgeFreshness(schedule: BackupSchedule, input: VerdictInput): { findings: Finding[]; dependsOnZone: boolean } {
  const { policy, now, zone } = input;
  const cron = schedule.cronParams;
  const evidence = gatherEvidence(schedule.lastBackupTime, input.history, now);
  const findings: Finding[] = [];
  let dependsOnZone = false;
  const dispatch = dispatchProof(evidence);
  if (schedule.lastBackupTime === null) {
    // Nobody can tell when the schedule was saved: overdue cannot be judged, age and archive can (from the history).
    findings.push(neverRanFinding(cron, zone, zone === undefined ? undefined : nextSlot(cron, zone, now)));
  } else {
    const slots = dueSlots(cron, zone, now, policy.graceMinutes);
    if (slots !== undefined && !isProvenSince(dispatch, slots.earliest)) {
      findings.push(backupOverdueFinding({ cron, zone, lastBackupTime: schedule.lastBackupTime, proof: dispatch, slot: slots.earliest, graceMinutes: policy.graceMinutes }));
    } else if (slots !== undefined && !isProvenSince(dispatch, slots.latest)) {
      dependsOnZone = true;
    }
  }
  if (policy.maxBackupAgeHours !== undefined && ageIsJudgeable(evidence)) {
    const proof = ageProof(evidence);
    if (proof === undefined || isTooOld(proof.instant, now, policy.maxBackupAgeHours)) {
      findings.push(backupTooOldFinding(proof, now, policy.maxBackupAgeHours, zone, evidence.archives !== undefined));
    }
  }
  if (policy.requireArchive && evidence.archives !== undefined) {
    const archives = evidence.archives;
    const slots = dueSlots(cron, zone, now, policy.archiveGraceMinutes);
    if (slots !== undefined && !hasArchiveSince(archives, slots.earliest)) {
      findings.push(
        archiveMissingFinding({
          archives,
          undatedRecords: evidence.undatedRecords,
          slot: slots.earliest,
          archiveGraceMinutes: policy.archiveGraceMinutes,
          zone,
          dispatchedSinceSlot: isProvenSince(dispatch, slots.earliest),
        }),
      );
    } else if (slots !== undefined && !hasArchiveSince(archives, slots.latest)) {
      dependsOnZone = true;
    }
  }
  if (evidence.futureLastBackupTime !== undefined) findings.push(futureTimestampFinding({ field: 'lastBackupTime', value: evidence.futureLastBackupTime }, now, zone));
  if (evidence.futureArchives.length > 0) findings.push(futureTimestampFinding({ field: 'createdOn', archives: evidence.futureArchives }, now, zone));
  return { findings, dependsOnZone };
}

function isProvenSince(proof: Proof | undefined, slot: Date): boolean {
  return proof !== undefined && isDispatchedSince(proof.instant, slot);
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

/**
 * True for a `CHECK_FAILED` that left the schedule's freshness unjudged (API key, settings,
 * schedule); not for unknown settings when every possible zone gave the same answer.
 */
function isUnjudging(finding: Finding): boolean {
  return finding.code === FindingCode.CHECK_FAILED && finding.source !== undefined && isScheduleLevel(finding.source) && finding.judgedInEveryZone !== true;
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
