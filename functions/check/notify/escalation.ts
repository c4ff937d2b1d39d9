/**
 * Escalation across runs: what one run cannot see, a row of runs can. Two rules, both needing
 * the state kept between runs (DynamoDB when deployed, `--state FILE` in the CLI):
 *
 * 1. A schedule that has never dispatched (`NEVER_RAN`, `lastBackupTime` year 0001) for longer
 *    than one full period of the schedule plus the grace since the monitor first saw it is
 *    critical: DocSpace dispatches a new schedule within one period, so its backup scheduler is
 *    not running for this portal.
 * 2. A portal that could not be evaluated in N consecutive runs (N =
 *    `notifications.escalateUncheckedAfterRuns`, default 3) has its transient `CHECK_FAILED`
 *    (network, timeout, 5xx, rate limit, an answer that is not DocSpace's) raised to critical, so a
 *    portal unverified for days does not hide behind one warning e-mail.
 *
 * Pure: the memory, the verdict and `now` in, the verdict (and the memory's new facts) out.
 */
import type { CronParams } from '../docspace/schemas.ts';
import { formatMinutes } from '../policy/format.ts';
import { nextSlot } from '../policy/slots.ts';
import { formatUtc } from '../policy/time-zone.ts';
import { FindingCode, Severity, type EvidenceSource, type Finding, type PortalZone, type Verdict } from '../policy/types.ts';
import { statusOf } from '../policy/verdict.ts';
import type { PortalMemory } from './types.ts';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * One full period of a schedule, at its longest: a day, a week, or (monthly) 31 days. A monthly
 * schedule on a day some months lack can wait longer; see {@link neverRanDeadline}.
 */
const PERIOD_MS: Readonly<Record<number, number>> = { 0: DAY_MS, 1: 7 * DAY_MS, 2: 31 * DAY_MS };

/** UTC−12:00 to UTC+14:00 in quarter hours: every offset a portal's zone can have. */
const ALL_OFFSETS_MINUTES = Array.from({ length: (14 + 12) * 4 + 1 }, (_, index) => -12 * 60 + index * 15);

/**
 * Sources whose failure leaves the portal unevaluated: its backups were not judged at all. A
 * settings failure is not one: without the zone the verdict still judges under every zone, and a
 * zone id that stays unreadable is a config fix (`timeZone`), not a portal gone silent.
 */
const UNEVALUATED_SOURCES: ReadonlySet<EvidenceSource> = new Set<EvidenceSource>(['apiKey', 'schedule']);

/** What a run remembers for escalation: the members of {@link PortalMemory} this module owns. */
export type EscalationFacts = Pick<PortalMemory, 'neverRanSince' | 'uncheckedRuns' | 'uncheckedSince'>;

/** Everything {@link escalate} weighs for one portal in one run. */
export interface EscalationInput {
  /** This run's verdict, as the policy judged it. */
  readonly verdict: Verdict;
  /** What the monitor remembers from earlier runs; undefined without state or for a portal never seen. */
  readonly previous?: PortalMemory;
  /** This run's key: a memory that already holds it is this run's own (a second delivery) and counts once. */
  readonly runKey: string;
  /** The schedule's `cronParams`, when it was read. */
  readonly cron?: CronParams;
  /** The zone the schedule runs in; undefined when unknown (then every zone is assumed, and the latest slot counts). */
  readonly zone?: PortalZone;
  /** The portal's `graceMinutes`. */
  readonly graceMinutes: number;
  /** Consecutive unevaluated runs that make a transient `CHECK_FAILED` critical; 0 never escalates. */
  readonly escalateUncheckedAfterRuns: number;
  readonly now: Date;
}

/** True when this run could not evaluate the portal: a `CHECK_FAILED` of the key or the schedule. */
export function isUnevaluated(verdict: Verdict): boolean {
  return verdict.findings.some(isUnevaluatingFinding);
}

function isUnevaluatingFinding(finding: Finding): boolean {
  return finding.code === FindingCode.CHECK_FAILED && finding.source !== undefined && UNEVALUATED_SOURCES.has(finding.source);
}

/**
 * The escalation facts after this run, given those before it: when `NEVER_RAN` was first seen
 * (kept while the schedule is still never dispatched, or could not be read), and the streak of
 * runs that could not evaluate the portal. Members are absent when there is nothing to remember,
 * so a record written before these facts existed reads the same as "nothing seen".
 *
 * @param previous - the memory before this run, if any
 * @param verdict - this run's verdict
 * @param now - the instant of this run
 */
export function nextEscalationFacts(previous: EscalationFacts | undefined, verdict: Verdict, now: Date): EscalationFacts {
  const unevaluated = isUnevaluated(verdict);
  // lastBackupTime: null = read and never dispatched; a Date = dispatched; undefined = no schedule, or not read.
  let neverRanSince: string | undefined;
  if (verdict.lastBackupTime === null) neverRanSince = previous?.neverRanSince ?? now.toISOString();
  // The schedule was not read: what was seen before still stands.
  else if (unevaluated && verdict.lastBackupTime === undefined) neverRanSince = previous?.neverRanSince;
  const streak = unevaluated ? (previous?.uncheckedRuns ?? 0) + 1 : 0;
  return {
    ...(neverRanSince === undefined ? {} : { neverRanSince }),
    ...(streak === 0 ? {} : { uncheckedRuns: streak, uncheckedSince: (streak > 1 ? previous?.uncheckedSince : undefined) ?? now.toISOString() }),
  };
}

/**
 * When a schedule first seen never dispatched at `since` must have dispatched: one full period
 * after `since` (a day, a week, 31 days), or the first slot after `since` when that is later (a
 * monthly schedule on the 31st), plus the grace. With the zone unknown, the latest such slot
 * over every zone counts, so the deadline is never early.
 *
 * @param since - when the monitor first saw the schedule never dispatched
 * @param cron - the schedule's `cronParams`
 * @param zone - the portal's zone, if known
 * @param graceMinutes - the portal's grace
 * @returns the deadline, or `undefined` when the cron has no slot to wait for
 */
export function neverRanDeadline(since: Date, cron: CronParams, zone: PortalZone | undefined, graceMinutes: number): Date | undefined {
  const period = PERIOD_MS[cron.period];
  const zones: PortalZone[] = zone === undefined ? ALL_OFFSETS_MINUTES.map((offsetMinutes) => ({ kind: 'fixed', offsetMinutes })) : [zone];
  const slots = zones.map((candidate) => nextSlot(cron, candidate, since));
  if (period === undefined || slots.some((slot) => slot === undefined)) return undefined;
  const latestSlot = Math.max(...slots.map((slot) => slot!.getTime()));
  return new Date(Math.max(since.getTime() + period, latestSlot) + graceMinutes * 60_000);
}

/**
 * The verdict after escalation: `NEVER_RAN` made critical once it has lasted longer than one
 * period plus grace since first seen; a transient `CHECK_FAILED` made critical once the portal
 * could not be evaluated in `escalateUncheckedAfterRuns` consecutive runs (this one included).
 * Each escalated finding says why, and since when. The status follows the verdict's one rule
 * (`statusOf`): a portal that could not be evaluated stays UNKNOWN, now with a critical finding
 * (alerted and paged like a rejected key). Without memory, nothing changes.
 *
 * @param input - the verdict, the memory, the schedule, the settings and `now`
 * @example
 * // Daily at 02:00 UTC, first seen never run 2027-01-04 07:00, grace 60 min; now 2027-01-06 07:00:
 * escalate({ verdict, previous, runKey, cron: { period: 0, hour: 2, day: 0 }, zone, graceMinutes: 60, escalateUncheckedAfterRuns: 3, now });
 * // NEVER_RAN is critical: "... first saw it at 2027-01-04 07:00 UTC ... due by 2027-01-05 08:00 UTC ..."
 */
export function escalate(input: EscalationInput): Verdict {
  const { verdict, previous, now } = input;
  if (previous === undefined) return verdict;
  const facts = previous.lastRunKey === input.runKey ? previous : nextEscalationFacts(previous, verdict, now);
  const deadline =
    facts.neverRanSince !== undefined && input.cron !== undefined
      ? neverRanDeadline(new Date(facts.neverRanSince), input.cron, input.zone, input.graceMinutes)
      : undefined;
  const isNeverRanOverdue = deadline !== undefined && now.getTime() >= deadline.getTime();
  const threshold = input.escalateUncheckedAfterRuns;
  const isUncheckedTooLong = threshold > 0 && (facts.uncheckedRuns ?? 0) >= threshold;
  if (!isNeverRanOverdue && !isUncheckedTooLong) return verdict;

  const findings = verdict.findings.map((finding) => {
    if (isNeverRanOverdue && finding.code === FindingCode.NEVER_RAN) return neverRanEscalated(finding, facts.neverRanSince!, deadline, input.graceMinutes);
    if (isUncheckedTooLong && isUnevaluatingFinding(finding) && finding.severity === Severity.WARNING)
      return uncheckedEscalated(finding, facts.uncheckedRuns!, facts.uncheckedSince);
    return finding;
  });
  if (findings.every((finding, index) => finding === verdict.findings[index])) return verdict;
  return { ...verdict, status: statusOf(findings), findings: [...findings].sort(criticalFirst) };
}

function neverRanEscalated(finding: Finding, since: string, deadline: Date, graceMinutes: number): Finding {
  return {
    ...finding,
    severity: Severity.CRITICAL,
    message:
      `${finding.message}. The monitor first saw it never dispatched at ${formatUtc(new Date(since))}, and one full period of the schedule ` +
      `plus ${formatMinutes(graceMinutes)} grace has passed since (due by ${formatUtc(deadline)}): DocSpace dispatches a new schedule ` +
      'within one period, so its backup scheduler is not running for this portal',
    remedy:
      'Open DocSpace > Settings > Backup, save the automatic backup again and check the subscription; on a self-hosted server check that the backup service runs; if it stays so, contact ONLYOFFICE support',
    actual: { lastBackupTime: null, neverRanSince: since },
  };
}

function uncheckedEscalated(finding: Finding, runs: number, since: string | undefined): Finding {
  const sinceText = since === undefined ? '' : ` (since ${formatUtc(new Date(since))})`;
  return {
    ...finding,
    severity: Severity.CRITICAL,
    message: `${finding.message}. The portal could not be evaluated in ${runs} consecutive runs${sinceText}: its backups are unverified, so this is no longer treated as transient`,
    remedy: `${finding.remedy}. Until it is fixed, nobody knows whether this portal is backed up`,
  };
}

/** Critical findings first, the verdict's order otherwise (a stable sort). */
function criticalFirst(a: Finding, b: Finding): number {
  return (a.severity === Severity.CRITICAL ? 0 : 1) - (b.severity === Severity.CRITICAL ? 0 : 1);
}
