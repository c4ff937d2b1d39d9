/**
 * What an alert says besides the verdict: the notice (firing, reminder, resolved), the findings
 * a silence mutes, and what the monitor remembers about the portal. Also the *alerted view*: the
 * verdict without its silenced findings, which is what subject, SMS and codes are about. Pure.
 */
import { Severity, Status, type Finding, type Verdict } from '../policy/types.ts';
import { statusOf } from '../policy/verdict.ts';
import { NoticeState, type Acknowledgement, type Notice, type SilencedFinding } from '../notify/types.ts';

/**
 * What the monitor remembers about the portal that an alert can mention. A `PortalMemory`
 * (the record before this run) fits as is.
 */
export interface AlertMemory {
  /**
   * When the portal's status and codes were first seen (ISO-8601): a reminder says "unchanged
   * since", a `resolved` notice "in that state since".
   *
   * @default - the alert does not say since when
   */
  readonly since?: string;
  /**
   * When the last notice was sent (ISO-8601).
   *
   * @default - the alert does not say when the last one was sent
   */
  readonly lastNotifiedAt?: string;
  /**
   * The acknowledgement the memory held before this run (`docspace-backup-monitor ack`). An alert
   * is only sent once it no longer holds, so the alert says that it ended, by whom it was made and why.
   *
   * @default - the alert mentions no acknowledgement
   */
  readonly ack?: Acknowledgement;
}

/** Everything one portal's alert is rendered from, besides the verdict. */
export interface AlertContext extends AlertMemory {
  /**
   * Why the alert is sent.
   *
   * @default - a `firing` alert about the verdict, with nothing said about earlier runs
   */
  readonly notice?: Notice;
  /**
   * The verdict's findings muted by a silence: left out of subject, SMS and codes, listed in
   * the e-mail and marked in the JSON.
   *
   * @default - nothing is silenced
   */
  readonly silenced?: readonly SilencedFinding[];
}

/** The notice state an alert is rendered for: the notice's, or `firing` without one. */
export function alertState(context: AlertContext): NoticeState {
  return context.notice?.state ?? NoticeState.FIRING;
}

/** The silenced findings as given, or none. */
export function silencedOf(context: AlertContext): readonly SilencedFinding[] {
  return context.silenced ?? [];
}

/**
 * The findings the alert is about: the verdict's findings whose code no silence mutes, in the
 * verdict's order.
 *
 * @param verdict - one portal's outcome
 * @param silenced - the findings a silence mutes
 */
export function alertedFindings(verdict: Verdict, silenced: readonly SilencedFinding[]): Finding[] {
  if (silenced.length === 0) return [...verdict.findings];
  const muted = new Set(silenced.map((entry) => entry.code));
  return verdict.findings.filter((finding) => !muted.has(finding.code));
}

/**
 * The status the alert is about. Nothing silenced: the verdict's status. Otherwise the status
 * of what is left by the verdict's one rule (`statusOf`), as the notice policy sees it.
 *
 * @param verdict - one portal's outcome
 * @param silenced - the findings a silence mutes
 */
export function alertedStatus(verdict: Verdict, silenced: readonly SilencedFinding[]): Status {
  const alerted = alertedFindings(verdict, silenced);
  if (alerted.length === verdict.findings.length) return verdict.status;
  return statusOf(alerted);
}

/** The worst severity among findings; `warning` when there are none. */
export function worstSeverity(findings: readonly Finding[]): Severity {
  return findings.some((finding) => finding.severity === Severity.CRITICAL) ? Severity.CRITICAL : Severity.WARNING;
}

/**
 * The status a `resolved` notice resolves: the flip's `from`, or without a flip the status its
 * severity stands for.
 */
export function resolvedStatus(notice: Notice): Status {
  if (notice.flip !== undefined) return notice.flip.from;
  return notice.severity === Severity.CRITICAL ? Status.CRITICAL : Status.WARNING;
}

/**
 * An instant the monitor wrote (memory, silence `until`) as `2027-01-31 00:00:00 UTC`; text that
 * does not parse as a time is only cleaned.
 *
 * @param iso - an ISO-8601 instant
 * @param clean - how to clean text that is not a time
 */
export function instantText(iso: string, clean: (text: string) => string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return clean(iso);
  return `${new Date(time).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
