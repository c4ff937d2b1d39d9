/**
 * The words of the delivery-path check: what was read about the alert topic and the account's
 * SMS state (the evidence), what is wrong with it (findings), and what one check reports.
 */

/** What can be wrong on the path from an alert to a person. */
export const DeliveryFindingCode = {
  /** A configured e-mail address has not confirmed its subscription for a day or more. */
  SUBSCRIPTION_PENDING: 'SUBSCRIPTION_PENDING',
  /** A configured address or number has no subscription on the topic (unsubscribed, or deleted unconfirmed). */
  SUBSCRIPTION_MISSING: 'SUBSCRIPTION_MISSING',
  /** No e-mail subscription of the topic is confirmed: alarms, digests and these notices reach nobody. */
  NO_CONFIRMED_EMAIL: 'NO_CONFIRMED_EMAIL',
  /** The account is in the SMS sandbox and a number that should get texts is not verified. */
  SMS_NUMBER_NOT_VERIFIED: 'SMS_NUMBER_NOT_VERIFIED',
  /** This month's SMS spend has reached {@link SMS_SPEND_WARN_RATIO} of the account's limit. */
  SMS_SPEND_NEAR_LIMIT: 'SMS_SPEND_NEAR_LIMIT',
  /** Texts are expected but the account logs no SMS delivery status: a dropped text leaves no trace. */
  SMS_DELIVERY_LOGGING_OFF: 'SMS_DELIVERY_LOGGING_OFF',
} as const;
export type DeliveryFindingCode = (typeof DeliveryFindingCode)[keyof typeof DeliveryFindingCode];

/** The share of the monthly SMS spend limit from which the check warns. */
export const SMS_SPEND_WARN_RATIO = 0.8;

/** How long a configured address may stay pending before the check alerts: a day. */
export const PENDING_GRACE_MS = 24 * 3_600_000;

/** SNS's monthly SMS spend limit when the account never set one, in USD. */
export const DEFAULT_SMS_SPEND_LIMIT_USD = 1;

/** One thing wrong on the delivery path. */
export interface DeliveryFinding {
  readonly code: DeliveryFindingCode;
  /** The address or number concerned, when there is one. */
  readonly endpoint?: string;
  /** What is wrong and what to do, in plain words. */
  readonly message: string;
}

/** One subscription of the topic, as ListSubscriptionsByTopic returns it. */
export interface TopicSubscription {
  /** `email`, `email-json`, `sms`, `https`, `lambda`… */
  readonly protocol: string;
  readonly endpoint: string;
  /** `false` while the subscription ARN is `PendingConfirmation`. */
  readonly confirmed: boolean;
}

/** A read that gave an answer, or the AWS API and the error code it failed with. */
export type DeliveryRead<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly api: string; readonly code: string };

/** The account's SMS sandbox: whether it is in it, and each sandbox number's status. */
export interface SmsSandbox {
  readonly inSandbox: boolean;
  /** Sandbox numbers by E.164 number: `Verified` or `Pending`. Empty outside the sandbox (not read). */
  readonly numbers: ReadonlyMap<string, string>;
}

/** Everything the check read. The SMS reads are left out when nobody gets texts. */
export interface DeliveryEvidence {
  readonly subscriptions: DeliveryRead<readonly TopicSubscription[]>;
  readonly sms?: {
    readonly sandbox: DeliveryRead<SmsSandbox>;
    /** `MonthlySpendLimit` in USD; `undefined` when the account never set one. */
    readonly spendLimitUsd: DeliveryRead<number | undefined>;
    /** `DeliveryStatusIAMRole`: the role SNS logs SMS deliveries with; `undefined` when logging is off. Read with the limit. */
    readonly deliveryStatusRole?: DeliveryRead<string | undefined>;
    /** `SMSMonthToDateSpentUSD` this calendar month (UTC); 0 without a datapoint. */
    readonly spentUsd: DeliveryRead<number>;
  };
}

/** A subscription as the report lists it. */
export interface SubscriptionStatus {
  readonly protocol: string;
  readonly endpoint: string;
  /** `confirmed` (live), `pending` (waits for its confirmation link) or, for SMS in the sandbox, `unverified`. */
  readonly status: 'confirmed' | 'pending' | 'unverified';
}

/** The outcome of one delivery-path check. */
export interface DeliveryPathReport {
  /** `false` when a read failed: the parts named in `notChecked` were not judged. */
  readonly checked: boolean;
  /** The reads that failed, e.g. `ListSubscriptionsByTopic: AuthorizationError`. */
  readonly notChecked: readonly string[];
  readonly findings: readonly DeliveryFinding[];
  /** The topic's subscriptions and whether each is live; empty when they could not be read. */
  readonly subscriptions: readonly SubscriptionStatus[];
  /** Whether a delivery-path notice was published (e-mail only). */
  readonly alerted: boolean;
}
