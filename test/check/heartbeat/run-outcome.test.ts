import { describe, expect, it } from 'vitest';
import type { DeliveryPathReport } from '../../../functions/check/delivery/types.ts';
import { AlertPublishError } from '../../../functions/check/errors.ts';
import { heartbeatFailure } from '../../../functions/check/heartbeat/run-outcome.ts';
import type { CheckRun } from '../../../functions/check/run-check.ts';
import { StateStoreError } from '../../../functions/check/state/errors.ts';

const CHECKED_AT = new Date('2026-12-01T07:00:00Z');

function run(overrides: Partial<CheckRun> = {}): CheckRun {
  return { checkedAt: CHECKED_AT, runKey: 'run', status: 'OK', verdicts: [], alertsSent: 0, publishFailures: [], stateFailures: [], notifications: new Map(), expiredSilences: [], ...overrides };
}

function delivery(codes: readonly string[]): DeliveryPathReport {
  return { checked: true, notChecked: [], findings: codes.map((code) => ({ code, message: 'm' }) as DeliveryPathReport['findings'][number]), subscriptions: [], alerted: true };
}

describe('heartbeatFailure', () => {
  it.each([
    ['a run with every alert delivered', { run: run() }, undefined],
    ['a run whose delivery path has problems that still reach someone', { run: run(), delivery: delivery(['SMS_SPEND_NEAR_LIMIT', 'SUBSCRIPTION_PENDING']) }, undefined],
    ['a run whose delivery path was not checked', { run: run(), delivery: { ...delivery([]), checked: false, notChecked: ['ListSubscriptionsByTopic: AuthorizationError'] } }, undefined],
    ['a run with an alert lost', { run: run({ publishFailures: [new AlertPublishError('alert for portal acme could not be published', 'acme')] }) }, 'run failed: 1 alert(s) could not be published'],
    [
      'a run with alerts lost and state not kept',
      { run: run({ publishFailures: [new AlertPublishError('a', 'acme'), new AlertPublishError('b', 'beta')], stateFailures: [new StateStoreError('x', { operation: 'load' } as never)] }) },
      'run failed: 2 alert(s) could not be published and 1 portal state(s) could not be kept',
    ],
    ['a run that threw', { error: new TypeError('acme said: secret text') }, 'run failed: TypeError'],
    ['a run where no e-mail subscription is confirmed', { run: run(), delivery: delivery(['NO_CONFIRMED_EMAIL']) }, 'delivery path: no e-mail subscription of the alert topic is confirmed, alerts reach nobody by e-mail'],
  ])('says %s', (_case, outcome, expected) => {
    // Act
    const failure = heartbeatFailure(outcome);

    // Assess
    expect(failure).toBe(expected);
    expect(failure ?? '').not.toMatch(/acme|beta|secret/);
  });
});
