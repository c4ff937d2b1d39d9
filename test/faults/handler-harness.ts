/**
 * The deployed function under faults: the real handler module (config inlined as esbuild's
 * `define` does, as `process.env.MONITOR_CONFIG_JSON`), its real SDK clients talking to fresh
 * SSM and SNS fakes, real HTTP to simulated portals built from the real now (the handler judges
 * at its own `new Date()`). Every portal's key is a registered canary.
 */
import { vi } from 'vitest';
import type { CheckSummary, InvocationContext } from '../../functions/check/handler.ts';
import { newCanaryKey } from '../support/canary.ts';
import { useFakeAwsEnvironment } from '../support/aws-env.ts';
import { startFakeSns, type FakeSns, type RecordedPublish } from '../support/fake-sns.ts';
import { startFakeSsm, type FakeSsm } from '../support/fake-ssm.ts';
import { SCENARIO_POLICY } from '../support/scenarios.ts';
import { startSimulatedPortals, type SimulatedPortal, type SimulatedPortals } from '../support/simulated-portal.ts';
import { scenarioPortal, TOPIC_ARN } from './harness.ts';
import { capturePowertoolsOutput } from '../support/powertools-output.ts';

/** The handler's signature. */
export type Handler = (event: unknown, context?: InvocationContext) => Promise<CheckSummary>;

/** One portal of a deployed config: a scenario's portal (as of now) with changes. */
export interface DeployedPortal {
  readonly name: string;
  /** The scenario (test/support/scenarios.ts) it is built from. */
  readonly scenario: string;
  /** The key the monitor holds. @default - a new canary key, the one the portal accepts */
  readonly key?: string;
  /** Changes to the simulated portal (a fault). */
  readonly portal?: Partial<SimulatedPortal>;
}

/** A deployed function with its fakes, ready to invoke. */
export interface DeployedFunction {
  readonly handler: Handler;
  readonly ssm: FakeSsm;
  readonly sns: FakeSns;
  readonly server: SimulatedPortals;
  /** The key each portal's SSM parameter holds, by portal name. */
  readonly keys: ReadonlyMap<string, string>;
  /** Everything the function wrote to stdout and stderr (Powertools logs and EMF). */
  readonly stdout: string[];
  readonly stderr: string[];
  /** Stops the fakes and the portals, and puts the environment back. */
  close(): Promise<void>;
}

/** The SSM parameter a deployed portal's key is in. */
export function deployedParameterOf(name: string): string {
  return `/docspace/${name}/api-key`;
}

/**
 * Deploys the function locally: starts the fakes and the portals, stores the keys, inlines the
 * config, captures stdout and stderr, and imports a fresh handler module (its init).
 *
 * @param portals - the portals, in config order
 * @param extra - more top-level config (`concurrency`)
 */
export async function deployFunction(portals: readonly DeployedPortal[], extra: Record<string, unknown> = {}): Promise<DeployedFunction> {
  const now = new Date();
  const keys = new Map(portals.map(({ name, key }) => [name, key ?? newCanaryKey(name)]));
  const served = Object.fromEntries(
    portals.map(({ name, scenario, portal }) => [name, { ...scenarioPortal(scenario, keys.get(name)!, now).portal, ...portal }]),
  );
  const server = await startSimulatedPortals(served);
  const ssm = await startFakeSsm();
  const sns = await startFakeSns();
  const restoreAws = useFakeAwsEnvironment({ ssm: ssm.endpoint, sns: sns.endpoint });
  for (const [name, key] of keys) ssm.putParameter(deployedParameterOf(name), key);

  const config = {
    portals: portals.map(({ name, scenario }) => {
      const { timeZone } = scenarioPortal(scenario, keys.get(name)!, now);
      return { name, url: server.urlOf(name), apiKey: { ssmParameter: deployedParameterOf(name) }, ...(timeZone ? { timeZone } : {}) };
    }),
    policy: SCENARIO_POLICY,
    ...extra,
  };
  vi.stubEnv('MONITOR_CONFIG_JSON', JSON.stringify(config));
  vi.stubEnv('ALERT_TOPIC_ARN', TOPIC_ARN);
  // The test reads all Powertools writes (and checks them for canaries) instead of letting them through.
  const output = capturePowertoolsOutput({ service: 'docspace-backup-monitor-faults', namespace: 'DocSpaceBackupMonitorFaults' });

  vi.resetModules();
  const module = await import('../../functions/check/handler.ts');
  return {
    handler: module.handler,
    ssm,
    sns,
    server,
    keys,
    stdout: output.stdout,
    stderr: output.stderr,
    async close() {
      output.restore();
      vi.unstubAllEnvs();
      restoreAws();
      await ssm.close();
      await sns.close();
      await server.close();
    },
  };
}

/** A Lambda context whose remaining time counts down from `remainingMs` in real time. */
export function countdownContext(remainingMs: number): InvocationContext {
  const deadline = Date.now() + remainingMs;
  return {
    awsRequestId: '6d9a3c1e-0b7f-4e2a-9c5d-8f1e2a3b4c5d',
    functionName: 'docspace-backup-monitor-check',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:docspace-backup-monitor-check',
    memoryLimitInMB: '512',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** The JSON lines the function wrote (logs and EMF documents). */
export function jsonLines(chunks: readonly string[]): Record<string, unknown>[] {
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The log lines (not the EMF documents) of both streams. */
export function logLinesOf(deployed: Pick<DeployedFunction, 'stdout' | 'stderr'>): Record<string, unknown>[] {
  return [...jsonLines(deployed.stdout), ...jsonLines(deployed.stderr)].filter((line) => !('_aws' in line));
}

/** The portals' EMF documents (the run's own document, with no `Portal`, is left out). */
export function metricsOf(deployed: Pick<DeployedFunction, 'stdout'>): Record<string, unknown>[] {
  return jsonLines(deployed.stdout).filter((line) => '_aws' in line && 'Portal' in line);
}

/** A Publish by the portal it is about. */
export function publishesOf(sns: FakeSns, portal: string): RecordedPublish[] {
  return sns.publishes.filter((publish) => publish.MessageAttributes.portal?.StringValue === portal);
}

/** The `default` (JSON) message of a Publish, parsed. */
export function alertJsonOf(publish: RecordedPublish): { name: string; status: string; findings: Record<string, unknown>[] } {
  const message = JSON.parse(publish.Message ?? '{}') as { default?: string };
  return JSON.parse(message.default ?? '{}') as { name: string; status: string; findings: Record<string, unknown>[] };
}

/** The error an invocation rejects with. */
export async function invocationError(invoke: () => Promise<unknown>): Promise<Error> {
  try {
    await invoke();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the invocation to fail');
}
