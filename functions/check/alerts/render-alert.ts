/**
 * Renders one portal's verdict for every channel at once: subject, e-mail, SMS, JSON and the
 * message attributes subscriptions filter on. Pure; sending is a notifier's job.
 */
import type { Verdict } from '../policy/types.ts';
import type { Alert, AlertAttributes } from './notifier.ts';
import { renderEmail } from './render-email.ts';
import { renderJson } from './render-json.ts';
import { renderSms } from './render-sms.ts';
import { renderSubject, toPrintableAscii } from './render-subject.ts';

/**
 * The attributes an alert carries: the worst severity (`warning` when there are no findings),
 * the status, the portal and the codes in finding order (each once).
 *
 * @param verdict - one portal's outcome
 */
export function renderAttributes(verdict: Verdict): AlertAttributes {
  return {
    severity: verdict.findings.some((finding) => finding.severity === 'critical') ? 'critical' : 'warning',
    status: verdict.status,
    portal: toPrintableAscii(verdict.portal),
    codes: [...new Set(verdict.findings.map((finding) => finding.code))].join(','),
  };
}

/**
 * Renders a verdict as an alert.
 *
 * @param verdict - one portal's outcome
 * @example
 * const alert = renderAlert(verdict);
 * await notifier.send(alert, verdict);
 */
export function renderAlert(verdict: Verdict): Alert {
  return {
    subject: renderSubject(verdict),
    email: renderEmail(verdict),
    sms: renderSms(verdict),
    json: renderJson(verdict),
    attributes: renderAttributes(verdict),
  };
}
