/**
 * The cdk-nag (AwsSolutions) findings the monitor accepts, each with the reason a security
 * review needs. Acknowledged on the exact construct and, for IAM5, the exact finding.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { DocSpaceBackupMonitor } from './docspace-backup-monitor.ts';
import { acknowledgeDeliveryPathFindings } from './delivery-path.ts';

/**
 * Acknowledges the AwsSolutions findings a {@link DocSpaceBackupMonitor} raises by design. The
 * construct calls it on itself, so every app that uses it gets these acknowledgements.
 */
export function acknowledgeNagFindings(monitor: DocSpaceBackupMonitor): void {
  const deadLetterReason =
    'This queue is itself a dead-letter queue (a Lambda on-failure destination or an EventBridge Scheduler DLQ); cdk-nag only recognises redrive-policy DLQs. Its depth raises an alarm.';
  Validations.of(monitor.deadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: deadLetterReason });
  Validations.of(monitor.scheduleDeadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: deadLetterReason });

  if (monitor.topicKey && monitor.function.role) {
    Validations.of(monitor.function.role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Publishing to an SSE-KMS topic needs kms:GenerateDataKey* and kms:Decrypt (as AWS documents for SNS); the statement is scoped to the one key that encrypts the alert topic.',
    });
  }

  if (monitor.apiKeyParameterPath !== undefined && monitor.function.role) {
    Validations.of(monitor.function.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/${monitor.apiKeyParameterPath.slice(1)}*]`,
      reason: `The deployer chose apiKeyParameterPath ${JSON.stringify(monitor.apiKeyParameterPath)}: every portal's API key lies under it, and one ARN for the path keeps the role within IAM's managed-policy quota for any number of portals. Keep nothing but the monitor's API keys under it.`,
    });
  }

  if (monitor.function.role) acknowledgeDeliveryPathFindings(monitor.deliveryPath, monitor.function.role);

  const functionLogicalId = Stack.of(monitor).getLogicalId(monitor.function.node.defaultChild as CfnFunction);
  Validations.of(monitor).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
    reason:
      'The Scheduler role may invoke only the check function; CDK adds "<function ARN>:*" so that its versions and aliases can be invoked too, which names no other function.',
  });
}
