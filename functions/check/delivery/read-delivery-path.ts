/**
 * The reads of the delivery-path check, and nothing else: the topic's subscriptions
 * (`sns:ListSubscriptionsByTopic`), and when anybody gets texts, the account's SMS sandbox state
 * (`sns:GetSMSSandboxAccountStatus`, `sns:ListSMSSandboxPhoneNumbers`), its monthly spend limit
 * and SMS delivery status role (`sns:GetSMSAttributes`) and this month's spend (`cloudwatch:GetMetricData` on
 * `AWS/SNS SMSMonthToDateSpentUSD`). Each read fails on its own, as its API and error code; none
 * throws.
 */
import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  GetSMSAttributesCommand,
  GetSMSSandboxAccountStatusCommand,
  ListSMSSandboxPhoneNumbersCommand,
  ListSubscriptionsByTopicCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { awsErrorCode } from '../aws-error-code.ts';
import type { DeliveryEvidence, DeliveryRead, SmsSandbox, TopicSubscription } from './types.ts';

/** The SNS API name of the spend limit attribute. */
export const MONTHLY_SPEND_LIMIT_ATTRIBUTE = 'MonthlySpendLimit';
/** The SNS API name of the attribute naming the role SNS logs SMS deliveries with (account-wide). */
export const DELIVERY_STATUS_ROLE_ATTRIBUTE = 'DeliveryStatusIAMRole';
/** Where SNS reports this month's SMS spend. */
export const SMS_SPEND_METRIC = { namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD' } as const;
/** The subscription ARN SNS lists for a subscription that waits for its confirmation. */
export const PENDING_CONFIRMATION = 'PendingConfirmation';
/** The most pages one list is read to (100 subscriptions or sandbox numbers a page). */
export const MAX_LIST_PAGES = 20;

/** The clients the reads go through. */
export interface DeliveryPathClients {
  readonly sns: SNSClient;
  readonly cloudWatch: CloudWatchClient;
}

/**
 * Reads the delivery path of `topicArn`.
 *
 * @param clients - the SNS and CloudWatch clients
 * @param topicArn - the alert topic
 * @param options.sms - whether texts are expected (configured numbers); SMS subscriptions found on the topic count too
 * @param options.now - this month's spend is read from the first of the month (UTC) to `now`
 * @example
 * const evidence = await readDeliveryPath({ sns, cloudWatch }, topicArn, { sms: true, now: new Date() });
 */
export async function readDeliveryPath(clients: DeliveryPathClients, topicArn: string, options: { readonly sms: boolean; readonly now: Date }): Promise<DeliveryEvidence> {
  const subscriptions = await read('ListSubscriptionsByTopic', () => listSubscriptions(clients.sns, topicArn));
  const smsOnTopic = subscriptions.ok && subscriptions.value.some((subscription) => subscription.protocol === 'sms');
  if (!options.sms && !smsOnTopic) return { subscriptions };
  const [sandbox, attributes, spentUsd] = await Promise.all([
    readSandbox(clients.sns),
    read('GetSMSAttributes', () => smsAttributes(clients.sns)),
    read('GetMetricData', () => monthToDateSpend(clients.cloudWatch, options.now)),
  ]);
  const spendLimitUsd: DeliveryRead<number | undefined> = attributes.ok ? { ok: true, value: attributes.value.spendLimitUsd } : attributes;
  const deliveryStatusRole: DeliveryRead<string | undefined> = attributes.ok ? { ok: true, value: attributes.value.deliveryStatusRole } : attributes;
  return { subscriptions, sms: { sandbox, spendLimitUsd, deliveryStatusRole, spentUsd } };
}

async function read<T>(api: string, call: () => Promise<T>): Promise<DeliveryRead<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, api, code: awsErrorCode(error) };
  }
}

async function listSubscriptions(sns: SNSClient, topicArn: string): Promise<TopicSubscription[]> {
  const subscriptions: TopicSubscription[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
    const answer = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, ...(token === undefined ? {} : { NextToken: token }) }));
    for (const subscription of answer.Subscriptions ?? []) {
      subscriptions.push({
        protocol: subscription.Protocol ?? '',
        endpoint: subscription.Endpoint ?? '',
        confirmed: subscription.SubscriptionArn !== undefined && subscription.SubscriptionArn !== PENDING_CONFIRMATION && subscription.SubscriptionArn.startsWith('arn:'),
      });
    }
    token = answer.NextToken || undefined;
    if (token === undefined) break;
  }
  return subscriptions;
}

/** Whether the account is in the sandbox and, only then, its sandbox numbers (a second read). */
async function readSandbox(sns: SNSClient): Promise<DeliveryRead<SmsSandbox>> {
  const status = await read('GetSMSSandboxAccountStatus', () => sns.send(new GetSMSSandboxAccountStatusCommand({})));
  if (!status.ok) return status;
  if (status.value.IsInSandbox !== true) return { ok: true, value: { inSandbox: false, numbers: new Map() } };
  const numbers = await read('ListSMSSandboxPhoneNumbers', async () => {
    const found = new Map<string, string>();
    let token: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
      const answer = await sns.send(new ListSMSSandboxPhoneNumbersCommand({ MaxResults: 100, ...(token === undefined ? {} : { NextToken: token }) }));
      for (const number of answer.PhoneNumbers ?? []) if (number.PhoneNumber) found.set(number.PhoneNumber, number.Status ?? '');
      token = answer.NextToken || undefined;
      if (token === undefined) break;
    }
    return found;
  });
  return numbers.ok ? { ok: true, value: { inSandbox: true, numbers: numbers.value } } : numbers;
}

/** `MonthlySpendLimit` in USD and `DeliveryStatusIAMRole`, each `undefined` when not set. */
async function smsAttributes(sns: SNSClient): Promise<{ spendLimitUsd?: number; deliveryStatusRole?: string }> {
  const answer = await sns.send(new GetSMSAttributesCommand({ attributes: [MONTHLY_SPEND_LIMIT_ATTRIBUTE, DELIVERY_STATUS_ROLE_ATTRIBUTE] }));
  const role = answer.attributes?.[DELIVERY_STATUS_ROLE_ATTRIBUTE]?.trim();
  const text = answer.attributes?.[MONTHLY_SPEND_LIMIT_ATTRIBUTE];
  const deliveryStatusRole = role === undefined || role === '' ? {} : { deliveryStatusRole: role };
  if (text === undefined || text.trim() === '') return deliveryStatusRole;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw Object.assign(new Error('bad MonthlySpendLimit'), { name: 'UnreadableMonthlySpendLimit' });
  return { spendLimitUsd: value, ...deliveryStatusRole };
}

/** The first instant of `now`'s month, in UTC (SNS's spend month). */
export function startOfMonthUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/**
 * The highest `SMSMonthToDateSpentUSD` since the first of the month (UTC), in hourly maxima:
 * the figure only grows within a month, and SNS reports it only while texts are sent, so the
 * whole month is read rather than the last day. 0 without a datapoint (nothing sent this month).
 */
async function monthToDateSpend(cloudWatch: CloudWatchClient, now: Date): Promise<number> {
  const start = startOfMonthUtc(now);
  if (now.getTime() - start.getTime() < 60_000) return 0;
  const answer = await cloudWatch.send(
    new GetMetricDataCommand({
      StartTime: start,
      EndTime: now,
      MetricDataQueries: [
        {
          Id: 'spend',
          MetricStat: { Metric: { Namespace: SMS_SPEND_METRIC.namespace, MetricName: SMS_SPEND_METRIC.metricName }, Period: 3600, Stat: 'Maximum' },
          ReturnData: true,
        },
      ],
    }),
  );
  const values = answer.MetricDataResults?.find((result) => result.Id === 'spend')?.Values ?? [];
  return values.length === 0 ? 0 : Math.max(...values);
}
