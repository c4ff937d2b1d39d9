import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type MonitorConfig } from '../../functions/check/config.ts';
import { STATE_TABLE_ACTIONS } from '../../functions/check/state/state-table.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lib/constants.ts';
import { groupParameterNames } from '../../lib/api-key-grants.ts';
import { assertLocalEsbuild, DocSpaceBackupMonitor, type DocSpaceBackupMonitorProps } from '../../lib/docspace-backup-monitor.ts';
import { fullConfig, minimalConfig, newApp, PORTAL_KEY_ARN } from './cdk-app.ts';

interface Built {
  readonly stack: Stack;
  readonly monitor: DocSpaceBackupMonitor;
  readonly template: Template;
}

/** Builds a monitor in a fresh stack; `props` may be a function of the stack, to import resources into it. */
function build(props: DocSpaceBackupMonitorProps | ((stack: Stack) => DocSpaceBackupMonitorProps)): Built {
  const stack = new Stack(newApp(), 'Test');
  const monitor = new DocSpaceBackupMonitor(stack, 'Monitor', typeof props === 'function' ? props(stack) : props);
  return { stack, monitor, template: Template.fromStack(stack) };
}

/** A table a team brings along, from another stack or made by hand. */
const OWN_TABLE_ARN = 'arn:aws:dynamodb:eu-central-1:123456789012:table/team-backup-state';

/** Every IAM statement of the template's policies that names a DynamoDB action. */
function dynamodbStatements(template: Template): unknown[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
    .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('dynamodb:')));
}

function logicalId(built: Built, construct: { node: { defaultChild?: unknown } }): string {
  return built.stack.getLogicalId(construct.node.defaultChild as lambda.CfnFunction);
}

function ssmParameterArn(name: string) {
  return {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:parameter/${name}`]],
  };
}

/** `count` portals named `portal-0000`…, each with its key at `/docspace/<name>/api-key` and a time zone. */
function fleet(count: number) {
  return Array.from({ length: count }, (_, index) => {
    const name = `portal-${String(index).padStart(4, '0')}`;
    return { name, url: `https://${name}.onlyoffice.com`, apiKey: { ssmParameter: `/docspace/${name}/api-key` }, timeZone: 'Europe/Berlin' };
  });
}

/** A schedule's target: the check function with `input`, through the schedule role, with Scheduler's retries and dead-letter queue. */
function scheduleTarget(built: Built, input: string) {
  return Match.objectEquals({
    Arn: { 'Fn::GetAtt': [logicalId(built, built.monitor.function), 'Arn'] },
    RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitorScheduleRole'), 'Arn'] },
    Input: input,
    RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
    DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(built, built.monitor.scheduleDeadLetterQueue), 'Arn'] } },
  });
}

/** The bundled handler of a synthesized monitor, read from the cloud assembly. */
function bundledCode(built: Built): string {
  const assembly = built.stack.node.root as unknown as { synth(): { directory: string } };
  const functionResource = built.template.findResources('AWS::Lambda::Function');
  const [code] = Object.values(functionResource).map((resource) => resource.Properties.Code.S3Key as string);
  return readFileSync(join(assembly.synth().directory, `asset.${code?.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
}

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

describe('DocSpaceBackupMonitor', () => {
  let full: Built;
  let defaults: Built;
  /** A given state table, `smsResolved: false` said explicitly, a digest without a zone after a check in Tokyo. */
  let custom: Built;
  beforeAll(() => {
    full = build({ config: fullConfig() });
    defaults = build({ config: minimalConfig({ alerts: { sms: ['+491701234567'] } }) });
    custom = build((stack) => ({
      config: minimalConfig({
        alerts: { sms: ['+491701234567'] },
        notifications: { smsResolved: false },
        checkSchedule: { cron: '0 7 * * ? *', timeZone: 'Asia/Tokyo' },
        digest: { cron: '0 9 1 * ? *' },
      }),
      stateTable: dynamodb.Table.fromTableArn(stack, 'OwnTable', OWN_TABLE_ARN),
    }));
  });

  describe('function', () => {
    it('runs Node.js 24 on arm64 with the chosen memory, timeout and environment', () => {
      // Assess
      full.template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 512,
        Timeout: 600,
        Environment: {
          Variables: Match.objectEquals({
            ALERT_TOPIC_ARN: { Ref: logicalId(full, full.monitor.topic) },
            STATE_TABLE_NAME: { Ref: logicalId(full, full.monitor.stateTable) },
            REPORT_BUCKET_NAME: { Ref: logicalId(full, full.monitor.reportBucket) },
            POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
            POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
          }),
        },
      });
      expect(METRICS_NAMESPACE).toBe('DocSpaceBackupMonitor');
      expect(SERVICE_NAME).toBe('docspace-backup-monitor');
    });

    it('logs JSON at INFO to its own log group, kept three months by default', () => {
      // Assess
      full.template.hasResourceProperties('AWS::Lambda::Function', {
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', LogGroup: { Ref: logicalId(full, full.monitor.logGroup) } },
      });
      full.template.resourceCountIs('AWS::Logs::LogGroup', 1);
      full.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
      full.template.resourceCountIs('Custom::LogRetention', 0);
    });

    it('retries a failed run once, then sends it to the dead-letter queue', () => {
      // Assess
      full.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(full, full.monitor.function) },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(full, full.monitor.deadLetterQueue), 'Arn'] } } },
      });
    });

    it('applies timeout, memory, retries and log retention from props', () => {
      // Prepare
      const config = minimalConfig();

      // Act
      const built = build({ config, timeout: Duration.minutes(15), memorySize: 1024, retryAttempts: 0, logRetention: 365 as logs.RetentionDays });

      // Assess
      built.template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 900, MemorySize: 1024 });
      built.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
      built.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    });
    it('logs to an existing log group when one is given, and may write to it', () => {
      // Act
      const built = build((stack) => ({ config: minimalConfig(), logGroup: new logs.LogGroup(stack, 'TeamLogs', { retention: logs.RetentionDays.ONE_YEAR }) }));

      // Assess
      const teamLogs = built.stack.node.findChild('TeamLogs') as logs.LogGroup;
      expect(built.monitor.logGroup).toBe(teamLogs);
      built.template.resourceCountIs('AWS::Logs::LogGroup', 1);
      built.template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: Match.objectLike({ LogGroup: { Ref: logicalId(built, teamLogs) } }) });
      const writes = Object.values(built.template.findResources('AWS::IAM::Policy'))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
        .filter((statement) => [statement.Action].flat().includes('logs:PutLogEvents'));
      expect(writes).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [logicalId(built, teamLogs), 'Arn'] } })]);
    });
  });

  describe('bundle', () => {
    it('inlines the validated config as text and bundles only the AWS SDK commands the check sends', () => {
      // Act
      const code = bundledCode(full);

      // Assess
      expect(code.startsWith("import { createRequire as __monitorCreateRequire } from 'node:module';")).toBe(true);
      expect(code).not.toContain('process.env.MONITOR_CONFIG_JSON');
      for (const text of ['acme-prod', 'docspace/beta/api-key', 'beta-mirror.onlyoffice.com', '30 6 ? * MON-FRI *', PORTAL_KEY_ARN]) {
        expect(code).toContain(text);
      }
      // Compared as lists, so a failure names the strings rather than printing the bundle.
      expect(code.match(/from\s*"@aws-sdk\/[^"]*"/g) ?? []).toEqual([]);
      expect(['"SSMClient"', '"GetParameters"', '"SNSClient"', '"Publish"', '"DynamoDBClient"'].filter((used) => !code.includes(used))).toEqual([]);
      expect(['"DeleteParameter"', '"SendCommand"', '"PublishBatch"', '"Subscribe"', '"Scan"'].filter((unused) => code.includes(unused))).toEqual([]);
    });

    it('refuses to build without the project\'s esbuild, which Docker bundling could not replace, and names the fix', () => {
      // Act / Assess
      expect(() => assertLocalEsbuild()).not.toThrow();
      expect(() =>
        assertLocalEsbuild(() => {
          throw new Error("Cannot find module 'esbuild'");
        }),
      ).toThrow(/^esbuild is not installed: .*not in Docker\. Run `npm ci` \(or `npm install`\)/);
    });

    it('takes node:http by require, never by an ESM import (which loads Node 24\'s built-in undici)', () => {
      // Act
      const code = bundledCode(full);

      // Assess: no static or dynamic ESM import of it is left; the SDK's go through the shim
      expect(code.match(/from\s*"(node:)?http"|import\(\s*"(node:)?http"\s*\)/g) ?? []).toEqual([]);
      expect(code).toMatch(/exports\s*=\s*\w+\("http"\)/);
    });

    it('bundles a config larger than one command-line argument may be (128 KiB on Linux)', () => {
      // Prepare: 1,000 portals, about 190 KB of JSON, which a `define` on esbuild's command line could not carry
      const config = minimalConfig({ portals: fleet(1000) });
      expect(JSON.stringify(config).length).toBeGreaterThan(128 * 1024);

      // Act
      const code = bundledCode(build({ config }));

      // Assess
      expect(['portal-0000.onlyoffice.com', 'portal-0999.onlyoffice.com', '/docspace/portal-0999/api-key'].filter((text) => !code.includes(text))).toEqual([]);
    });

    it('bundles again when the config changes, so a deploy ships the new config', () => {
      // Prepare
      const changed = minimalConfig({ portals: [{ name: 'acme-prod', url: 'https://acme-new.onlyoffice.com', apiKey: { ssmParameter: '/docspace/acme-prod/api-key' } }] });
      const codeKey = (built: Built) => Object.values(built.template.findResources('AWS::Lambda::Function'))[0]?.Properties.Code.S3Key;

      // Act
      const before = build({ config: minimalConfig() });
      const after = build({ config: changed });

      // Assess
      expect(codeKey(after)).not.toEqual(codeKey(before));
    });

    it('relies on a config that parses to itself (the handler validates it again)', () => {
      // Prepare
      const config: MonitorConfig = fullConfig();

      // Act
      const reparsed = parseConfig(JSON.parse(JSON.stringify(config)));

      // Assess
      expect(reparsed).toEqual(config);
    });
  });

  describe('schedule', () => {
    it('invokes the function on the configured cron and zone, with no flexible window', () => {
      // Assess
      full.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(30 6 ? * MON-FRI *)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: scheduleTarget(full, '{"scheduledTime":"<aws.scheduler.scheduled-time>"}'),
      });
    });

    it('runs daily at 07:00 UTC by default', () => {
      // Assess
      defaults.template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 7 * * ? *)', ScheduleExpressionTimezone: 'UTC' });
    });

    it('asks for the digest on the configured cron and zone, with the check schedule\'s role, dead-letter queue and retries', () => {
      // Assess
      full.template.resourceCountIs('AWS::Scheduler::Schedule', 2);
      expect(full.monitor.digestSchedule).toBeDefined();
      full.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 8 ? * MON *)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: scheduleTarget(full, '{"action":"digest","scheduledTime":"<aws.scheduler.scheduled-time>"}'),
      });
      // The function's, the schedules' and (with texts) SNS's SMS delivery status role.
      full.template.resourceCountIs('AWS::IAM::Role', 3);
    });

    it('asks for the digest in UTC when the digest names no zone, whatever the check\'s zone', () => {
      // Assess
      custom.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 9 1 * ? *)',
        ScheduleExpressionTimezone: 'UTC',
        Target: { Input: '{"action":"digest","scheduledTime":"<aws.scheduler.scheduled-time>"}' },
      });
    });

    it('builds no digest schedule when the config has no digest', () => {
      // Assess
      defaults.template.resourceCountIs('AWS::Scheduler::Schedule', 1);
      defaults.template.hasResourceProperties('AWS::Scheduler::Schedule', { Target: { Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}' } });
      expect(defaults.monitor.digestSchedule).toBeUndefined();
    });

    it('lets only the default schedule group of this account assume its role, to invoke only this function', () => {
      // Assess
      full.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: Match.objectEquals({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { Service: 'scheduler.amazonaws.com' },
              Condition: {
                StringEquals: {
                  'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                  'aws:SourceArn': {
                    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':schedule-group/default']],
                  },
                },
              },
            },
          ],
        }),
      });
      const functionArn = { 'Fn::GetAtt': [logicalId(full, full.monitor.function), 'Arn'] };
      full.template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyName: Match.stringLikeRegexp('^MonitorScheduleRoleDefaultPolicy'),
        PolicyDocument: Match.objectEquals({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [functionArn, { 'Fn::Join': ['', [functionArn, ':*']] }] },
            { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [logicalId(full, full.monitor.scheduleDeadLetterQueue), 'Arn'] } },
          ],
        }),
      });
    });
  });

  describe('state table', () => {
    it('keeps one item per portal in an on-demand table with point-in-time recovery, retained when the stack is deleted', () => {
      // Assess
      full.template.resourceCountIs('AWS::DynamoDB::Table', 1);
      full.template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectEquals({
          KeySchema: [{ AttributeName: 'portal', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'portal', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          // An AWS-owned key: encrypted at rest, at no cost and with no key to grant.
          SSESpecification: { SSEEnabled: false },
        }),
      });
    });

    it('lets the function get, put and delete items of exactly the state table, and nothing else in DynamoDB', () => {
      // Assess
      expect(dynamodbStatements(full.template)).toEqual([
        {
          Sid: 'KeepPortalState',
          Effect: 'Allow',
          Action: [...STATE_TABLE_ACTIONS].sort(),
          Resource: { 'Fn::GetAtt': [logicalId(full, full.monitor.stateTable as dynamodb.Table), 'Arn'] },
        },
      ]);
      // The state store's actions are item reads and writes: never Scan, Query, UpdateTable or a wildcard.
      for (const action of STATE_TABLE_ACTIONS) expect(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem']).toContain(action);
    });

    it('uses a given table, grants on exactly it and builds none', () => {
      // Assess
      custom.template.resourceCountIs('AWS::DynamoDB::Table', 0);
      expect(dynamodbStatements(custom.template)).toEqual([
        { Sid: 'KeepPortalState', Effect: 'Allow', Action: [...STATE_TABLE_ACTIONS].sort(), Resource: OWN_TABLE_ARN },
      ]);
      custom.template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { STATE_TABLE_NAME: 'team-backup-state' } },
      });
    });
  });

  describe('dead-letter queues', () => {
    it.each([['deadLetterQueue'], ['scheduleDeadLetterQueue']] as const)('encrypts the %s, keeps messages 14 days and refuses plain HTTP', (field) => {
      // Prepare
      const queueId = logicalId(full, full.monitor[field] as sqs.Queue);

      // Assess
      expect(full.template.findResources('AWS::SQS::Queue')[queueId]?.Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
      full.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: Match.objectEquals({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Action: 'sqs:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
            },
          ],
        }),
      });
    });
  });

  describe('alert topic', () => {
    it('encrypts the topic with a rotated customer-managed key that CloudWatch alarms may use', () => {
      // Prepare
      const keyId = logicalId(full, full.monitor.topicKey as kms.Key);

      // Assess
      full.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      full.template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            {
              Sid: 'AllowCloudWatchAlarmsToUseTheKey',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Resource: '*',
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']],
                  },
                },
              },
            },
          ]),
        },
      });
    });

    it('refuses plain HTTP and lets only this account\'s CloudWatch alarms publish as a service', () => {
      // Prepare
      const topic = { Ref: logicalId(full, full.monitor.topic) };

      // Assess
      full.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topic],
        PolicyDocument: Match.objectEquals({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AllowPublishThroughSSLOnly',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Resource: topic,
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
            {
              Sid: 'AllowCloudWatchAlarmsOfThisAccount',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: topic,
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']],
                  },
                },
              },
            },
          ],
        }),
      });
    });

    it('subscribes every e-mail address without a filter, so e-mail gets every notice, the digest and the self-alarms', () => {
      // Assess
      full.template.resourceCountIs('AWS::SNS::Subscription', 3);
      for (const address of ['ops@example.com', 'backup-team@example.com']) {
        full.template.hasResourceProperties('AWS::SNS::Subscription', {
          Protocol: 'email',
          Endpoint: address,
          TopicArn: { Ref: logicalId(full, full.monitor.topic) },
          FilterPolicy: Match.absent(),
        });
      }
    });

    it.each([
      ['severity warning or worse, resolved notices too (smsMinSeverity warning, smsResolved true)', () => full, ['critical', 'warning'], ['firing', 'reminder', 'resolved']],
      ['severity critical, no resolved notice (the defaults)', () => defaults, ['critical'], ['firing', 'reminder']],
      ['severity critical, no resolved notice (smsResolved false)', () => custom, ['critical'], ['firing', 'reminder']],
    ])('texts only notices of %s', (_case, built, severities, states) => {
      // Assess
      built().template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'sms',
        Endpoint: '+491701234567',
        FilterPolicy: Match.objectEquals({ severity: severities, state: states }),
        FilterPolicyScope: Match.absent(),
      });
    });

    it('publishes to a given topic and builds no topic or key of its own', () => {
      // Prepare
      const stack = new Stack(newApp(), 'Test');
      const topic = sns.Topic.fromTopicArn(stack, 'Existing', 'arn:aws:sns:eu-central-1:123456789012:ops-alerts');

      // Act
      const monitor = new DocSpaceBackupMonitor(stack, 'Monitor', { config: minimalConfig({ alerts: { email: ['ops@example.com'] } }), alertTopic: topic });

      // Assess
      const template = Template.fromStack(stack);
      expect(monitor.topicKey).toBeUndefined();
      template.resourceCountIs('AWS::SNS::Topic', 0);
      // The one key left encrypts the report archive.
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('archived run reports') });
      template.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: 'arn:aws:sns:eu-central-1:123456789012:ops-alerts', Endpoint: 'ops@example.com' });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([{ Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: 'arn:aws:sns:eu-central-1:123456789012:ops-alerts' }]) },
      });
      template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: ['arn:aws:sns:eu-central-1:123456789012:ops-alerts'] });
    });

    it('warns at synth when no e-mail address would receive the self-alarms', () => {
      // Assess
      Annotations.fromStack(defaults.stack).hasWarning('/Test/Monitor', Match.stringLikeRegexp('^config.alerts.email is empty'));
      expect(Annotations.fromStack(full.stack).findWarning('*', Match.anyValue())).toEqual([]);
    });
  });

  describe('permissions', () => {
    it('grants exactly the configured parameters, the named key via SSM, the state table, the topic and its key via SNS, sending to the dead-letter queue and its own logs', () => {
      // Prepare
      const queue = { 'Fn::GetAtt': [logicalId(full, full.monitor.deadLetterQueue), 'Arn'] };

      // Assess
      full.template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyName: Match.stringLikeRegexp('^MonitorFunctionRoleDefaultPolicy'),
        PolicyDocument: Match.objectEquals({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ReadApiKeys',
              Effect: 'Allow',
              Action: ['ssm:GetParameter', 'ssm:GetParameters'],
              Resource: [ssmParameterArn('docspace/acme-prod/api-key'), ssmParameterArn('docspace/beta/api-key')],
            },
            {
              Sid: 'DecryptApiKeys',
              Effect: 'Allow',
              Action: 'kms:Decrypt',
              Resource: PORTAL_KEY_ARN,
              Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['ssm.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
            },
            {
              Sid: 'KeepPortalState',
              Effect: 'Allow',
              Action: [...STATE_TABLE_ACTIONS].sort(),
              Resource: { 'Fn::GetAtt': [logicalId(full, full.monitor.stateTable as dynamodb.Table), 'Arn'] },
            },
            { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(full, full.monitor.reportBucket), 'Arn'] }, '/reports/*']] } },
            {
              Effect: 'Allow',
              Action: 'kms:GenerateDataKey',
              Resource: { 'Fn::GetAtt': [logicalId(full, full.monitor.node.findChild('ReportArchive').node.findChild('Key')), 'Arn'] },
              Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
            },
            { Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: logicalId(full, full.monitor.topic) } },
            {
              Sid: 'EncryptAlertsThroughSns',
              Effect: 'Allow',
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Resource: { 'Fn::GetAtt': [logicalId(full, full.monitor.topicKey as kms.Key), 'Arn'] },
              Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['sns.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
            },
            { Sid: 'SendFailedRuns', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queue },
            { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logicalId(full, full.monitor.logGroup), 'Arn'] } },
            // The delivery-path check's reads (lib/delivery-path.ts).
            { Sid: 'ReadAlertSubscriptions', Effect: 'Allow', Action: 'sns:ListSubscriptionsByTopic', Resource: { Ref: logicalId(full, full.monitor.topic) } },
            { Sid: 'ReadSmsAccountState', Effect: 'Allow', Action: ['sns:GetSMSAttributes', 'sns:GetSMSSandboxAccountStatus', 'sns:ListSMSSandboxPhoneNumbers'], Resource: '*' },
            { Sid: 'ReadSmsSpend', Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' },
          ],
        }),
      });
    });

    it('grants no key decryption when no portal names a key, and attaches no managed policy', () => {
      // Assess
      const statements = Object.values(defaults.template.findResources('AWS::IAM::Policy')).flatMap(
        (policy) => policy.Properties.PolicyDocument.Statement as { Sid?: string }[],
      );
      expect(statements.some((statement) => statement.Sid === 'DecryptApiKeys')).toBe(false);
      defaults.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] },
        ManagedPolicyArns: Match.absent(),
      });
    });

    it('grants every parameter under apiKeyParameterPath as one ARN, so 1,000 portals fit the role without managed policies', () => {
      // Prepare
      const portals = fleet(1000);

      // Act
      const built = build({ config: minimalConfig({ portals }), apiKeyParameterPath: '/docspace/' });

      // Assess
      const readStatements = Object.values(built.template.findResources('AWS::IAM::Policy'))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Sid?: string; Resource: unknown }[])
        .filter((statement) => statement.Sid?.startsWith('ReadApiKeys'));
      expect(readStatements).toEqual([{ Sid: 'ReadApiKeys', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: ssmParameterArn('docspace/*') }]);
      expect(Object.keys(built.template.findResources('AWS::IAM::ManagedPolicy'))).toEqual([]);
      expect(built.monitor.apiKeyParameterPath).toBe('/docspace/');
    });

    it.each([
      ['docspace/', /must be an SSM parameter path such as "\/docspace\/".*got "docspace\/"/],
      ['/docspace', /must be an SSM parameter path.*got "\/docspace"/],
      ['/docspace/*/', /must be an SSM parameter path.*got "\/docspace\/\*\/"/],
      ['/', /must be an SSM parameter path.*got "\/"/],
      ['/other/', /portals\[0\]\.apiKey\.ssmParameter: must lie under "\/other\/", got "\/docspace\/acme-prod\/api-key"/],
      ['/docspace/acme-prod/', /portals\[1\]\.apiKey\.ssmParameter: must lie under "\/docspace\/acme-prod\/", got "\/docspace\/beta\/api-key"/],
    ])('refuses apiKeyParameterPath %s, saying why', (path, message) => {
      // Act / Assess
      expect(() => build({ config: fullConfig(), apiKeyParameterPath: path })).toThrow(message);
    });

    it('hard-codes no account or region', () => {
      // Act
      const text = JSON.stringify(full.template.toJSON()).replaceAll(PORTAL_KEY_ARN, '');

      // Assess
      expect(full.stack.resolve(full.stack.account)).toEqual({ Ref: 'AWS::AccountId' });
      expect(text.match(/\b(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d\b/g)).toBeNull();
      expect(text.match(/[":]\d{12}[":]/g)).toBeNull();
    });
  });

  describe('self-alarms', () => {
    it.each([
      ['weekdays in Europe/Berlin: weekend, slack and daylight saving time', () => full, 74],
      ['daily in UTC', () => defaults, 25],
    ])('sizes the "did not run" alarm from the schedule (%s)', (_case, built, hours) => {
      // Assess
      built().template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Invocations', EvaluationPeriods: hours, DatapointsToAlarm: hours, Period: 3600 });
    });

    it('publishes every alarm to the alert topic', () => {
      // Assess
      // The four self-alarms and the two on the topic's delivery (lib/delivery-path.ts).
      full.template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
      full.template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: logicalId(full, full.monitor.topic) }] });
    });
  });

  describe('validation', () => {
    it.each([
      ['timeout is under a minute', { timeout: Duration.seconds(30) }, 'timeout must be from 1 to 15 minutes, got 30 seconds'],
      ['timeout is over 15 minutes', { timeout: Duration.minutes(16) }, 'timeout must be from 1 to 15 minutes, got 16 minutes'],
      ['memorySize is under 128', { memorySize: 64 }, 'memorySize must be a whole number of MB from 128 to 10240, got 64'],
      ['memorySize is fractional', { memorySize: 512.5 }, 'memorySize must be a whole number of MB from 128 to 10240, got 512.5'],
      ['retryAttempts is over 2', { retryAttempts: 3 }, 'retryAttempts must be 0, 1 or 2, got 3'],
      ['retryAttempts is negative', { retryAttempts: -1 }, 'retryAttempts must be 0, 1 or 2, got -1'],
      [
        'maxTimeWithoutRun is not whole hours',
        { maxTimeWithoutRun: Duration.minutes(90) },
        'maxTimeWithoutRun must be a whole number of hours from 1 to 168 (7 days), got 1 hour 30 minutes',
      ],
      ['maxTimeWithoutRun is over 7 days', { maxTimeWithoutRun: Duration.days(8) }, 'maxTimeWithoutRun must be a whole number of hours from 1 to 168 (7 days), got 8 days'],
    ] as const)('fails when %s', (_case, props, message) => {
      // Act
      const act = () => new DocSpaceBackupMonitor(new Stack(newApp(), 'Test'), 'Monitor', { config: minimalConfig(), ...props });

      // Assess
      expect(act).toThrow(message);
    });

    it('validates a plain config object with the CLI\'s schema and lists every problem by path, as the CLI does', () => {
      // Prepare
      const config = { portals: [{ name: 'acme-prod', url: 'ftp://acme', apiKey: { ssmParameter: '/docspace/acme-prod/api-key' } }], policy: { graceMinutes: 5 } };
      let cliMessage = '';
      try {
        parseConfig(config, 'monitor.config.json');
      } catch (error) {
        cliMessage = (error as Error).message;
      }

      // Act
      const act = () => new DocSpaceBackupMonitor(new Stack(newApp(), 'Test'), 'Monitor', { config: config as never });

      // Assess
      const problems = cliMessage.split('\n').slice(1);
      expect(problems.length).toBeGreaterThanOrEqual(2);
      expect(act).toThrow(`invalid config (the config prop of Test/Monitor):\n${problems.join('\n')}`);
    });

    it('fails when logRetention is given with an existing logGroup, whose retention is its owner\'s', () => {
      // Act
      const act = () =>
        build((stack) => ({ config: minimalConfig(), logGroup: new logs.LogGroup(stack, 'Own'), logRetention: logs.RetentionDays.ONE_WEEK }));

      // Assess
      expect(act).toThrow('logRetention applies only to the log group the construct creates: with logGroup, set the retention on that group');
    });

    it('fails when digests are closer together than the "did not run" alarm waits, so a digest cannot hide a stopped check', () => {
      // Prepare
      const config = minimalConfig({ digest: { cron: '0 8 * * ? *' } });

      // Act
      const act = () => new DocSpaceBackupMonitor(new Stack(newApp(), 'Test'), 'Monitor', { config });

      // Assess
      expect(act).toThrow(/^config cannot be deployed:\n {2}- digest\.cron: must run at least 26 hours apart when deployed/);
    });

    it('fails when a portal cannot be deployed, naming it by path', () => {
      // Prepare
      const config = parseConfig({ portals: [{ name: 'cli-only', url: 'https://a.example', apiKey: { env: 'ACME_KEY' } }] });

      // Act
      const act = () => new DocSpaceBackupMonitor(new Stack(newApp(), 'Test'), 'Monitor', { config });

      // Assess
      expect(act).toThrow(/^config cannot be deployed:\n {2}- portals\[0\]\.apiKey: must name an SSM parameter/);
    });
  });
});

describe('groupParameterNames', () => {
  it('keeps a short list in one group', () => {
    // Act
    const groups = groupParameterNames(['a', 'b', 'c']);

    // Assess
    expect(groups).toEqual([['a', 'b', 'c']]);
  });

  it('starts a new group before a group would outgrow the limit, keeping the order', () => {
    // Prepare
    const names = Array.from({ length: 5 }, (_, index) => `docspace/portal-${index}/api-key`);
    const perName = 'arn:aws-iso-b:ssm:ap-southeast-5:123456789012:parameter/'.length + 3 + names[0]!.length;

    // Act
    const groups = groupParameterNames(names, perName * 2);

    // Assess
    expect(groups).toEqual([names.slice(0, 2), names.slice(2, 4), names.slice(4)]);
  });

  it('puts a name longer than the limit in a group of its own', () => {
    // Act
    const groups = groupParameterNames(['x'.repeat(100), 'y'], 50);

    // Assess
    expect(groups).toEqual([['x'.repeat(100)], ['y']]);
  });
});
