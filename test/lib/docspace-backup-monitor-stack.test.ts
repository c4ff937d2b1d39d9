import { Stack, Validations, type App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocSpaceBackupMonitor } from '../../lib/docspace-backup-monitor.ts';
import { DocSpaceBackupMonitorStack } from '../../lib/docspace-backup-monitor-stack.ts';
import { fullConfig, minimalConfig, newApp } from './cdk-app.ts';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every acknowledgement recorded under `scope`, with the construct it was made on. */
function acknowledgements(scope: IConstruct): Acknowledgement[] {
  const found: Acknowledgement[] = [];
  for (const construct of scope.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return found;
}

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

describe('DocSpaceBackupMonitorStack', () => {
  let app: App;
  let stack: DocSpaceBackupMonitorStack;
  let nag: AwsSolutionsChecks;
  beforeAll(() => {
    app = newApp();
    stack = new DocSpaceBackupMonitorStack(app, 'DocSpaceBackupMonitor', { config: fullConfig() });
    nag = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(nag);
  });

  it('synthesizes with the AwsSolutions checks and no unacknowledged finding', () => {
    // Act
    const synth = () => app.synth();
    const report = () => nag.validateScope(app);

    // Assess
    expect(synth).not.toThrow();
    expect(report().violations.map((violation) => `${violation.severity} ${violation.ruleName}`)).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    // Act
    const found = acknowledgements(stack);

    // Assess
    expect(found.map(({ path, id }) => `${path} ${id}`).sort()).toEqual([
      `DocSpaceBackupMonitor/Monitor AwsSolutions-IAM5[Resource::<MonitorFunction39E4128B.Arn>:*]`,
      'DocSpaceBackupMonitor/Monitor/DeadLetterQueue AwsSolutions-SQS3',
      'DocSpaceBackupMonitor/Monitor/DeliveryPath/SmsDeliveryStatusRole AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber/Failure:log-stream:*]',
      'DocSpaceBackupMonitor/Monitor/DeliveryPath/SmsDeliveryStatusRole AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber:log-stream:*]',
      'DocSpaceBackupMonitor/Monitor/FunctionRole AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'DocSpaceBackupMonitor/Monitor/FunctionRole AwsSolutions-IAM5[Resource::*]',
      `DocSpaceBackupMonitor/Monitor/FunctionRole AwsSolutions-IAM5[Resource::<${stack.getLogicalId(stack.monitor.reportBucket.node.defaultChild as never)}.Arn>/reports/*]`,
      'DocSpaceBackupMonitor/Monitor/ReportArchive/Bucket AwsSolutions-S1',
      'DocSpaceBackupMonitor/Monitor/ScheduleDeadLetterQueue AwsSolutions-SQS3',
    ]);
    for (const { id, reason } of found) expect(reason.length, id).toBeGreaterThan(40);
  });

  it('outputs the topic ARN, the function name, the schedule names, the state table name and the report bucket name', () => {
    // Assess
    const outputs = Template.fromStack(stack).toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(['AlertTopicArn', 'DashboardName', 'DigestScheduleName', 'FunctionName', 'ReportBucketName', 'ScheduleName', 'SmsDeliveryStatusRoleArn', 'StateTableName']);
    expect(outputs.ReportBucketName?.Value).toEqual({ Ref: stack.getLogicalId(stack.monitor.reportBucket.node.defaultChild as never) });
    expect(outputs.DashboardName?.Value).toEqual({ Ref: stack.getLogicalId(stack.monitor.dashboard.dashboard.node.defaultChild as never) });
    expect(outputs.AlertTopicArn?.Value).toEqual({ Ref: stack.getLogicalId(stack.monitor.topic.node.defaultChild as never) });
    expect(outputs.FunctionName?.Value).toEqual({ Ref: stack.getLogicalId(stack.monitor.function.node.defaultChild as never) });
    expect(outputs.ScheduleName?.Value).toEqual({ Ref: stack.getLogicalId(stack.monitor.schedule.node.defaultChild as never) });
    expect(outputs.DigestScheduleName?.Value).toEqual({ Ref: stack.getLogicalId(stack.monitor.digestSchedule?.node.defaultChild as never) });
    expect(outputs.StateTableName?.Value).toEqual({ Ref: stack.getLogicalId(stack.monitor.stateTable.node.defaultChild as never) });
  });

  it('outputs no digest schedule name when the config has no digest', () => {
    // Act
    const withoutDigest = new DocSpaceBackupMonitorStack(newApp(), 'WithoutDigest', { config: minimalConfig() });

    // Assess
    const outputs = Template.fromStack(withoutDigest).toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs).sort()).toEqual(['AlertTopicArn', 'DashboardName', 'FunctionName', 'ReportBucketName', 'ScheduleName', 'StateTableName']);
  });

  it('is environment-agnostic when no env is given', () => {
    // Assess
    expect(stack.environment).toBe('aws://unknown-account/unknown-region');
  });
});

/** The AwsSolutions checks with every acknowledgement ignored: what a monitor raises by design. */
function checksIgnoringAcknowledgements(): AwsSolutionsChecks {
  const checks = new AwsSolutionsChecks();
  // cdk-nag has no switch for this; its (private) lookup is replaced on this one instance.
  Object.defineProperty(checks, 'isAcknowledged', { value: () => false });
  return checks;
}

describe('acknowledgeNagFindings', () => {
  it('is applied by the construct itself: a monitor in any stack leaves nothing unacknowledged', () => {
    // Prepare
    const app = newApp();
    new DocSpaceBackupMonitor(new Stack(app, 'AnyStack'), 'Monitor', { config: fullConfig() });

    // Act
    const report = new AwsSolutionsChecks().validateScope(app);

    // Assess
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('acknowledges exactly what a monitor raises, so no acknowledgement is stale', () => {
    // Prepare
    const app = newApp();
    const stack = new Stack(app, 'AnyStack');
    new DocSpaceBackupMonitor(stack, 'Monitor', { config: fullConfig() });

    // Act
    const report = checksIgnoringAcknowledgements().validateScope(app);

    // Assess
    const raised = new Set(report.violations.map((violation) => violation.ruleName));
    expect(raised.size).toBeGreaterThan(0);
    expect([...raised].sort()).toEqual([...new Set(acknowledgements(stack).map(({ id }) => id))].sort());
  });
});

describe('DocSpaceBackupMonitorStack with apiKeyParameterPath', () => {
  it('raises the one wildcard finding the path brings, and acknowledges it with its reason', () => {
    // Prepare
    const app = newApp();
    const stack = new DocSpaceBackupMonitorStack(app, 'WithPath', { config: fullConfig(), apiKeyParameterPath: '/docspace/' });

    // Act
    const raised = checksIgnoringAcknowledgements().validateScope(app).violations.map((violation) => violation.ruleName);
    const left = new AwsSolutionsChecks().validateScope(app).violations.map((violation) => violation.ruleName);

    // Assess
    const pathFinding = 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/docspace/*]';
    expect(raised).toContain(pathFinding);
    expect(left).toEqual([]);
    const acknowledged = acknowledgements(stack).find(({ id }) => id === pathFinding);
    expect(acknowledged?.reason).toMatch(/apiKeyParameterPath "\/docspace\/"/);
  });
});
