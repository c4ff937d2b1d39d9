/**
 * The function's permission to read the portals' API keys: `ssm:GetParameter(s)` on exactly the
 * configured parameters (in statements small enough for IAM's policy limits) or on every
 * parameter under a path, and `kms:Decrypt` on exactly the named keys, via SSM only.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { formatPath } from '../functions/check/config-problems.ts';
import type { MonitorConfig } from '../functions/check/config.ts';

/**
 * Resolved characters one parameter ARN may take in a policy, beyond its name: the longest
 * partition and region, the account, quotes and a comma.
 */
const PARAMETER_ARN_OVERHEAD = 'arn:aws-iso-b:ssm:ap-southeast-5:123456789012:parameter/'.length + 3;
/** Resolved size of one `ReadApiKeys` statement: it must fit a managed policy (6,144 characters) with room for the wrapper. */
const MAX_STATEMENT_CHARS = 5_500;

/**
 * Splits parameter names into groups whose ARNs fit one statement. With 200+ portals one
 * statement would outgrow an IAM policy; CDK moves whole statements into overflow managed
 * policies, so the statements must be small enough to move.
 */
export function groupParameterNames(names: readonly string[], maxChars = MAX_STATEMENT_CHARS): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let size = 0;
  for (const name of names) {
    const chars = PARAMETER_ARN_OVERHEAD + name.length;
    if (group.length > 0 && size + chars > maxChars) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(name);
    size += chars;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * Why `path` cannot be the construct's `apiKeyParameterPath` for `config`;
 * empty when it can.
 *
 * @param path - the prop
 * @param config - a config that passed the schema
 */
export function apiKeyPathProblems(path: string, config: MonitorConfig): string[] {
  if (!/^\/(?:[A-Za-z0-9_.-]+\/)+$/.test(path))
    return [`must be an SSM parameter path such as "/docspace/": "/" at both ends, letters, digits, "_", "." and "-" between, got ${JSON.stringify(path.slice(0, 200))}`];
  return config.portals.flatMap((portal, index) =>
    'ssmParameter' in portal.apiKey && !portal.apiKey.ssmParameter.startsWith(path)
      ? [`${formatPath(['portals', index, 'apiKey', 'ssmParameter'])}: must lie under ${JSON.stringify(path)}, got ${JSON.stringify(portal.apiKey.ssmParameter)}`]
      : [],
  );
}

/**
 * `ssm:GetParameter(s)` on exactly the configured parameters, or on every parameter under
 * `path`; `kms:Decrypt` on exactly the named keys, via SSM only.
 */
export function grantReadApiKeys(role: iam.Role, config: MonitorConfig, path: string | undefined): void {
  const stack = Stack.of(role);
  const parameterNames = new Set<string>();
  const keyArns = new Set<string>();
  for (const portal of config.portals) {
    if (!('ssmParameter' in portal.apiKey)) continue;
    parameterNames.add(portal.apiKey.ssmParameter.replace(/^\//, ''));
    if (portal.apiKey.kmsKeyArn) keyArns.add(portal.apiKey.kmsKeyArn);
  }
  const grants = path === undefined ? groupParameterNames([...parameterNames].sort()) : [[`${path.slice(1)}*`]];
  grants.forEach((names, index) => {
    role.addToPolicy(
      new iam.PolicyStatement({
        // A distinct Sid per group: minimizePolicies would merge the groups back into one.
        sid: index === 0 ? 'ReadApiKeys' : `ReadApiKeys${index + 1}`,
        actions: ['ssm:GetParameter', 'ssm:GetParameters'],
        resources: names.map((name) =>
          stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
        ),
      }),
    );
  });
  if (keyArns.size === 0) return;
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'DecryptApiKeys',
      actions: ['kms:Decrypt'],
      resources: [...keyArns].sort(),
      conditions: { StringEquals: { 'kms:ViaService': `ssm.${stack.region}.amazonaws.com` } },
    }),
  );
}
