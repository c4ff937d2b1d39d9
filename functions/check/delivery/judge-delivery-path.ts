/**
 * Judges what was read about the alert topic and the account's SMS state against the configured
 * recipients. Pure: no I/O, `now` and the remembered first-seen-pending times passed in.
 */
import {
  DEFAULT_SMS_SPEND_LIMIT_USD,
  DeliveryFindingCode,
  PENDING_GRACE_MS,
  SMS_SPEND_WARN_RATIO,
  type DeliveryEvidence,
  type DeliveryFinding,
  type SubscriptionStatus,
  type TopicSubscription,
} from './types.ts';

/** Who should receive alerts: the config's `alerts`. */
export interface Recipients {
  readonly email?: readonly string[];
  readonly sms?: readonly string[];
}

/** What {@link judgeDeliveryPath} takes. */
export interface DeliveryJudgeInput {
  readonly evidence: DeliveryEvidence;
  readonly recipients: Recipients;
  /**
   * When each pending subscription was first seen pending, by {@link pendingKey}; `undefined`
   * when nothing is remembered between runs (then no address is old enough to alert on).
   */
  readonly pendingSince?: ReadonlyMap<string, Date>;
  readonly now: Date;
}

/** What {@link judgeDeliveryPath} finds. */
export interface DeliveryJudgement {
  readonly findings: DeliveryFinding[];
  /** The reads that failed, as `API: code`. */
  readonly notChecked: string[];
  readonly subscriptions: SubscriptionStatus[];
  /** First-seen-pending times to remember: every subscription pending now, and no other. */
  readonly pendingSince: Map<string, Date>;
}

const EMAIL_PROTOCOLS: ReadonlySet<string> = new Set(['email', 'email-json']);

/** The key a pending subscription is remembered by: protocol and endpoint (e-mail in lower case). */
export function pendingKey(subscription: Pick<TopicSubscription, 'protocol' | 'endpoint'>): string {
  return `${subscription.protocol}:${EMAIL_PROTOCOLS.has(subscription.protocol) ? subscription.endpoint.toLowerCase() : subscription.endpoint}`;
}

/**
 * The problems on the path from an alert to a person, in a fixed order: per configured address
 * (missing, pending for a day), then "no confirmed e-mail", then per number (not verified in
 * the sandbox), then the SMS spend. A failed read judges nothing it would have fed.
 *
 * @example
 * const { findings } = judgeDeliveryPath({ evidence, recipients: config.alerts ?? {}, pendingSince, now });
 */
export function judgeDeliveryPath(input: DeliveryJudgeInput): DeliveryJudgement {
  const { evidence, recipients, now } = input;
  const findings: DeliveryFinding[] = [];
  const notChecked: string[] = [];
  const pendingSince = new Map<string, Date>();
  let statuses: SubscriptionStatus[] = [];

  if (!evidence.subscriptions.ok) notChecked.push(`${evidence.subscriptions.api}: ${evidence.subscriptions.code}`);
  else {
    const subscriptions = evidence.subscriptions.value;
    statuses = subscriptions.map((subscription) => ({
      protocol: subscription.protocol,
      endpoint: subscription.endpoint,
      status: subscription.confirmed ? 'confirmed' : 'pending',
    }));
    for (const subscription of subscriptions.filter((candidate) => !candidate.confirmed)) {
      const key = pendingKey(subscription);
      pendingSince.set(key, input.pendingSince?.get(key) ?? now);
    }
    for (const address of recipients.email ?? []) {
      const own = subscriptions.filter((subscription) => EMAIL_PROTOCOLS.has(subscription.protocol) && subscription.endpoint.toLowerCase() === address.toLowerCase());
      if (own.length === 0) findings.push(missing(address, 'e-mail address', 'email'));
      else if (!own.some((subscription) => subscription.confirmed)) {
        const since = input.pendingSince?.get(pendingKey(own[0]!));
        if (since !== undefined && now.getTime() - since.getTime() >= PENDING_GRACE_MS)
          findings.push({
            code: DeliveryFindingCode.SUBSCRIPTION_PENDING,
            endpoint: address,
            message: `${address} has not confirmed its subscription since ${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}: it receives nothing. Click the link in "AWS Notification - Subscription Confirmation" ; to have it sent again, run aws sns subscribe --topic-arn <AlertTopicArn> --protocol email --notification-endpoint ${address}.`,
          });
      }
    }
    if (!subscriptions.some((subscription) => EMAIL_PROTOCOLS.has(subscription.protocol) && subscription.confirmed))
      findings.push({
        code: DeliveryFindingCode.NO_CONFIRMED_EMAIL,
        message: 'No e-mail subscription of the alert topic is confirmed: the self-alarms, the digest and these notices reach nobody. Confirm an address (alerts.email) or subscribe one to the topic.',
      });
    for (const number of recipients.sms ?? []) {
      if (!subscriptions.some((subscription) => subscription.protocol === 'sms' && subscription.endpoint === number)) findings.push(missing(number, 'phone number', 'sms'));
    }
  }

  if (evidence.sms) {
    const { sandbox, spendLimitUsd, spentUsd } = evidence.sms;
    const numbers = smsNumbers(recipients, evidence);
    if (!sandbox.ok) notChecked.push(`${sandbox.api}: ${sandbox.code}`);
    else if (sandbox.value.inSandbox) {
      for (const number of numbers) {
        if (sandbox.value.numbers.get(number) === 'Verified') continue;
        findings.push({
          code: DeliveryFindingCode.SMS_NUMBER_NOT_VERIFIED,
          endpoint: number,
          message: `The account is in the SNS SMS sandbox and ${number} is ${sandbox.value.numbers.has(number) ? 'not verified yet' : 'not a verified sandbox number'}: texts to it are dropped. Verify it (SNS console, Text messaging, Sandbox destination phone numbers) or move the account out of the sandbox.`,
        });
        statuses = statuses.map((status) => (status.protocol === 'sms' && status.endpoint === number ? { ...status, status: 'unverified' } : status));
      }
    }
    if (!spendLimitUsd.ok) notChecked.push(`${spendLimitUsd.api}: ${spendLimitUsd.code}`);
    else if (evidence.sms.deliveryStatusRole?.ok && evidence.sms.deliveryStatusRole.value === undefined && numbers.length > 0)
      findings.push({
        code: DeliveryFindingCode.SMS_DELIVERY_LOGGING_OFF,
        message:
          'The account logs no SMS delivery status, so a text that fails leaves no trace. Switch it on with the role the stack made (output SmsDeliveryStatusRoleArn): aws sns set-sms-attributes --attributes DeliveryStatusIAMRole=<SmsDeliveryStatusRoleArn>,DeliveryStatusSuccessSamplingRate=100',
      });
    if (!spentUsd.ok) notChecked.push(`${spentUsd.api}: ${spentUsd.code}`);
    if (spendLimitUsd.ok && spentUsd.ok) {
      const limit = spendLimitUsd.value ?? DEFAULT_SMS_SPEND_LIMIT_USD;
      if (spentUsd.value >= limit * SMS_SPEND_WARN_RATIO)
        findings.push({
          code: DeliveryFindingCode.SMS_SPEND_NEAR_LIMIT,
          message: `SMS spend this month is USD ${formatUsd(spentUsd.value)} of the account's limit of USD ${formatUsd(limit)}${spendLimitUsd.value === undefined ? ' (the default)' : ''} (${limit === 0 ? 100 : Math.floor((spentUsd.value / limit) * 100)} %): at the limit SNS stops sending texts until the month ends. Raise MonthlySpendLimit (SNS console, Text messaging; above USD 1 after a quota request).`,
        });
    }
  }
  return { findings, notChecked, subscriptions: statuses, pendingSince };
}

/** The numbers texts should reach: the configured ones and every SMS subscription of the topic. */
export function smsNumbers(recipients: Recipients, evidence: Pick<DeliveryEvidence, 'subscriptions'>): string[] {
  const onTopic = evidence.subscriptions.ok ? evidence.subscriptions.value.filter((subscription) => subscription.protocol === 'sms').map((subscription) => subscription.endpoint) : [];
  return [...new Set([...(recipients.sms ?? []), ...onTopic])];
}

function missing(endpoint: string, what: string, protocol: 'email' | 'sms'): DeliveryFinding {
  return {
    code: DeliveryFindingCode.SUBSCRIPTION_MISSING,
    endpoint,
    message: `The configured ${what} ${endpoint} has no subscription on the alert topic (it unsubscribed, or SNS deleted it unconfirmed after a few days): it receives nothing. Subscribe it again: aws sns subscribe --topic-arn <AlertTopicArn> --protocol ${protocol} --notification-endpoint ${endpoint}.`,
  };
}

function formatUsd(value: number): string {
  return value.toFixed(2);
}
