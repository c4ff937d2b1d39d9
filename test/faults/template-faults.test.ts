/**
 * The synthesized template against docs/SECURITY.md's allow-list and cfn-lint: the stack is
 * synthesized once (two variants, one assembly); each row injects its fault into a copy of the
 * permissions, the table or the template, and checks that it is caught, and that the real
 * templates pass.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCEPTED_FINDINGS, cfnLintVersion, runCfnLint, unacceptedFindings, type CfnLintFinding } from '../lib/cfn-lint.ts';
import { checkAgainstAllowList, parseAllowList, readAllowList, type AllowListRow, type Placeholders } from '../lib/security-allow-list.ts';
import { synthesizeVariants, type SynthesizedAssembly, type SynthesizedVariant } from '../lib/synthesized-templates.ts';
import { templatePermissions, type GrantedPermission } from '../lib/template-permissions.ts';

const CFN_LINT_VERSION = cfnLintVersion();
if (CFN_LINT_VERSION === undefined)
  console.warn('cfn-lint is not installed (pip install cfn-lint): T04 is skipped, the template is not linted. CI machines have it.');

let assembly: SynthesizedAssembly;
let rows: AllowListRow[];
let scratch: string;

beforeAll(() => {
  assembly = synthesizeVariants();
  rows = readAllowList();
  scratch = mkdtempSync(join(tmpdir(), 'template-faults-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  CloudAssembly.cleanupTemporaryDirectories();
});

/** What the allow-list's placeholders stand for in a variant. */
function placeholdersOf(variant: SynthesizedVariant): Placeholders {
  const apiKeys = variant.config.portals.map((portal) => portal.apiKey);
  return {
    parameter: apiKeys.flatMap((key) => ('ssmParameter' in key ? [key.ssmParameter.slice(1)] : [])),
    kmsKeyArn: apiKeys.flatMap((key) => ('kmsKeyArn' in key && key.kmsKeyArn !== undefined ? [key.kmsKeyArn] : [])),
    apiKeyParameterPath: variant.apiKeyParameterPath === undefined ? [] : [variant.apiKeyParameterPath.slice(1)],
  };
}

function permissionsOf(variant: SynthesizedVariant): readonly GrantedPermission[] {
  const { permissions, unreadable } = templatePermissions(variant.name, variant.template, variant.names);
  expect(unreadable, variant.name).toEqual([]);
  return permissions;
}

/** The violations of every variant, with `change` applied to each variant's permissions first. */
function violations(change: (permissions: readonly GrantedPermission[]) => readonly GrantedPermission[] = (same) => same, table: readonly AllowListRow[] = rows): string[] {
  return assembly.variants.flatMap((variant) => checkAgainstAllowList(change(permissionsOf(variant)), table, placeholdersOf(variant)).violations);
}

/** The rows of `table` no variant grants. */
function unusedRows(table: readonly AllowListRow[]): AllowListRow[] {
  const used = new Set(assembly.variants.flatMap((variant) => [...checkAgainstAllowList(permissionsOf(variant), table, placeholdersOf(variant)).usedRows]));
  return table.filter((_, index) => !used.has(index));
}

function find(permissions: readonly GrantedPermission[], policy: string, action: string): GrantedPermission {
  const found = permissions.find((permission) => permission.policy === policy && permission.action === action);
  if (found === undefined) throw new Error(`no ${action} in ${policy}`);
  return found;
}

describe('the synthesized template', () => {
  it('T01 a permission the allow-list does not list: named with its policy, action and resource; the real templates grant nothing unlisted', () => {
    // Prepare: what SqsDestination and a careless grant would add.
    const broader = (permissions: readonly GrantedPermission[]) => {
      const send = find(permissions, 'FunctionRole', 'sqs:SendMessage');
      const publish = find(permissions, 'FunctionRole', 'sns:Publish');
      return [...permissions, { ...send, action: 'sqs:GetQueueAttributes' }, { ...send, action: 'sqs:*' }, { ...publish, resource: '*' }, { ...publish, policy: 'AlertTopic (topic policy)', principal: '*' }];
    };

    // Act
    const found = violations(broader);

    // Assess
    expect(violations()).toEqual([]);
    expect(found).toHaveLength(2 * 4);
    expect(found.filter((violation) => /: FunctionRole grants sqs:GetQueueAttributes on <DeadLetterQueue\.Arn>, which the allow-list does not list$/.test(violation))).toHaveLength(2);
    expect(found.filter((violation) => /: FunctionRole grants sqs:\* on <DeadLetterQueue\.Arn>, which/.test(violation))).toHaveLength(2);
    expect(found.filter((violation) => /: FunctionRole grants sns:Publish on \*, which/.test(violation))).toHaveLength(2);
    expect(found.filter((violation) => /: AlertTopic \(topic policy\) grants sns:Publish on <AlertTopic> to \*, which/.test(violation))).toHaveLength(2);
  });

  it('T02 a listed condition missing (the topic key used directly, CloudWatch acting for the alarms of any account): named; the real templates carry every condition', () => {
    // Prepare
    const unconditioned = (permissions: readonly GrantedPermission[]) =>
      permissions.map((permission) => {
        if (permission.policy === 'FunctionRole' && permission.resource === '<TopicKey.Arn>') return { ...permission, conditions: [] };
        if (permission.policy === 'TopicKey (key policy)' && permission.principal === 'cloudwatch.amazonaws.com')
          return { ...permission, conditions: permission.conditions.filter((condition) => !condition.includes('aws:SourceAccount')) };
        return permission;
      });

    // Act
    const found = violations(unconditioned);

    // Assess
    expect(violations()).toEqual([]);
    expect(found.filter((violation) => violation.includes('FunctionRole grants kms:GenerateDataKey* on <TopicKey.Arn> without the condition StringEquals kms:ViaService = sns.<AWS::Region>.amazonaws.com'))).toHaveLength(2);
    expect(found.filter((violation) => violation.includes('FunctionRole grants kms:Decrypt on <TopicKey.Arn> without the condition StringEquals kms:ViaService = sns.<AWS::Region>.amazonaws.com'))).toHaveLength(2);
    expect(found.filter((violation) => /TopicKey \(key policy\) grants kms:(Decrypt|GenerateDataKey\*) on \* to cloudwatch\.amazonaws\.com without the condition StringEquals aws:SourceAccount = <AWS::AccountId>$/.test(violation))).toHaveLength(4);
    expect(found).toHaveLength(8);
  });

  it('T03 the allow-list naming a permission neither template grants: the row is reported; every real row is granted', () => {
    // Prepare
    const stale: AllowListRow = { policy: 'FunctionRole', principals: [''], actions: ['sqs:GetQueueUrl'], resources: ['<DeadLetterQueue.Arn>'], conditions: [], why: 'what SqsDestination used to grant' };

    // Act
    const unused = unusedRows([...rows, stale]);

    // Assess
    expect(rows.length).toBeGreaterThanOrEqual(15);
    expect(unusedRows(rows)).toEqual([]);
    expect(unused).toEqual([stale]);
    expect(() => parseAllowList('# Security\n\nno table here\n')).toThrow(/has no section "## Permissions: the allow-list"/);
  });

  it.skipIf(CFN_LINT_VERSION === undefined)(
    'T04 cfn-lint finds an error or a warning nobody explained: reported by rule and construct; the real templates have no error and only the explained warnings',
    async () => {
      // Prepare: an invalid memory size (E3034) and a needless DependsOn of the schedule on the function it already names (W3005), in a copy.
      const full = assembly.variants[0]!;
      const idOf = (name: string) => [...full.names].find(([, constructName]) => constructName === name)![0];
      const broken = structuredClone(full.template) as { Resources: Record<string, { Properties?: Record<string, unknown>; DependsOn?: unknown }> };
      broken.Resources[idOf('Function')]!.Properties!.MemorySize = 100_000;
      broken.Resources[idOf('Schedule')]!.DependsOn = [idOf('Function')];
      const brokenFile = join(scratch, 'Broken.template.json');
      writeFileSync(brokenFile, JSON.stringify(broken));
      const names = new Map(assembly.variants.map((variant) => [basename(variant.templateFile), variant.names]));
      names.set(basename(brokenFile), full.names);

      // Act
      const findings = await runCfnLint([...assembly.variants.map((variant) => variant.templateFile), brokenFile], names);

      // Assess
      const real = findings.filter((finding) => finding.file !== basename(brokenFile));
      expect(unacceptedFindings(real)).toEqual([]);
      for (const accepted of ACCEPTED_FINDINGS) expect(real.some((finding) => finding.rule === accepted.rule && finding.construct === accepted.construct), accepted.rule).toBe(true);
      const caught = unacceptedFindings(findings.filter((finding) => finding.file === basename(brokenFile))).map((finding: CfnLintFinding) => `${finding.level} ${finding.rule} ${finding.construct}`);
      expect(caught).toContain('Error E3034 Function');
      expect(caught).toContain('Warning W3005 Schedule');
      expect(caught).toHaveLength(2);
    },
    // cfn-lint (Python) on three templates: seconds on an idle machine, minutes on a busy one.
    300_000,
  );
});
