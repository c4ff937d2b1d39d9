/**
 * The delivery path watched from AWS: alarms on the alert topic's own SNS metrics, the role SNS
 * logs SMS deliveries with, and the reads the function's delivery-path check needs
 * (functions/check/delivery/), granted exactly.
 *
 * The alarms publish to the alert topic they watch. A topic that cannot deliver at all silences
 * them too; that case is covered elsewhere, not by a second topic (whose subscriptions would need
 * confirming twice and would share the account, the region and, likely, the broken cause): the
 * dashboard shows every alarm's state whatever the topic does, a Publish that fails fails the run
 * and pings the heartbeat's `/fail` outside AWS, and the check pings `/fail` when no e-mail
 * subscription is confirmed. What these alarms add is the partial failure: SMS that SNS accepted
 * and could not hand over, or a notice dropped by a subscription's filter, while e-mail works.
 */
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { MonitorConfig } from '../functions/check/config.ts';

/** Period of the delivery alarms. */
export const DELIVERY_ALARM_PERIOD = Duration.minutes(5);

/** The log groups SNS writes SMS delivery status to, under `sns/<region>/<account>/`. */
export const SMS_DELIVERY_LOG_GROUPS = ['DirectPublishToPhoneNumber', 'DirectPublishToPhoneNumber/Failure'] as const;

/** The SNS reads of the account's SMS state; none of them takes a resource, so they are granted on `*`. */
export const SMS_STATE_ACTIONS = ['sns:GetSMSAttributes', 'sns:GetSMSSandboxAccountStatus', 'sns:ListSMSSandboxPhoneNumbers'] as const;

/** What {@link DeliveryPath} watches and grants. */
export interface DeliveryPathProps {
  /** The validated config: its `alerts` say whether the check runs and whether texts are expected. */
  readonly config: MonitorConfig;
  /** The alert topic. */
  readonly topic: sns.ITopic;
  /** The check function's role, granted the delivery-path reads. */
  readonly functionRole: iam.IRole;
}

/**
 * Two alarms on the alert topic (`NumberOfNotificationsFailed >= 1`,
 * `NumberOfNotificationsFilteredOut-InvalidAttributes >= 1`), a role for SNS's SMS delivery
 * status logs when texts are configured, and the function's reads: `sns:ListSubscriptionsByTopic`
 * on the topic when the config names recipients, and with texts the SMS state
 * ({@link SMS_STATE_ACTIONS}) and `cloudwatch:GetMetricData` (for `SMSMonthToDateSpentUSD`).
 */
export class DeliveryPath extends Construct {
  /** SNS could not deliver a notification to a subscriber (an SMS carrier refused it, say). */
  public readonly notificationsFailedAlarm: cloudwatch.Alarm;
  /** A notification was dropped by a subscription's filter because its attributes were invalid. */
  public readonly invalidAttributesAlarm: cloudwatch.Alarm;
  /**
   * The role SNS writes SMS delivery status logs with; `undefined` without `alerts.sms`. SMS
   * delivery status logging is an account setting (`SetSMSAttributes`), not a topic attribute,
   * so the deployer switches it on with this role (README, deploy step 3).
   */
  public readonly smsDeliveryStatusRole?: iam.Role;
  /** Whether the function was granted the SMS-state reads (on `*`: they take no resource). */
  public readonly readsSmsState: boolean = false;

  public constructor(scope: Construct, id: string, props: DeliveryPathProps) {
    super(scope, id);
    const { topic, config } = props;
    const action = new SnsAction(topic);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      return created;
    };
    this.notificationsFailedAlarm = alarm(
      'NotificationsFailed',
      topic.metricNumberOfNotificationsFailed({ period: DELIVERY_ALARM_PERIOD, statistic: cloudwatch.Stats.SUM }),
      'SNS could not deliver a DocSpace backup monitor notification to a subscriber. For texts, read the SMS delivery status logs (log groups sns/<region>/<account>/DirectPublishToPhoneNumber/Failure).',
    );
    this.invalidAttributesAlarm = alarm(
      'NotificationsFilteredOutInvalidAttributes',
      topic.metricNumberOfNotificationsFilteredOutInvalidAttributes({ period: DELIVERY_ALARM_PERIOD, statistic: cloudwatch.Stats.SUM }),
      'A DocSpace backup monitor notification was dropped by a subscription filter policy because its message attributes were invalid: a subscriber missed an alert.',
    );

    const emails = config.alerts?.email ?? [];
    const phones = config.alerts?.sms ?? [];
    if (emails.length === 0 && phones.length === 0) return;
    props.functionRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadAlertSubscriptions', actions: ['sns:ListSubscriptionsByTopic'], resources: [topic.topicArn] }));
    if (phones.length === 0) return;
    props.functionRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadSmsAccountState', actions: [...SMS_STATE_ACTIONS], resources: ['*'] }));
    props.functionRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadSmsSpend', actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
    this.readsSmsState = true;
    this.smsDeliveryStatusRole = smsDeliveryStatusRole(this);
  }

  /** The alarms, for the dashboard. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [this.notificationsFailedAlarm, this.invalidAttributesAlarm];
  }
}

/** A role only SNS of this account may assume, writing only to the SMS delivery status log groups. */
function smsDeliveryStatusRole(scope: Construct): iam.Role {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'SmsDeliveryStatusRole', {
    description: 'DocSpace backup monitor: lets SNS write SMS delivery status logs (set as the account\'s DeliveryStatusIAMRole)',
    assumedBy: new iam.ServicePrincipal('sns.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
  });
  const groups = SMS_DELIVERY_LOG_GROUPS.map((name) =>
    stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: `sns/${stack.region}/${stack.account}/${name}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'WriteSmsDeliveryStatusLogs',
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:PutMetricFilter', 'logs:PutRetentionPolicy'],
      resources: [...groups, ...groups.map((group) => `${group}:log-stream:*`)],
    }),
  );
  return role;
}

/**
 * Acknowledges the AwsSolutions findings a {@link DeliveryPath} raises by design, each with its
 * reason (called by `acknowledgeNagFindings`).
 *
 * @param deliveryPath - the monitor's delivery path
 * @param functionRole - the check function's role
 */
export function acknowledgeDeliveryPathFindings(deliveryPath: DeliveryPath, functionRole: iam.IRole): void {
  if (deliveryPath.readsSmsState)
    Validations.of(functionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "The delivery-path check reads the account's SMS state (sns:GetSMSAttributes, sns:GetSMSSandboxAccountStatus, sns:ListSMSSandboxPhoneNumbers) and SMS spend (cloudwatch:GetMetricData); none of these actions takes a resource or a condition that narrows it, and all are reads.",
    });
  const role = deliveryPath.smsDeliveryStatusRole;
  if (role === undefined) return;
  for (const group of SMS_DELIVERY_LOG_GROUPS)
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/${group}:log-stream:*]`,
      reason: 'SNS names the log streams of its SMS delivery status logs itself; the role may write the streams of this one SNS log group only.',
    });
}
