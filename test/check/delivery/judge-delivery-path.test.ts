import { describe, expect, it } from 'vitest';
import { judgeDeliveryPath, pendingKey, smsNumbers } from '../../../functions/check/delivery/judge-delivery-path.ts';
import { DeliveryFindingCode, PENDING_GRACE_MS, type DeliveryEvidence, type DeliveryRead, type TopicSubscription } from '../../../functions/check/delivery/types.ts';

const NOW = new Date('2026-12-01T07:00:00Z');
const OPS = 'ops@acme.example';
const PHONE = '+491701234567';

function subscriptions(...list: TopicSubscription[]): DeliveryRead<readonly TopicSubscription[]> {
  return { ok: true, value: list };
}

const confirmedOps: TopicSubscription = { protocol: 'email', endpoint: OPS, confirmed: true };
const phone: TopicSubscription = { protocol: 'sms', endpoint: PHONE, confirmed: true };

function sms(overrides: Partial<NonNullable<DeliveryEvidence['sms']>> = {}): NonNullable<DeliveryEvidence['sms']> {
  return {
    sandbox: { ok: true, value: { inSandbox: false, numbers: new Map() } },
    spendLimitUsd: { ok: true, value: 10 },
    spentUsd: { ok: true, value: 0 },
    ...overrides,
  };
}

function codes(evidence: DeliveryEvidence, recipients = { email: [OPS], sms: [PHONE] }, pendingSince?: Map<string, Date>): string[] {
  return judgeDeliveryPath({ evidence, recipients, now: NOW, ...(pendingSince ? { pendingSince } : {}) }).findings.map((finding) => finding.code);
}

describe('judgeDeliveryPath', () => {
  it('finds nothing when every address is confirmed, the number is out of the sandbox and the spend is low', () => {
    // Act
    const judgement = judgeDeliveryPath({ evidence: { subscriptions: subscriptions(confirmedOps, phone), sms: sms() }, recipients: { email: [OPS], sms: [PHONE] }, now: NOW });

    // Assess
    expect(judgement.findings).toEqual([]);
    expect(judgement.notChecked).toEqual([]);
    expect(judgement.subscriptions).toEqual([
      { protocol: 'email', endpoint: OPS, status: 'confirmed' },
      { protocol: 'sms', endpoint: PHONE, status: 'confirmed' },
    ]);
  });

  it.each([
    ['pending for 23:59:59', PENDING_GRACE_MS - 1_000, []],
    ['pending for exactly a day', PENDING_GRACE_MS, [DeliveryFindingCode.SUBSCRIPTION_PENDING]],
    ['pending for three days', 3 * PENDING_GRACE_MS, [DeliveryFindingCode.SUBSCRIPTION_PENDING]],
  ])('reports a configured address %s as such only from a day on', (_case, ageMs, expected) => {
    // Prepare
    const pending: TopicSubscription = { protocol: 'email', endpoint: 'new@acme.example', confirmed: false };
    const since = new Map([[pendingKey(pending), new Date(NOW.getTime() - ageMs)]]);

    // Act
    const found = codes({ subscriptions: subscriptions(confirmedOps, pending) }, { email: [OPS, 'New@Acme.example'], sms: [] }, since);

    // Assess
    expect(found).toEqual(expected);
  });

  it('remembers a newly pending subscription as first seen now, keeps an older time, and forgets confirmed ones', () => {
    // Prepare
    const older = new Date('2026-11-28T07:00:00Z');
    const a: TopicSubscription = { protocol: 'email', endpoint: 'a@acme.example', confirmed: false };
    const b: TopicSubscription = { protocol: 'email', endpoint: 'b@acme.example', confirmed: false };
    const remembered = new Map([[pendingKey(a), older], ['email:gone@acme.example', older]]);

    // Act
    const judgement = judgeDeliveryPath({ evidence: { subscriptions: subscriptions(confirmedOps, a, b) }, recipients: { email: [OPS] }, pendingSince: remembered, now: NOW });

    // Assess
    expect([...judgement.pendingSince]).toEqual([[pendingKey(a), older], [pendingKey(b), NOW]]);
    expect(judgement.subscriptions.map((subscription) => subscription.status)).toEqual(['confirmed', 'pending', 'pending']);
  });

  it('never alerts on a pending address when nothing is remembered between runs', () => {
    // Act
    const found = codes({ subscriptions: subscriptions(confirmedOps, { protocol: 'email', endpoint: 'new@acme.example', confirmed: false }) }, { email: [OPS, 'new@acme.example'], sms: [] });

    // Assess
    expect(found).toEqual([]);
  });

  it('reports a configured address and number without a subscription, and no confirmed e-mail at all', () => {
    // Act
    const judgement = judgeDeliveryPath({ evidence: { subscriptions: subscriptions({ protocol: 'https', endpoint: 'https://hooks.example/x', confirmed: true }) }, recipients: { email: [OPS], sms: [PHONE] }, now: NOW });

    // Assess
    expect(judgement.findings.map((finding) => [finding.code, finding.endpoint])).toEqual([
      [DeliveryFindingCode.SUBSCRIPTION_MISSING, OPS],
      [DeliveryFindingCode.NO_CONFIRMED_EMAIL, undefined],
      [DeliveryFindingCode.SUBSCRIPTION_MISSING, PHONE],
    ]);
    expect(judgement.findings[0]!.message).toContain(`--protocol email --notification-endpoint ${OPS}`);
  });

  it('counts an email-json subscription as e-mail', () => {
    // Act
    const found = codes({ subscriptions: subscriptions({ protocol: 'email-json', endpoint: OPS, confirmed: true }) }, { email: [OPS], sms: [] });

    // Assess
    expect(found).toEqual([]);
  });

  it('reports each number that is not verified while the account is in the SMS sandbox, configured or only on the topic', () => {
    // Prepare
    const sandbox = { ok: true as const, value: { inSandbox: true, numbers: new Map([[PHONE, 'Pending'], ['+4915100000001', 'Verified']]) } };
    const other: TopicSubscription = { protocol: 'sms', endpoint: '+4915100000002', confirmed: true };

    // Act
    const judgement = judgeDeliveryPath({
      evidence: { subscriptions: subscriptions(confirmedOps, phone, other, { protocol: 'sms', endpoint: '+4915100000001', confirmed: true }), sms: sms({ sandbox }) },
      recipients: { email: [OPS], sms: [PHONE] },
      now: NOW,
    });

    // Assess
    expect(judgement.findings.map((finding) => [finding.code, finding.endpoint])).toEqual([
      [DeliveryFindingCode.SMS_NUMBER_NOT_VERIFIED, PHONE],
      [DeliveryFindingCode.SMS_NUMBER_NOT_VERIFIED, '+4915100000002'],
    ]);
    expect(judgement.findings[0]!.message).toContain('not verified yet');
    expect(judgement.findings[1]!.message).toContain('not a verified sandbox number');
    expect(judgement.subscriptions.map((subscription) => subscription.status)).toEqual(['confirmed', 'unverified', 'unverified', 'confirmed']);
  });

  it.each([
    ['79.9 % of a USD 10 limit', 10, 7.99, []],
    ['exactly 80 % of a USD 10 limit', 10, 8, [DeliveryFindingCode.SMS_SPEND_NEAR_LIMIT]],
    ['the whole limit', 10, 10, [DeliveryFindingCode.SMS_SPEND_NEAR_LIMIT]],
    ['USD 0.80 of the default USD 1 (no limit set)', undefined, 0.8, [DeliveryFindingCode.SMS_SPEND_NEAR_LIMIT]],
    ['nothing of a zero limit', 0, 0, [DeliveryFindingCode.SMS_SPEND_NEAR_LIMIT]],
  ])('judges an SMS spend of %s', (_case, limit, spent, expected) => {
    // Act
    const found = codes({ subscriptions: subscriptions(confirmedOps, phone), sms: sms({ spendLimitUsd: { ok: true, value: limit }, spentUsd: { ok: true, value: spent } }) });

    // Assess
    expect(found).toEqual(expected);
  });

  it('says the spend and the limit in the finding', () => {
    // Act
    const [finding] = judgeDeliveryPath({
      evidence: { subscriptions: subscriptions(confirmedOps, phone), sms: sms({ spendLimitUsd: { ok: true, value: undefined }, spentUsd: { ok: true, value: 0.85 } }) },
      recipients: { email: [OPS], sms: [PHONE] },
      now: NOW,
    }).findings;

    // Assess
    expect(finding!.message).toMatch(/^SMS spend this month is USD 0\.85 of the account's limit of USD 1\.00 \(the default\) \(85 %\)/);
  });

  it('lists the failed reads as not checked and judges nothing they would have fed', () => {
    // Act
    const judgement = judgeDeliveryPath({
      evidence: {
        subscriptions: { ok: false, api: 'ListSubscriptionsByTopic', code: 'AuthorizationError' },
        sms: sms({ sandbox: { ok: false, api: 'GetSMSSandboxAccountStatus', code: 'Throttling' }, spentUsd: { ok: false, api: 'GetMetricData', code: 'AccessDenied' } }),
      },
      recipients: { email: [OPS], sms: [PHONE] },
      now: NOW,
    });

    // Assess
    expect(judgement.findings).toEqual([]);
    expect(judgement.subscriptions).toEqual([]);
    expect(judgement.notChecked).toEqual(['ListSubscriptionsByTopic: AuthorizationError', 'GetSMSSandboxAccountStatus: Throttling', 'GetMetricData: AccessDenied']);
  });
});

describe('judgeDeliveryPath SMS delivery status logging', () => {
  it.each([
    ['off, with a configured number', undefined, { email: [OPS], sms: [PHONE] }, [DeliveryFindingCode.SMS_DELIVERY_LOGGING_OFF]],
    ['on', 'arn:aws:iam::123456789012:role/SmsDeliveryStatus', { email: [OPS], sms: [PHONE] }, []],
  ])('judges the account\'s SMS delivery status logging %s', (_case, role, recipients, expected) => {
    // Act
    const found = codes({ subscriptions: subscriptions(confirmedOps, phone), sms: sms({ deliveryStatusRole: { ok: true, value: role } }) }, recipients);

    // Assess
    expect(found).toEqual(expected);
  });

  it('does not judge the logging when the attributes could not be read', () => {
    // Act
    const found = codes({
      subscriptions: subscriptions(confirmedOps, phone),
      sms: sms({ spendLimitUsd: { ok: false, api: 'GetSMSAttributes', code: 'Throttling' }, deliveryStatusRole: { ok: false, api: 'GetSMSAttributes', code: 'Throttling' } }),
    });

    // Assess
    expect(found).toEqual([]);
  });
});

describe('smsNumbers', () => {
  it('lists the configured numbers and those subscribed on the topic, each once', () => {
    // Act
    const numbers = smsNumbers({ sms: [PHONE] }, { subscriptions: subscriptions(phone, { protocol: 'sms', endpoint: '+4915100000002', confirmed: true }) });

    // Assess
    expect(numbers).toEqual([PHONE, '+4915100000002']);
  });
});
