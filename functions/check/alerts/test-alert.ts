/**
 * The test alert a team sends right after deploying, to prove that e-mail and SMS arrive.
 * It is marked as a test everywhere a person looks, and carries `state=firing` and
 * `severity=critical` so that it passes the SMS subscription's filter policy.
 */
import type { Verdict } from '../policy/types.ts';
import { AlertState, type Alert } from './notifier.ts';

/** A clearly marked test alert, and the verdict-shaped record it stands for. */
export function renderTestAlert(now: Date): { alert: Alert; verdict: Verdict } {
  const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const verdict: Verdict = { portal: 'test-alert', url: '', status: 'OK', timeZone: 'UTC', checkedAt: now, findings: [] };
  const alert: Alert = {
    subject: '[TEST] DocSpace backup monitor: test alert, no action needed',
    email: [
      'TEST ALERT - no action needed.',
      '',
      `The DocSpace backup monitor sent this test message at ${at} because someone invoked it with {"action": "test-alert"}.`,
      'If you read this, e-mail alerts reach you. Real alerts name a portal, its status and what to do.',
    ].join('\n'),
    sms: `TEST DocSpace backup monitor ${at.slice(0, 16)}Z: SMS alerts reach you. No action needed.`,
    json: JSON.stringify({ test: true, sentAt: at, message: 'test alert from the DocSpace backup monitor' }),
    attributes: { state: AlertState.FIRING, severity: 'critical', status: 'TEST', portal: 'test-alert', codes: 'TEST' },
  };
  return { alert, verdict };
}
