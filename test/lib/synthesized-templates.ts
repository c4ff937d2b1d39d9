/**
 * The deployable stack synthesized once in the variants whose permissions differ, written to a
 * cloud assembly directory (for cfn-lint) and read back as templates (for the policy checks).
 * Each resource's logical ID is mapped to its construct path below the stack, with the monitor's
 * own `Monitor/` prefix and the L1 `/Resource` suffix dropped (`FunctionRole`, `TopicKey`…),
 * which is how docs/SECURITY.md names them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnElement, Stack } from 'aws-cdk-lib';
import { DocSpaceBackupMonitorStack } from '../../lib/docspace-backup-monitor-stack.ts';
import type { MonitorConfig } from '../../functions/check/config.ts';
import type { CfnTemplate } from '../support/cdk-synth.ts';
import { fullConfig, minimalConfig, newApp } from './cdk-app.ts';

/** The SSM path the `WithPath` variant grants by. */
export const VARIANT_PARAMETER_PATH = '/docspace/';

/** One synthesized stack. */
export interface SynthesizedVariant {
  /** The stack's name: `Full` or `WithPath`. */
  readonly name: string;
  /** The config it was built from (the allow-list's placeholders expand to its values). */
  readonly config: MonitorConfig;
  /** `apiKeyParameterPath`, when the variant grants the keys by path. */
  readonly apiKeyParameterPath?: string;
  /** The template file in the cloud assembly. */
  readonly templateFile: string;
  readonly template: CfnTemplate;
  /** Logical ID to construct name (see the file's comment). */
  readonly names: ReadonlyMap<string, string>;
}

/** What {@link synthesizeVariants} built. */
export interface SynthesizedAssembly {
  /** The cloud assembly directory (temporary: `CloudAssembly.cleanupTemporaryDirectories()` removes it). */
  readonly outdir: string;
  readonly variants: readonly SynthesizedVariant[];
}

function constructNames(stack: Stack): Map<string, string> {
  const names = new Map<string, string>();
  for (const construct of stack.node.findAll()) {
    if (!(construct instanceof CfnElement)) continue;
    const path = construct.node.path.slice(stack.node.path.length + 1);
    names.set(stack.resolve(construct.logicalId) as string, path.replace(/^Monitor\//, '').replace(/\/Resource$/, ''));
  }
  return names;
}

/**
 * Synthesizes, in one App and one assembly: `Full` (every deploy-relevant config key: a portal
 * with its own KMS key, SMS, a digest; the construct's own topic and key) and `WithPath` (the
 * API keys granted by {@link VARIANT_PARAMETER_PATH}, and the monthly report, which reads the
 * report archive).
 */
export function synthesizeVariants(): SynthesizedAssembly {
  const app = newApp();
  const built = [
    { name: 'Full', config: fullConfig() },
    { name: 'WithPath', config: minimalConfig({ archive: { monthlyReport: true } }), apiKeyParameterPath: VARIANT_PARAMETER_PATH },
  ].map((variant) => ({ ...variant, stack: new DocSpaceBackupMonitorStack(app, variant.name, variant) }));
  const assembly = app.synth();
  return {
    outdir: assembly.directory,
    variants: built.map(({ stack, ...variant }) => {
      const templateFile = join(assembly.directory, assembly.getStackByName(stack.stackName).templateFile);
      return { ...variant, templateFile, template: JSON.parse(readFileSync(templateFile, 'utf8')) as CfnTemplate, names: constructNames(stack) };
    }),
  };
}
