import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionEnv, MONTHLY_REPORT_ACTION } from '../../lib/constants.ts';
import { DocSpaceBackupMonitor } from '../../lib/docspace-backup-monitor.ts';
import { minimalConfig, newApp } from './cdk-app.ts';

interface Built {
  readonly stack: Stack;
  readonly monitor: DocSpaceBackupMonitor;
  readonly template: Template;
}

function build(overrides: Record<string, unknown> = {}): Built {
  const stack = new Stack(newApp(), 'Test');
  const monitor = new DocSpaceBackupMonitor(stack, 'Monitor', { config: minimalConfig(overrides) });
  return { stack, monitor, template: Template.fromStack(stack) };
}

function ref(built: Built, construct: { node: { defaultChild?: unknown } }): string {
  return built.stack.getLogicalId(construct.node.defaultChild as never);
}

/** Every statement of the function role's policies that names an S3 action. */
function s3Statements(built: Built): unknown[] {
  return Object.values(built.template.findResources('AWS::IAM::Policy'))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
    .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('s3:')));
}

let defaults: Built;
let locked: Built;

beforeAll(() => {
  defaults = build();
  locked = build({ archive: { retentionDays: 2555, objectLockDays: 2555, monthlyReport: true } });
});

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

describe('DocSpaceBackupMonitor report archive', () => {
  it('keeps reports in a versioned bucket encrypted with its own rotated KMS key, never public, retained with the stack', () => {
    // Assess
    const keyId = defaults.stack.getLogicalId(defaults.monitor.node.findChild('ReportArchive').node.findChild('Key').node.defaultChild as never);
    defaults.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp('archived run reports') });
    defaults.template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } },
          ],
        },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        ObjectLockEnabled: Match.absent(),
      },
    });
  });

  it('refuses requests without TLS 1.2 in the bucket policy', () => {
    // Assess
    defaults.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: ref(defaults, defaults.monitor.reportBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  it('expires reports after 400 days by default, and after archive.retentionDays when set', () => {
    // Assess
    const rule = (days: number) => ({
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Id: 'ExpireReports', Prefix: 'reports/', Status: 'Enabled', ExpirationInDays: days, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
        ]),
      },
    });
    defaults.template.hasResourceProperties('AWS::S3::Bucket', rule(400));
    locked.template.hasResourceProperties('AWS::S3::Bucket', rule(2555));
  });

  it('locks each report in compliance mode for archive.objectLockDays', () => {
    // Assess
    locked.template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } } },
    });
  });

  it('lets the function only put reports under reports/, and tells it the bucket', () => {
    // Assess
    const bucket = ref(defaults, defaults.monitor.reportBucket);
    expect(s3Statements(defaults)).toEqual([
      { Action: 's3:PutObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/reports/*']] } },
    ]);
    defaults.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [FunctionEnv.REPORT_BUCKET_NAME]: { Ref: bucket } }) },
    });
  });

  it('sends the monthly report on the 1st at 08:00 UTC only with archive.monthlyReport, and lets the function read reports then', () => {
    // Assess
    expect(defaults.monitor.monthlyReportSchedule).toBeUndefined();
    defaults.template.resourcePropertiesCountIs('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 8 1 * ? *)' }, 0);
    locked.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 1 * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      Target: Match.objectLike({ Input: JSON.stringify({ action: MONTHLY_REPORT_ACTION, scheduledTime: '<aws.scheduler.scheduled-time>' }) }),
    });
    const bucket = ref(locked, locked.monitor.reportBucket);
    expect(s3Statements(locked)).toEqual([
      { Action: ['s3:GetObject', 's3:PutObject'], Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/reports/*']] } },
      { Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['reports/*'] } }, Effect: 'Allow', Resource: { 'Fn::GetAtt': [bucket, 'Arn'] } },
    ]);
  });
});
