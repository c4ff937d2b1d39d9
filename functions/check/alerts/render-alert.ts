/**
 * Renders one portal's verdict for every channel at once: subject, e-mail, SMS, JSON and the
 * message attributes subscriptions filter on. Pure; sending is a notifier's job.
 */
import { NoticeState, type Notice, type SilencedFinding } from '../notify/types.ts';
import { Status, type Verdict } from '../policy/types.ts';
import { alertedFindings, alertedStatus, alertState, silencedOf, worstSeverity, type AlertContext, type AlertMemory } from './alert-context.ts';
import type { Alert, AlertAttributes } from './notifier.ts';
import { renderEmail } from './render-email.ts';
import { renderJson } from './render-json.ts';
import { renderSms } from './render-sms.ts';
import { renderSubject, toPrintableAscii } from './render-subject.ts';

/**
 * The attributes an alert carries: `state` (the notice's, `firing` without one), the severity,
 * the status and the codes of the findings alerted (silenced ones left out; codes in finding
 * order, each once; severity `warning` when there are none) and the portal. For `resolved`:
 * the notice's severity (that of what was resolved), status `OK` and the codes cleared.
 *
 * @param verdict - one portal's outcome
 * @param context - the notice and the silenced findings; without them, a `firing` alert
 */
export function renderAttributes(verdict: Verdict, context: AlertContext = {}): AlertAttributes {
  const state = alertState(context);
  const portal = toPrintableAscii(verdict.portal);
  const { notice } = context;
  if (state === NoticeState.RESOLVED && notice !== undefined) {
    return { state, severity: notice.severity, status: Status.OK, portal, codes: [...new Set(notice.flip?.cleared ?? [])].join(',') };
  }
  const silenced = silencedOf(context);
  const alerted = alertedFindings(verdict, silenced);
  return {
    state,
    severity: notice?.severity ?? worstSeverity(alerted),
    status: alertedStatus(verdict, silenced),
    portal,
    codes: [...new Set(alerted.map((finding) => finding.code))].join(','),
  };
}

/**
 * Renders a verdict as an alert. Without a notice it is a `firing` alert about the whole
 * verdict, as before notices existed.
 *
 * @param verdict - one portal's outcome
 * @param notice - why it is sent (`decideNotice(…).notice`)
 * @param silenced - the verdict's findings muted by a silence (`decideNotice(…).silenced`): left
 *   out of subject, SMS and codes, listed in the e-mail and marked in the JSON
 * @param memory - what the monitor remembered before this run (the previous `PortalMemory` fits),
 *   so a reminder can say since when nothing changed
 * @example
 * const { notice, silenced } = decideNotice({ previous, verdict, notifications, silences, runKey, now });
 * if (notice !== undefined) await notifier.send(renderAlert(verdict, notice, silenced, previous), verdict);
 */
export function renderAlert(verdict: Verdict, notice?: Notice, silenced: readonly SilencedFinding[] = [], memory: AlertMemory = {}): Alert {
  const context: AlertContext = {
    ...(notice !== undefined && { notice }),
    silenced,
    ...(memory.since !== undefined && { since: memory.since }),
    ...(memory.lastNotifiedAt !== undefined && { lastNotifiedAt: memory.lastNotifiedAt }),
    ...(memory.ack !== undefined && { ack: memory.ack }),
  };
  return {
    subject: renderSubject(verdict, context),
    email: renderEmail(verdict, context),
    sms: renderSms(verdict, context),
    json: renderJson(verdict, context),
    attributes: renderAttributes(verdict, context),
  };
}
