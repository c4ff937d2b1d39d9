/**
 * The notice policy: given what the monitor remembers about a portal and this run's verdict,
 * decide whether to send a notice (firing, reminder, resolved) and what to remember next.
 * Healthchecks notifies on a flip and says when a check is back up; Alertmanager repeats an
 * unchanged alert on an interval and honours silences. Pure: no I/O, `now` is a parameter.
 *
 * The rules, in the order they are applied:
 * 1. A second delivery of a run already recorded (`previous.lastRunKey === runKey`) sends nothing
 *    and changes nothing.
 * 2. The *alerted view* is the verdict without its silenced findings: its status follows the
 *    verdict's one rule (`statusOf`) on what is left; its codes are sorted, without repeats.
 * 3. First run: nothing when the alerted view is OK, else `firing` (without a flip: there is
 *    nothing to compare with).
 * 4. The alerted view differs from the last notice's status or codes (or its severity rose):
 *    - not OK: `firing`, with the flip since the last notice; at the view's severity when it got
 *      worse or a reminder is due anyway, else as a warning (which does not restart reminders);
 *    - OK and the verdict itself OK (and the last notice was about a problem): `resolved`;
 *    - OK only because what is left is silenced: nothing. The memory records OK and no codes, so
 *      when the silence ends and the finding is still there, the next run fires again.
 * 5. Unchanged and not OK: a `reminder` once `remindEveryRuns` runs have passed since the last
 *    notice (for the worst severity left; 0: never), unless someone acknowledged the problem
 *    (`ack`): an acknowledgement holds while the alerted status and codes stay as acknowledged
 *    (and the severity does not rise); any change fires as in rule 4 and ends it.
 */
import { Severity, Status, type Finding, type FindingCode, type Verdict } from '../policy/types.ts';
import { statusOf } from '../policy/verdict.ts';
import type { NotificationSettings } from './resolve-notifications.ts';
import { acknowledgementHolds } from '../silences/acknowledgement.ts';
import { silencedFindings, unsilencedFindings, type ActiveSilence } from './silences.ts';
import { NoticeState, type Acknowledgement, type Flip, type Notice, type PortalMemory, type SilencedFinding } from './types.ts';

/** Everything {@link decideNotice} weighs for one portal in one run. */
export interface NoticeInput {
  /** What the monitor remembers from earlier runs; undefined for a portal never seen before. */
  readonly previous?: PortalMemory;
  /** This run's outcome for the portal. */
  readonly verdict: Verdict;
  /** The notification settings, defaults resolved (`resolveNotifications`). */
  readonly notifications: NotificationSettings;
  /** Every silence: configured, and run-time ones in force; those for other portals are ignored. */
  readonly silences: readonly ActiveSilence[];
  /** This run's identity: the Scheduler's scheduled time, or the invocation's request id. */
  readonly runKey: string;
  /** The instant of the run. */
  readonly now: Date;
}

/** What {@link decideNotice} decided for one portal. */
export interface NoticeDecision {
  /** The notice to send; absent when this run sends nothing for the portal. */
  readonly notice?: Notice;
  /** What to remember (write it with `StateStore.claim`; send nothing when the claim fails). */
  readonly next: PortalMemory;
  /** The verdict's findings muted by a silence, for the report. */
  readonly silenced: readonly SilencedFinding[];
  /** The acknowledgement that holds after this run (reminders held back), for the report; absent when none. */
  readonly acknowledged?: Acknowledgement;
}

/** A status and the finding codes behind it, as a notice sees them. */
interface View {
  readonly status: Status;
  readonly codes: readonly FindingCode[];
  /** The worst severity among the findings; undefined when there are none (status OK). */
  readonly severity?: Severity;
  /** The codes that have a critical finding. */
  readonly criticalCodes: readonly FindingCode[];
}

/** How bad a status is, to tell a worsening from an improvement. */
const STATUS_RANK: Record<Status, number> = { OK: 0, WARNING: 1, UNKNOWN: 2, CRITICAL: 3 };

/**
 * Decides one portal's notice for one run, and what to remember for the next.
 *
 * Deterministic: the same inputs give the same decision, so two deliveries of one run that both
 * read the memory before either wrote it decide the same, and `StateStore.claim` lets one of them
 * send. Call it once per portal and run, with the memory as loaded before the run: a second call
 * with the `next` of the first is treated as a duplicate delivery and sends nothing.
 *
 * @param input - the memory, the verdict, the settings, the silences, the run's key and `now`
 * @returns the notice to send (if any), the memory to write, and the silenced findings
 * @example
 * const { notice, next } = decideNotice({
 *   previous,                    // notifiedStatus 'OK', notifiedCodes []
 *   verdict,                     // CRITICAL with BACKUP_OVERDUE
 *   notifications: resolveNotifications(config.notifications),
 *   silences: config.silences ?? [],
 *   runKey: '2027-01-05T07:00:00Z',
 *   now: new Date('2027-01-05T07:00:12Z'),
 * });
 * notice; // { state: 'firing', severity: 'critical', sms: true,
 *         //   flip: { from: 'OK', to: 'CRITICAL', added: ['BACKUP_OVERDUE'], cleared: [] } }
 */
export function decideNotice(input: NoticeInput): NoticeDecision {
  const { previous, verdict, notifications, silences, runKey, now } = input;
  const silenced = silencedFindings(verdict, silences, now);
  if (previous !== undefined && previous.lastRunKey === runKey) return { next: previous, silenced, ...(previous.ack === undefined ? {} : { acknowledged: previous.ack }) };

  const alerted = viewOf(unsilencedFindings(verdict, silences, now));
  const acknowledged = previous === undefined ? undefined : heldAcknowledgement(previous, alerted);
  const notice = previous === undefined ? firstNotice(alerted) : nextNotice(previous, alerted, verdict.status, notifications, acknowledged !== undefined);
  // A change sent below the problem's own severity was no page: the reminder interval runs on.
  const isFullNotice = notice !== undefined && (alerted.severity === undefined || notice.severity === alerted.severity);
  return {
    ...(notice === undefined ? {} : { notice }),
    next: nextMemory(input, alerted, notice !== undefined, isFullNotice, acknowledged),
    silenced,
    ...(acknowledged === undefined ? {} : { acknowledged }),
  };
}

/** The memory's acknowledgement when it still holds for what this run alerts about (rule 5). */
function heldAcknowledgement(previous: PortalMemory, alerted: View): Acknowledgement | undefined {
  const severityRose = previous.notifiedSeverity === Severity.WARNING && alerted.severity === Severity.CRITICAL;
  return acknowledgementHolds(previous.ack, alerted.status, alerted.codes, severityRose) ? previous.ack : undefined;
}

/** The first run of a portal: only a problem is worth a word. */
function firstNotice(alerted: View): Notice | undefined {
  return alerted.severity === undefined ? undefined : { state: NoticeState.FIRING, severity: alerted.severity, sms: true };
}

function nextNotice(previous: PortalMemory, alerted: View, verdictStatus: Status, notifications: NotificationSettings, isAcknowledged: boolean): Notice | undefined {
  const notified: View = { status: previous.notifiedStatus, codes: sortedCodes(previous.notifiedCodes), criticalCodes: [] };
  // Same status and codes can still be worse: a CHECK_FAILED that turned from transient to critical.
  const severityRose = previous.notifiedSeverity === Severity.WARNING && alerted.severity === Severity.CRITICAL;
  const remindEveryRuns = alerted.severity === undefined ? 0 : notifications.remindEveryRuns[alerted.severity];
  const isReminderDue = remindEveryRuns > 0 && previous.runsSinceNotice + 1 >= remindEveryRuns;
  if (!isSameView(alerted, notified) || severityRose) {
    if (alerted.severity !== undefined) {
      const flip = flipOf(notified, alerted);
      // Phones are paged for what got worse (a new critical finding, a worse status or severity)
      // and when a reminder is due anyway; a change that only adds warnings (a transient
      // CHECK_FAILED, say) or clears codes goes out as a warning and does not restart the reminders.
      const isWorse = severityRose || STATUS_RANK[alerted.status] > STATUS_RANK[notified.status] || flip.added.some((code) => alerted.criticalCodes.includes(code));
      return { state: NoticeState.FIRING, severity: isWorse || isReminderDue ? alerted.severity : Severity.WARNING, flip, sms: true };
    }
    if (verdictStatus === Status.OK && notified.status !== Status.OK) {
      return { state: NoticeState.RESOLVED, severity: previous.notifiedSeverity ?? resolvedSeverity(notified.status), flip: flipOf(notified, alerted), sms: notifications.smsResolved };
    }
    // Whatever is left is silenced: no news, and no "resolved" for a problem that is still there.
    return undefined;
  }
  if (alerted.severity === undefined || isAcknowledged) return undefined;
  return isReminderDue ? { state: NoticeState.REMINDER, severity: alerted.severity, sms: true } : undefined;
}

/**
 * How urgent a `resolved` notice is when the memory predates `notifiedSeverity`: that of the
 * status it resolves, UNKNOWN counting as critical.
 */
function resolvedSeverity(resolved: Status): Severity {
  return resolved === Status.WARNING ? Severity.WARNING : Severity.CRITICAL;
}

function nextMemory(input: NoticeInput, alerted: View, isNotified: boolean, isFullNotice: boolean, acknowledged: Acknowledgement | undefined): PortalMemory {
  const { previous, verdict, runKey, now } = input;
  const codes = sortedCodes(verdict.findings.map((finding) => finding.code));
  const isUnchanged = previous !== undefined && previous.status === verdict.status && isSameCodes(sortedCodes(previous.codes), codes);
  const lastNotifiedAt = isNotified ? now.toISOString() : previous?.lastNotifiedAt;
  return {
    portal: verdict.portal,
    status: verdict.status,
    codes,
    since: isUnchanged ? previous.since : now.toISOString(),
    // What is outstanding now: either it was just notified, or it equals the last notice, or it
    // is OK because nothing (or only silenced findings) is left.
    notifiedStatus: alerted.status,
    notifiedCodes: alerted.codes,
    ...(alerted.severity === undefined ? {} : { notifiedSeverity: alerted.severity }),
    ...(lastNotifiedAt === undefined ? {} : { lastNotifiedAt }),
    runsSinceNotice: isFullNotice || previous === undefined ? 0 : previous.runsSinceNotice + 1,
    lastRunKey: runKey,
    ...(acknowledged === undefined ? {} : { ack: acknowledged }),
  };
}

/** The status and codes a set of findings amounts to (see rule 2 in this module's comment). */
function viewOf(findings: readonly Finding[]): View {
  const codes = sortedCodes(findings.map((finding) => finding.code));
  const criticalCodes = sortedCodes(findings.filter((finding) => finding.severity === Severity.CRITICAL).map((finding) => finding.code));
  if (findings.length === 0) return { status: Status.OK, codes, criticalCodes };
  const severity = criticalCodes.length > 0 ? Severity.CRITICAL : Severity.WARNING;
  return { status: statusOf(findings), codes, severity, criticalCodes };
}

function flipOf(from: View, to: View): Flip {
  return {
    from: from.status,
    to: to.status,
    added: to.codes.filter((code) => !from.codes.includes(code)),
    cleared: from.codes.filter((code) => !to.codes.includes(code)),
  };
}

function isSameView(a: View, b: View): boolean {
  return a.status === b.status && isSameCodes(a.codes, b.codes);
}

function isSameCodes(a: readonly FindingCode[], b: readonly FindingCode[]): boolean {
  return a.length === b.length && a.every((code, index) => code === b[index]);
}

/** Codes sorted (by code unit, as `Array.prototype.sort` does), without repeats. */
function sortedCodes(codes: readonly FindingCode[]): FindingCode[] {
  return [...new Set(codes)].sort();
}
