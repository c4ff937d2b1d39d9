/**
 * The notice about problems on the delivery path. Pure. It goes out by e-mail only: its `state`
 * attribute is `delivery`, which no SMS filter policy lets through (a text saying "texts do not
 * arrive" would be a contradiction, and e-mail is where the remedies fit).
 */
import { AlertState, type Alert } from '../alerts/notifier.ts';
import { Status, type Verdict } from '../policy/types.ts';
import type { DeliveryFinding, SubscriptionStatus } from './types.ts';

/** The name the notice goes by where a portal's name would be (the `portal` attribute, errors). */
export const DELIVERY_PATH_NAME = 'delivery-path';

/**
 * The e-mail notice listing every delivery-path finding and the topic's subscriptions.
 *
 * @param findings - at least one finding
 * @param subscriptions - the topic's subscriptions, for the list of who receives alerts
 * @param now - when the check ran
 */
export function renderDeliveryAlert(findings: readonly DeliveryFinding[], subscriptions: readonly SubscriptionStatus[], now: Date): Alert {
  const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const codes = [...new Set(findings.map((finding) => finding.code))];
  const subject = `[DELIVERY] DocSpace backup monitor: ${findings.length} problem${findings.length === 1 ? '' : 's'} on the alert path`;
  const email = [
    `The DocSpace backup monitor checked the path its alerts take to people at ${at} and found ${findings.length === 1 ? 'a problem' : `${findings.length} problems`}.`,
    'Until they are fixed, some alerts reach nobody.',
    '',
    ...findings.flatMap((finding, index) => [`${index + 1}. ${finding.code}${finding.endpoint === undefined ? '' : ` (${finding.endpoint})`}`, `   ${finding.message}`, '']),
    'Subscriptions of the alert topic:',
    ...(subscriptions.length === 0 ? ['  (none)'] : subscriptions.map((subscription) => `  ${subscription.protocol} ${subscription.endpoint}: ${subscription.status === 'confirmed' ? 'live' : subscription.status}`)),
    '',
    'This notice is repeated every run until the path is fixed. It is sent by e-mail only.',
  ].join('\n');
  return {
    subject,
    email,
    sms: `DocSpace backup monitor: ${findings.length} alert delivery problem(s): ${codes.join(', ')}`.slice(0, 160),
    json: JSON.stringify({ deliveryPath: { checkedAt: at, findings, subscriptions } }),
    attributes: { state: AlertState.DELIVERY, severity: 'warning', status: 'DELIVERY', portal: DELIVERY_PATH_NAME, codes: codes.join(',') },
  };
}

/** The verdict-shaped record a notifier takes with the notice (it names no portal). */
export function deliveryVerdict(now: Date): Verdict {
  return { portal: DELIVERY_PATH_NAME, url: '', status: Status.OK, timeZone: 'UTC', checkedAt: now, findings: [] };
}
