/**
 * The function's read of the heartbeat's ping URL, when the config keeps it in SSM
 * (`heartbeat: { "ssmParameter": … }`): `ssm:GetParameter` on exactly that parameter. A
 * SecureString under the account's default `aws/ssm` key needs no KMS grant.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { MonitorConfig } from '../functions/check/config.ts';

/**
 * Grants `role` the heartbeat's SSM parameter; does nothing without one.
 *
 * @param role - the check function's role
 * @param config - the validated config
 */
export function grantReadHeartbeatUrl(role: iam.IRole, config: MonitorConfig): void {
  const heartbeat = config.heartbeat;
  if (heartbeat === undefined || !('ssmParameter' in heartbeat)) return;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadHeartbeatUrl',
      actions: ['ssm:GetParameter'],
      resources: [
        Stack.of(role).formatArn({ service: 'ssm', resource: 'parameter', resourceName: heartbeat.ssmParameter.replace(/^\//, ''), arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
      ],
    }),
  );
}
