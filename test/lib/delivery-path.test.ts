import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import type { MonitorConfig } from '../../functions/check/config.ts';
import { DeliveryPath } from '../../lib/delivery-path.ts';
import { grantReadHeartbeatUrl } from '../../lib/heartbeat-grant.ts';
import { minimalConfig, newApp } from './cdk-app.ts';

interface Built {
  readonly template: Template;
  readonly stack: Stack;
  readonly topic: sns.Topic;
  readonly role: iam.Role;
  readonly deliveryPath: DeliveryPath;
}

function build(config: MonitorConfig): Built {
  const stack = new Stack(newApp(), 'Test');
  const topic = new sns.Topic(stack, 'Topic');
  const role = new iam.Role(stack, 'FunctionRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const deliveryPath = new DeliveryPath(stack, 'DeliveryPath', { config, topic, functionRole: role });
  grantReadHeartbeatUrl(role, config);
  return { template: Template.fromStack(stack), stack, topic, role, deliveryPath };
}

function statementsOf(built: Built, roleId: string): { Sid?: string; Action: unknown; Resource: unknown }[] {
  return Object.values(built.template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref.startsWith(roleId)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

const withTexts = () => minimalConfig({ alerts: { email: ['ops@acme.example'], sms: ['+491701234567'] } });

describe('DeliveryPath', () => {
  it('alarms on any failed notification and any notification dropped for invalid attributes, publishing to the topic', () => {
    // Act
    const built = build(minimalConfig());

    // Assess
    const topicName = { 'Fn::GetAtt': [built.stack.getLogicalId(built.topic.node.defaultChild as sns.CfnTopic), 'TopicName'] };
    for (const metricName of ['NumberOfNotificationsFailed', 'NumberOfNotificationsFilteredOut-InvalidAttributes'])
      built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SNS',
        MetricName: metricName,
        Dimensions: [{ Name: 'TopicName', Value: topicName }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: built.stack.getLogicalId(built.topic.node.defaultChild as sns.CfnTopic) }],
      });
    built.template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    expect(built.deliveryPath.alarms).toEqual([built.deliveryPath.notificationsFailedAlarm, built.deliveryPath.invalidAttributesAlarm]);
  });

  it('makes a role only SNS of this account may assume, writing only the SMS delivery status log groups, when texts are configured', () => {
    // Act
    const built = build(withTexts());

    // Assess
    expect(built.deliveryPath.smsDeliveryStatusRole).toBeDefined();
    built.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }],
      },
    });
    const [statement] = statementsOf(built, 'DeliveryPathSmsDeliveryStatusRole');
    expect(statement).toMatchObject({
      Sid: 'WriteSmsDeliveryStatusLogs',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:PutMetricFilter', 'logs:PutRetentionPolicy'],
    });
    const resources = (statement!.Resource as { 'Fn::Join': [string, unknown[]] }[]).map((arn) => arn['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : `<${Object.values(part as object)[0]}>`)).join(''));
    expect(resources.sort()).toEqual([
      'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber',
      'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber/Failure',
      'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber/Failure:log-stream:*',
      'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber:log-stream:*',
    ]);
  });

  it('grants the function the subscriptions of the topic, the SMS state and the SMS spend, and nothing else, when texts are configured', () => {
    // Act
    const built = build(withTexts());

    // Assess
    expect(statementsOf(built, 'FunctionRole')).toEqual([
      { Sid: 'ReadAlertSubscriptions', Effect: 'Allow', Action: 'sns:ListSubscriptionsByTopic', Resource: { Ref: built.stack.getLogicalId(built.topic.node.defaultChild as sns.CfnTopic) } },
      { Sid: 'ReadSmsAccountState', Effect: 'Allow', Action: ['sns:GetSMSAttributes', 'sns:GetSMSSandboxAccountStatus', 'sns:ListSMSSandboxPhoneNumbers'], Resource: '*' },
      { Sid: 'ReadSmsSpend', Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' },
    ]);
  });

  it('grants only the subscriptions with e-mail recipients alone, and makes no SMS role', () => {
    // Act
    const built = build(minimalConfig({ alerts: { email: ['ops@acme.example'] } }));

    // Assess
    expect(statementsOf(built, 'FunctionRole').map((statement) => statement.Sid)).toEqual(['ReadAlertSubscriptions']);
    expect(built.deliveryPath.smsDeliveryStatusRole).toBeUndefined();
    built.template.resourceCountIs('AWS::IAM::Role', 1);
  });

  it('grants nothing without recipients: the check does not run', () => {
    // Act
    const built = build(minimalConfig());

    // Assess
    expect(statementsOf(built, 'FunctionRole')).toEqual([]);
  });
});

describe('grantReadHeartbeatUrl', () => {
  it('grants ssm:GetParameter on exactly the heartbeat\'s parameter', () => {
    // Act
    const built = build(minimalConfig({ heartbeat: { ssmParameter: '/docspace/monitor/heartbeat-url' } }));

    // Assess
    built.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ReadHeartbeatUrl',
            Effect: 'Allow',
            Action: 'ssm:GetParameter',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':parameter/docspace/monitor/heartbeat-url']] },
          },
        ]),
      },
    });
  });

  it('grants nothing for a URL written in the config', () => {
    // Act
    const built = build(minimalConfig({ heartbeat: { url: 'https://hc-ping.com/abc' } }));

    // Assess
    expect(statementsOf(built, 'FunctionRole')).toEqual([]);
  });
});
