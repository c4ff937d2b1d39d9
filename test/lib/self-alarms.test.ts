import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SelfAlarms } from '../../lib/self-alarms.ts';
import { newApp } from './cdk-app.ts';

function newStack(maxTimeWithoutRun: Duration) {
  const stack = new Stack(newApp(), 'Test');
  const fn = new lambda.Function(stack, 'Function', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
  const deadLetterQueue = new sqs.Queue(stack, 'DeadLetterQueue');
  const scheduleDeadLetterQueue = new sqs.Queue(stack, 'ScheduleDeadLetterQueue');
  const topic = new sns.Topic(stack, 'Topic');
  const alarms = new SelfAlarms(stack, 'SelfAlarms', { function: fn, deadLetterQueue, scheduleDeadLetterQueue, topic, maxTimeWithoutRun });
  return { stack, fn, deadLetterQueue, scheduleDeadLetterQueue, topic, alarms };
}

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

describe('SelfAlarms', () => {
  let built: ReturnType<typeof newStack>;
  let template: Template;
  beforeAll(() => {
    built = newStack(Duration.hours(25));
    template = Template.fromStack(built.stack);
  });

  it('creates exactly four alarms, each notifying the topic on ALARM, and the "did not run" alarm on OK too', () => {
    // Prepare
    const topic = { Ref: built.stack.getLogicalId(built.topic.node.defaultChild as sns.CfnTopic) };

    // Assess
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    expect(Object.keys(alarms)).toHaveLength(4);
    for (const [id, alarm] of Object.entries(alarms)) {
      expect(alarm.Properties.AlarmActions).toEqual([topic]);
      expect(alarm.Properties.OKActions).toEqual(id === built.stack.getLogicalId(built.alarms.missedRunAlarm.node.defaultChild as never) ? [topic] : undefined);
      expect(alarm.Properties.InsufficientDataActions).toBeUndefined();
    }
  });

  it('alarms on one function error in five minutes, with missing data not breaching', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: built.stack.getLogicalId(built.fn.node.defaultChild as lambda.CfnFunction) } }],
      Statistic: 'Sum',
      Period: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when no invocation happened in any hour of maxTimeWithoutRun, with missing data breaching', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Invocations',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: built.stack.getLogicalId(built.fn.node.defaultChild as lambda.CfnFunction) } }],
      Statistic: 'Sum',
      Period: 3600,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 25,
      DatapointsToAlarm: 25,
      TreatMissingData: 'breaching',
    });
  });

  it.each([
    ['DeadLetterQueue', () => built.deadLetterQueue],
    ['ScheduleDeadLetterQueue', () => built.scheduleDeadLetterQueue],
  ])('alarms when one message is visible in the %s', (_name, queue) => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [built.stack.getLogicalId(queue().node.defaultChild as sqs.CfnQueue), 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('describes every alarm so a notification says what broke', () => {
    // Assess
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmDescription: Match.stringLikeRegexp('DocSpace backup monitor') });
  });

  it.each([
    [Duration.minutes(90), '1.5'],
    [Duration.minutes(30), '0.5'],
    [Duration.hours(169), '169'],
  ])('fails when maxTimeWithoutRun is not a whole number of hours from 1 to 168 (%s)', (maxTimeWithoutRun, hours) => {
    // Act
    const build = () => newStack(maxTimeWithoutRun);

    // Assess
    expect(build).toThrow(
      `maxTimeWithoutRun must be a whole number of hours from 1 to 168 (7 days, the CloudWatch alarm limit), got ${hours} hours`,
    );
  });
});
