/**
 * Every permission a synthesized template grants, one action on one resource per entry, with
 * the policy that grants it, its principal and its conditions, rendered as text the way
 * docs/SECURITY.md writes them: `<AWS::Region>` for a pseudo parameter, `<StateTable.Arn>` for a
 * `Fn::GetAtt`, `<AlertTopic>` for a `Ref`, joins concatenated.
 */
import type { CfnTemplate } from '../support/cdk-synth.ts';

/** One action on one resource that a policy allows. */
export interface GrantedPermission {
  /** The policy: `FunctionRole` (its identity policies), `FunctionRole (trust)`, `TopicKey (key policy)`… */
  readonly policy: string;
  /** Who is allowed: empty for an identity policy (the role itself). */
  readonly principal: string;
  readonly action: string;
  /** Empty for a trust policy, which names no resource. */
  readonly resource: string;
  /** `Operator key = value`, one per key (a list of values joined with ` | `). */
  readonly conditions: readonly string[];
  /** Where in the template, for messages: `Full MonitorFunctionRoleDefaultPolicy… statement 3`. */
  readonly source: string;
}

/** What the template holds: the permissions, and what could not be read as one (each a reason). */
export interface TemplatePermissions {
  readonly permissions: readonly GrantedPermission[];
  readonly unreadable: readonly string[];
}

/** Properties that carry a policy: a resource type not handled below must not have them. */
const POLICY_PROPERTIES = ['PolicyDocument', 'KeyPolicy', 'AssumeRolePolicyDocument', 'ResourcePolicy', 'ResourcePolicyDocument', 'PolicyText', 'Policies', 'ManagedPolicyArns'];

interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action?: unknown;
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly [other: string]: unknown;
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * A CloudFormation value as text: literals as they are, `Ref` and `Fn::GetAtt` of a resource by
 * its construct name in angle brackets, pseudo parameters in angle brackets, `Fn::Join`
 * concatenated. Anything else stays JSON, which matches no allow-list entry.
 *
 * @param names - logical ID to construct name
 */
export function renderValue(value: unknown, names: ReadonlyMap<string, string>): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [[intrinsic, argument]] = entries as [[string, unknown]];
      if (intrinsic === 'Ref' && typeof argument === 'string') return `<${names.get(argument) ?? argument}>`;
      if (intrinsic === 'Fn::GetAtt' && Array.isArray(argument) && argument.length === 2)
        return `<${names.get(String(argument[0])) ?? String(argument[0])}.${String(argument[1])}>`;
      if (intrinsic === 'Fn::Join' && Array.isArray(argument) && typeof argument[0] === 'string' && Array.isArray(argument[1]))
        return (argument[1] as unknown[]).map((part) => renderValue(part, names)).join(argument[0]);
    }
  }
  return JSON.stringify(value);
}

function renderPrincipals(principal: unknown, names: ReadonlyMap<string, string>): string[] {
  if (principal === undefined) return [''];
  if (typeof principal === 'string') return [principal];
  if (principal !== null && typeof principal === 'object')
    return Object.values(principal).flatMap((value) => asList(value).map((one) => renderValue(one, names)));
  return [JSON.stringify(principal)];
}

function renderConditions(condition: Statement['Condition'], names: ReadonlyMap<string, string>): string[] {
  return Object.entries(condition ?? {}).flatMap(([operator, keys]) =>
    Object.entries(keys).map(([key, value]) => `${operator} ${key} = ${asList(value).map((one) => renderValue(one, names)).join(' | ')}`),
  );
}

/**
 * The permissions of one policy document. Deny statements only take permissions away and are
 * left out; an Allow with `NotAction`, `NotResource` or `NotPrincipal` is unreadable (it grants
 * everything but a list).
 */
function documentPermissions(policy: string, document: unknown, names: ReadonlyMap<string, string>, source: string, out: { permissions: GrantedPermission[]; unreadable: string[] }): void {
  const statements = asList((document as { Statement?: unknown } | undefined)?.Statement) as Statement[];
  statements.forEach((statement, index) => {
    const where = `${source} statement ${index + 1}${statement.Sid === undefined ? '' : ` (${statement.Sid})`}`;
    if (statement.Effect === 'Deny') return;
    const negated = ['NotAction', 'NotResource', 'NotPrincipal'].filter((key) => key in statement);
    if (statement.Effect !== 'Allow' || negated.length > 0) {
      out.unreadable.push(`${where}: ${negated.length > 0 ? `uses ${negated.join(', ')}` : `Effect ${JSON.stringify(statement.Effect)}`}`);
      return;
    }
    const resources = statement.Resource === undefined ? [''] : asList(statement.Resource).map((resource) => renderValue(resource, names));
    const conditions = renderConditions(statement.Condition, names);
    for (const principal of renderPrincipals(statement.Principal, names))
      for (const action of asList(statement.Action).map((one) => renderValue(one, names)))
        for (const resource of resources) out.permissions.push({ policy, principal, action, resource, conditions, source: where });
  });
}

/**
 * Every permission in a template's IAM roles and policies, key policies, topic, queue and
 * bucket policies and Lambda permissions; any other resource carrying a policy is unreadable.
 *
 * @param label - names the template in messages
 * @param names - logical ID to construct name
 */
export function templatePermissions(label: string, template: CfnTemplate, names: ReadonlyMap<string, string>): TemplatePermissions {
  const out = { permissions: [] as GrantedPermission[], unreadable: [] as string[] };
  const nameOf = (value: unknown) => renderValue(value, names).replace(/^<(.*)>$/, '$1');
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const properties = resource.Properties ?? {};
    const source = `${label} ${logicalId}`;
    switch (resource.Type) {
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        if (asList(properties.Users).length + asList(properties.Groups).length > 0) out.unreadable.push(`${source}: attached to users or groups`);
        for (const role of asList(properties.Roles)) documentPermissions(nameOf(role), properties.PolicyDocument, names, source, out);
        break;
      case 'AWS::IAM::Role': {
        const role = names.get(logicalId) ?? logicalId;
        documentPermissions(`${role} (trust)`, properties.AssumeRolePolicyDocument, names, source, out);
        for (const inline of asList(properties.Policies) as { PolicyDocument?: unknown }[]) documentPermissions(role, inline.PolicyDocument, names, source, out);
        if (asList(properties.ManagedPolicyArns).length > 0) out.unreadable.push(`${source}: attaches managed policies ${renderValue(properties.ManagedPolicyArns, names)}`);
        break;
      }
      case 'AWS::KMS::Key':
        documentPermissions(`${names.get(logicalId) ?? logicalId} (key policy)`, properties.KeyPolicy, names, source, out);
        break;
      case 'AWS::SNS::TopicPolicy':
        for (const topic of asList(properties.Topics)) documentPermissions(`${nameOf(topic)} (topic policy)`, properties.PolicyDocument, names, source, out);
        break;
      case 'AWS::S3::BucketPolicy':
        documentPermissions(`${nameOf(properties.Bucket)} (bucket policy)`, properties.PolicyDocument, names, source, out);
        break;
      case 'AWS::SQS::QueuePolicy':
        for (const queue of asList(properties.Queues)) documentPermissions(`${nameOf(queue)} (queue policy)`, properties.PolicyDocument, names, source, out);
        break;
      case 'AWS::Lambda::Permission':
        out.permissions.push({
          policy: `${nameOf(properties.FunctionName)} (resource policy)`,
          principal: renderValue(properties.Principal, names),
          action: renderValue(properties.Action, names),
          resource: renderValue(properties.FunctionName, names),
          conditions: [
            ...(properties.SourceAccount === undefined ? [] : [`StringEquals aws:SourceAccount = ${renderValue(properties.SourceAccount, names)}`]),
            ...(properties.SourceArn === undefined ? [] : [`ArnLike aws:SourceArn = ${renderValue(properties.SourceArn, names)}`]),
          ],
          source,
        });
        break;
      default:
        for (const property of POLICY_PROPERTIES) if (property in properties) out.unreadable.push(`${source}: ${resource.Type} carries a ${property} the check does not read`);
    }
  }
  return out;
}
