/**
 * The deployable stack: one {@link DocSpaceBackupMonitor} (which acknowledges its own cdk-nag
 * findings) and its outputs.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DocSpaceBackupMonitor, type DocSpaceBackupMonitorProps } from './docspace-backup-monitor.ts';

/** Properties of {@link DocSpaceBackupMonitorStack}: the stack's own and the monitor's. */
export interface DocSpaceBackupMonitorStackProps extends StackProps, DocSpaceBackupMonitorProps {}

/**
 * A stack holding one DocSpace backup monitor. Environment-agnostic unless `env` is set.
 *
 * @example
 * new DocSpaceBackupMonitorStack(app, 'DocSpaceBackupMonitor', { config: await loadConfig() });
 */
export class DocSpaceBackupMonitorStack extends Stack {
  /** The monitor. */
  public readonly monitor: DocSpaceBackupMonitor;

  public constructor(scope: Construct, id: string, props: DocSpaceBackupMonitorStackProps) {
    super(scope, id, props);
    this.monitor = new DocSpaceBackupMonitor(this, 'Monitor', props);

    new CfnOutput(this, 'AlertTopicArn', {
      description: 'Topic the alerts and self-alarms are published to; subscribe more endpoints here',
      value: this.monitor.topic.topicArn,
    });
    new CfnOutput(this, 'FunctionName', {
      description: 'The check function: invoke with {"action": "test-alert"} to test delivery',
      value: this.monitor.function.functionName,
    });
    new CfnOutput(this, 'ScheduleName', {
      description: 'The EventBridge Scheduler schedule that starts a check',
      value: this.monitor.schedule.scheduleName,
    });
    new CfnOutput(this, 'StateTableName', {
      description: 'The DynamoDB table keeping each portal\'s last verdict (one item per portal); retained when the stack is deleted',
      value: this.monitor.stateTable.tableName,
    });
    new CfnOutput(this, 'ReportBucketName', {
      description: 'The S3 bucket every run\'s report is archived in: read it with docspace-backup-monitor report --bucket NAME; retained when the stack is deleted',
      value: this.monitor.reportBucket.bucketName,
    });
    new CfnOutput(this, 'DashboardName', {
      description: 'The CloudWatch dashboard: backup age per portal, statuses, runs, alerts, delivery failures, alarms',
      value: this.monitor.dashboard.dashboard.dashboardName,
    });
    if (this.monitor.deliveryPath.smsDeliveryStatusRole) {
      new CfnOutput(this, 'SmsDeliveryStatusRoleArn', {
        description: 'Switch on SMS delivery status logs (an account setting): aws sns set-sms-attributes --attributes DeliveryStatusIAMRole=<this>,DeliveryStatusSuccessSamplingRate=100',
        value: this.monitor.deliveryPath.smsDeliveryStatusRole.roleArn,
      });
    }
    if (this.monitor.digestSchedule) {
      new CfnOutput(this, 'DigestScheduleName', {
        description: 'The EventBridge Scheduler schedule that asks for the digest of every portal\'s status',
        value: this.monitor.digestSchedule.scheduleName,
      });
    }
  }
}
