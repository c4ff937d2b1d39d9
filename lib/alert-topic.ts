/**
 * The alert topic: encrypted with its own key, which this account's CloudWatch alarms may use,
 * the e-mail and SMS subscriptions (SMS filtered by severity and state), and the function's
 * permission to publish through SNS only.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { MonitorConfig } from '../functions/check/config.ts';
import { NoticeState } from '../functions/check/notify/types.ts';
import { SEVERITY_ATTRIBUTE, STATE_ATTRIBUTE } from './constants.ts';

/** Severities, worst first: an SMS goes out for `smsMinSeverity` and everything worse. */
const SEVERITIES_WORST_FIRST = ['critical', 'warning'] as const;

/** Notices every SMS subscription gets; `resolved` only with `notifications.smsResolved`. */
const SMS_STATES = [NoticeState.FIRING, NoticeState.REMINDER] as const;

/** A rotated key for the topic, which this account's CloudWatch alarms may use to publish. */
export function newTopicKey(scope: Construct): kms.Key {
  const key = new kms.Key(scope, 'TopicKey', {
    description: 'Encrypts the DocSpace backup monitor alert topic',
    enableKeyRotation: true,
    // Nothing outlives the topic; a retained key would bill forever. Deletion waits 30 days.
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(30),
  });
  // Without this, CloudWatch cannot publish alarm notifications to the encrypted topic and they
  // are dropped silently (the AWS-managed aws/sns key cannot be granted to CloudWatch at all).
  // Only on behalf of this account's alarms (the confused-deputy conditions AWS documents for
  // service principals on an encrypted topic's key), like the topic policy below.
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToUseTheKey',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: cloudWatchAlarmsOfThisAccount(Stack.of(scope)),
    }),
  );
  return key;
}

/** The topic, TLS only, which this account's CloudWatch alarms may publish to. */
export function newTopic(scope: Construct, key: kms.IKey): sns.Topic {
  const topic = new sns.Topic(scope, 'AlertTopic', { masterKey: key, enforceSSL: true });
  const stack = Stack.of(scope);
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsOfThisAccount',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: cloudWatchAlarmsOfThisAccount(stack),
    }),
  );
  return topic;
}

/** Conditions that limit the CloudWatch service principal to acting for this account's alarms. */
function cloudWatchAlarmsOfThisAccount(stack: Stack): Record<string, Record<string, string>> {
  return {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
  };
}

/**
 * `sns:Publish` on the topic and, when it is encrypted with a key the construct knows, the two
 * key actions SNS needs for a publisher (`kms:GenerateDataKey*`, `kms:Decrypt`) on that key,
 * only through SNS in the stack's region (`kms:ViaService`): the role cannot use the key directly.
 * `topic.grantPublish` would grant the key actions without that condition.
 */
export function grantPublishAlerts(role: iam.Role, topic: sns.ITopic): void {
  role.addToPolicy(new iam.PolicyStatement({ sid: 'PublishAlerts', actions: ['sns:Publish'], resources: [topic.topicArn] }));
  if (topic.masterKey === undefined) return;
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'EncryptAlertsThroughSns',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: [topic.masterKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `sns.${Stack.of(role).region}.amazonaws.com` } },
    }),
  );
}

/**
 * E-mail gets everything: notices, the digest, the test alert and self-alarms. SMS gets notices
 * whose `severity` attribute is `smsMinSeverity` or worse AND whose `state` attribute is
 * `firing` or `reminder` (or `resolved`, with `notifications.smsResolved`). CloudWatch alarm
 * notifications carry no message attributes, and an attribute filter never matches a message
 * without attributes (not even with `exists: false`), so self-alarms reach e-mail only: they
 * mean "the monitor needs fixing", not "a backup is missing", and can wait for working hours.
 * The digest's `state` is none of these, so it reaches e-mail only too.
 */
export function addSubscriptions(topic: sns.ITopic, config: MonitorConfig): void {
  const alerts = config.alerts ?? {};
  for (const address of alerts.email ?? []) topic.addSubscription(new EmailSubscription(address));
  const minSeverity = alerts.smsMinSeverity ?? 'critical';
  const severities = SEVERITIES_WORST_FIRST.slice(0, SEVERITIES_WORST_FIRST.indexOf(minSeverity) + 1);
  const states: string[] = [...SMS_STATES];
  if (config.notifications?.smsResolved === true) states.push(NoticeState.RESOLVED);
  for (const phone of alerts.sms ?? []) {
    topic.addSubscription(
      new SmsSubscription(phone, {
        filterPolicy: {
          [SEVERITY_ATTRIBUTE]: sns.SubscriptionFilter.stringFilter({ allowlist: [...severities] }),
          [STATE_ATTRIBUTE]: sns.SubscriptionFilter.stringFilter({ allowlist: states }),
        },
      }),
    );
  }
}
