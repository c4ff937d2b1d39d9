/**
 * A portal's result for machines: the SNS `default` message and, per portal, the CLI's `--json`
 * report. The member names are a public contract. Pure.
 */
import type { Acknowledgement, Flip, NoticeState, SilencedFinding } from '../notify/types.ts';
import { sanitizePortalText } from '../policy/format.ts';
import type { EvidenceNotes, Finding, FindingCode, FindingValue, Status, Verdict } from '../policy/types.ts';
import { alertState, silencedOf, type AlertContext } from './alert-context.ts';

/** The longest text kept from one string inside `expected` / `actual`. */
const MAX_VALUE_LENGTH = 500;

/** One finding, as JSON: the finding's own members, and `silenced` when a silence mutes it (until when, and why). */
export type FindingJson = Finding & { readonly silenced?: SilenceJson };

/** A silence muting a finding, as JSON. */
export interface SilenceJson {
  /** ISO 8601, as configured. */
  readonly until: string;
  readonly reason: string;
  /** The run-time silence's id (`silence add`); absent for a silence in the config. */
  readonly id?: string;
  /** Who added the run-time silence; absent for a silence in the config. */
  readonly by?: string;
}

/** A silenced finding code, as JSON (the alert's `silenced` list). */
export interface SilencedFindingJson extends SilenceJson {
  readonly code: FindingCode;
}

/** One portal's result, as JSON. */
export interface VerdictJson {
  readonly name: string;
  readonly url: string;
  readonly status: Status;
  readonly timeZone: string;
  readonly timeZoneNote?: string;
  /** ISO 8601, UTC. */
  readonly checkedAt: string;
  /** ISO 8601, UTC; `null` when no backup ever ran; absent when it could not be read. */
  readonly lastBackupTime?: string | null;
  readonly findings: readonly FindingJson[];
  /** What the evidence held that could not be used (history records skipped, schedule members ignored); absent when nothing. */
  readonly evidenceNotes?: EvidenceNotes;
}

function cleanValue(value: FindingValue): FindingValue {
  if (typeof value === 'string') return sanitizePortalText(value, MAX_VALUE_LENGTH);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [
      sanitizePortalText(key, MAX_VALUE_LENGTH),
      typeof member === 'string' ? sanitizePortalText(member, MAX_VALUE_LENGTH) : member,
    ]),
  );
}

function silenceToJson(entry: SilencedFinding): SilenceJson {
  return {
    until: sanitizePortalText(entry.until, 60),
    reason: sanitizePortalText(entry.reason, 200),
    ...(entry.id !== undefined && { id: sanitizePortalText(entry.id, 20) }),
    ...(entry.by !== undefined && { by: sanitizePortalText(entry.by, 300) }),
  };
}

/**
 * An acknowledgement as JSON, its texts cleaned: in an alert the one that just ended, in the
 * report the one that holds.
 */
export function acknowledgementToJson(ack: Acknowledgement): Acknowledgement {
  return {
    status: ack.status,
    codes: [...ack.codes],
    by: sanitizePortalText(ack.by, 300),
    at: sanitizePortalText(ack.at, 60),
    reason: sanitizePortalText(ack.reason, 200),
  };
}

function findingToJson(finding: Finding, silences: ReadonlyMap<FindingCode, SilencedFinding>): FindingJson {
  const silence = silences.get(finding.code);
  return {
    code: finding.code,
    severity: finding.severity,
    message: sanitizePortalText(finding.message, 2000),
    remedy: sanitizePortalText(finding.remedy, 2000),
    ...(finding.cause !== undefined && { cause: finding.cause }),
    ...(finding.source !== undefined && { source: finding.source }),
    ...(finding.expected !== undefined && { expected: cleanValue(finding.expected) }),
    ...(finding.actual !== undefined && { actual: cleanValue(finding.actual) }),
    ...(silence !== undefined && { silenced: silenceToJson(silence) }),
  };
}

/**
 * One portal's result as a plain object, for `JSON.stringify`. Optional members are left out
 * when the verdict has no value for them. Findings a silence mutes carry
 * `silenced: { until, reason }` ("the report shows them as silenced with the reason").
 *
 * A second argument that is not an array (the index `Array.prototype.map` passes) is ignored, so
 * `verdicts.map(verdictToJson)` keeps working.
 *
 * @param verdict - one portal's outcome
 * @param silenced - the verdict's findings muted by a silence (`decideNotice(…).silenced`)
 * @example
 * const report = { portals: verdicts.map((verdict) => verdictToJson(verdict, silencedByPortal.get(verdict.portal))) };
 */
export function verdictToJson(verdict: Verdict, silenced: readonly SilencedFinding[] | undefined): VerdictJson;
/**
 * One portal's result as a plain object, for `JSON.stringify`, without silence marks.
 *
 * @param verdict - one portal's outcome
 */
export function verdictToJson(verdict: Verdict): VerdictJson;
export function verdictToJson(verdict: Verdict, silenced?: readonly SilencedFinding[]): VerdictJson {
  const silences = new Map<FindingCode, SilencedFinding>(Array.isArray(silenced) ? silenced.map((entry) => [entry.code, entry]) : []);
  return {
    name: verdict.portal,
    url: verdict.url,
    status: verdict.status,
    timeZone: sanitizePortalText(verdict.timeZone, 100),
    ...(verdict.timeZoneNote !== undefined && { timeZoneNote: sanitizePortalText(verdict.timeZoneNote, 500) }),
    checkedAt: verdict.checkedAt.toISOString(),
    ...(verdict.lastBackupTime !== undefined && {
      lastBackupTime: verdict.lastBackupTime === null ? null : verdict.lastBackupTime.toISOString(),
    }),
    findings: verdict.findings.map((finding) => findingToJson(finding, silences)),
    ...(verdict.evidenceNotes !== undefined && { evidenceNotes: notesToJson(verdict.evidenceNotes) }),
  };
}

function notesToJson(notes: EvidenceNotes): EvidenceNotes {
  return {
    ...(notes.skippedHistoryRecords !== undefined && { skippedHistoryRecords: notes.skippedHistoryRecords }),
    ...(notes.ignoredMembers !== undefined && { ignoredMembers: notes.ignoredMembers.map((note) => sanitizePortalText(note, MAX_VALUE_LENGTH)) }),
  };
}

/** One portal's alert as JSON: the verdict, why it is sent, what changed and what is silenced. */
export interface AlertJson extends VerdictJson {
  /** Why it is sent: `firing`, `reminder` or `resolved`. */
  readonly state: NoticeState;
  /** What changed since the last notice; absent for a reminder and a first alert. */
  readonly flip?: Flip;
  /** The findings muted by a silence (also marked in `findings`); empty when none. */
  readonly silenced: readonly SilencedFindingJson[];
  /** The acknowledgement that held back the reminders and ended with this alert; absent when none. */
  readonly acknowledgementEnded?: Acknowledgement;
}

/**
 * One portal's alert as compact JSON text (the SNS `default` message): {@link verdictToJson}
 * plus `state`, `flip` (when the notice has one) and `silenced`.
 *
 * @param verdict - one portal's outcome
 * @param context - the notice and the silenced findings; without them, `state` is `firing`
 */
export function renderJson(verdict: Verdict, context: AlertContext = {}): string {
  const silenced = silencedOf(context);
  const flip = context.notice?.flip;
  const alert: AlertJson = {
    ...verdictToJson(verdict, silenced),
    state: alertState(context),
    ...(flip !== undefined && {
      flip: { from: flip.from, to: flip.to, added: [...flip.added], cleared: [...flip.cleared] },
    }),
    silenced: silenced.map((entry) => ({ code: entry.code, ...silenceToJson(entry) })),
    ...(context.ack !== undefined && alertState(context) !== 'reminder' && { acknowledgementEnded: acknowledgementToJson(context.ack) }),
  };
  return JSON.stringify(alert);
}
