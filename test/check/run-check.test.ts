import { randomUUID } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Alert, Notifier } from '../../functions/check/alerts/notifier.ts';
import { SnsNotifier } from '../../functions/check/alerts/sns-notifier.ts';
import type { ApiKeyReader, ApiKeyResult } from '../../functions/check/api-keys/api-key-reader.ts';
import { EnvKeyReader } from '../../functions/check/api-keys/env-key-reader.ts';
import { MemoryStateStore } from '../../functions/check/state/memory-state-store.ts';
import { parseConfig, type MonitorConfig } from '../../functions/check/config.ts';
import { DocSpaceClient } from '../../functions/check/docspace/client.ts';
import { AlertPublishError } from '../../functions/check/errors.ts';
import type { CheckLogger } from '../../functions/check/logger.ts';
import type { Verdict } from '../../functions/check/policy/types.ts';
import { runCheck, selectPortals, type CheckDependencies } from '../../functions/check/run-check.ts';
import { useFakeAwsEnvironment } from '../support/aws-env.ts';
import { SnsErrors, startFakeSns } from '../support/fake-sns.ts';
import { buildScenarios, keyVariableOf, SCENARIO_POLICY, scenarioConfig, type Scenario } from '../support/scenarios.ts';
import { startSimulatedPortals, type SimulatedPortal, type SimulatedPortals } from '../support/simulated-portal.ts';
import { keyRing } from '../support/served-scenarios.ts';

/** An ordinary instant: Monday 2 March 2026, 10:00 in Berlin. */
const NOW = new Date('2026-03-02T09:00:00Z');
const TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:docspace-backup-alerts';

type DocSpace = CheckDependencies['docspace'];

/** Registers what to close when the test ends (a concurrent test passes its context's hook). */
type Finished = (cleanup: () => void | Promise<void>) => void;

function newClient(finished: Finished = onTestFinished): DocSpaceClient {
  const client = new DocSpaceClient();
  finished(() => client.close());
  return client;
}

async function serve(portals: Readonly<Record<string, SimulatedPortal>>, finished: Finished = onTestFinished): Promise<SimulatedPortals> {
  const server = await startSimulatedPortals(portals);
  finished(() => server.close());
  return server;
}

/** The scenario portals as of `now`, served on loopback, with their config and key variables. */
async function serveScenarios(now: Date, options: { readonly only?: readonly string[]; readonly key?: string; readonly finished?: Finished } = {}) {
  const keyOf = keyRing((name) => options.key ?? `sk-test-${name}-${randomUUID()}`);
  const all = buildScenarios(now, keyOf);
  // In the order given, so a test with concurrency 1 decides which portal goes first.
  const scenarios = options.only ? options.only.map((name) => all.find((scenario) => scenario.name === name)!) : all;
  const server = await serve(Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.portal])), options.finished);
  const env: Record<string, string> = Object.fromEntries(scenarios.map((scenario) => [keyVariableOf(scenario.name), keyOf(scenario.name)]));
  // The revoked key: the monitor holds a key the portal no longer accepts.
  if (scenarios.some((scenario) => scenario.name === 'key-revoked')) env[keyVariableOf('key-revoked')] = options.key ?? 'sk-test-revoked-key';
  const document = scenarioConfig(scenarios, (name) => server.urlOf(name));
  return { scenarios, server, env, document, config: parseConfig(document) };
}

/** A config of identical portals named `p0`, `p1`…, each taking its key from `KEY`. */
function portalsConfig(server: SimulatedPortals, names: readonly string[], extra: Record<string, unknown> = {}): MonitorConfig {
  return parseConfig({
    portals: names.map((name) => ({ name, url: server.urlOf(name), apiKey: { env: 'KEY' } })),
    policy: SCENARIO_POLICY,
    ...extra,
  });
}

function compliantPortal(key: string): SimulatedPortal {
  return buildScenarios(NOW, () => key).find((scenario) => scenario.name === 'compliant')!.portal;
}

function recordingLogger(): { readonly lines: string[]; readonly logger: CheckLogger } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, attributes?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(attributes ?? {})}`);
  };
  return { lines, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } };
}

function recordingNotifier(): Notifier & { readonly alerts: Alert[] } {
  const alerts: Alert[] = [];
  return {
    alerts,
    send: async (alert) => {
      alerts.push(alert);
    },
  };
}

/**
 * Wraps a DocSpace client and counts calls in flight: per portal, and how many portals have at
 * least one call open at once.
 */
function countingClient(inner: DocSpace) {
  const open = new Map<string, number>();
  const stats = { maxPortals: 0, maxPerPortal: new Map<string, number>() };
  const track = <T>(portal: string, call: () => Promise<T>): Promise<T> => {
    const count = (open.get(portal) ?? 0) + 1;
    open.set(portal, count);
    stats.maxPerPortal.set(portal, Math.max(stats.maxPerPortal.get(portal) ?? 0, count));
    stats.maxPortals = Math.max(stats.maxPortals, [...open.values()].filter((value) => value > 0).length);
    return call().finally(() => open.set(portal, (open.get(portal) ?? 1) - 1));
  };
  const client: DocSpace = {
    getSchedule: (target) => track(target.name, () => inner.getSchedule(target)),
    getProgress: (target) => track(target.name, () => inner.getProgress(target)),
    getHistory: (target) => track(target.name, () => inner.getHistory(target)),
    getSettings: (target) => track(target.name, () => inner.getSettings(target)),
  };
  return { client, stats };
}

function codesOf(verdict: Verdict | undefined): string[] {
  return [...new Set(verdict?.findings.map((finding) => finding.code))].sort();
}

function verdictOf(verdicts: readonly Verdict[], name: string): Verdict {
  const verdict = verdicts.find((candidate) => candidate.portal === name);
  if (!verdict) throw new Error(`no verdict for ${name}`);
  return verdict;
}

function endpointsAskedOf(server: SimulatedPortals, portal: string): string[] {
  return [...new Set(server.requests.filter((request) => request.portal === portal).map((request) => request.endpoint ?? request.path))].sort();
}

describe('runCheck', () => {
  it.concurrent.for([
    ['2026-03-02T09:00:00Z', 'an ordinary Monday, 10:00 Europe/Berlin'],
    ['2026-03-10T01:10:00Z', '02:10 Europe/Berlin, 10 minutes after the daily slot'],
    ['2026-03-29T01:15:00Z', '03:15 Europe/Berlin on the spring DST Sunday (no 02:00 that day), 15 minutes after the weekly slot'],
    ['2026-03-30T00:10:00Z', '02:10 Europe/Berlin (CEST) the Monday after the spring DST change'],
    ['2026-10-25T01:10:00Z', '02:10 Europe/Berlin (CET) on the autumn DST Sunday, when 02:00 happens twice'],
  ])('gives every scenario portal its expected status and codes over loopback HTTP at %s (%s)', async ([instant], { expect, onTestFinished: finished }) => {
    // Prepare
    const now = new Date(instant!);
    const { scenarios, env, config } = await serveScenarios(now, { finished });
    const client = newClient(finished);

    // Act
    const run = await runCheck({ docspace: client, keys: new EnvKeyReader({ env }) }, config, { now });

    // Assess
    const got = run.verdicts.map((verdict) => [verdict.portal, verdict.status, codesOf(verdict)]);
    const expected = scenarios.map((scenario: Scenario) => [scenario.name, scenario.expectedStatus, [...scenario.expectedCodes].sort()]);
    expect(got).toEqual(expected);
    expect(run.status).toBe('CRITICAL');
    expect(run.checkedAt).toEqual(now);
    expect(run.verdicts.every((verdict) => verdict.checkedAt.getTime() === now.getTime())).toBe(true);
  });

  it.each([
    { given: 'the option', option: 2, configured: undefined, portals: 6, bound: 2 },
    { given: 'the config', option: undefined, configured: 3, portals: 6, bound: 3 },
    { given: 'the option over the config', option: 1, configured: 5, portals: 4, bound: 1 },
    { given: 'the default', option: undefined, configured: undefined, portals: 12, bound: 10 },
  ])('checks at most as many portals at once as $given says ($bound)', async ({ option, configured, portals, bound }) => {
    // Prepare
    const names = Array.from({ length: portals }, (_, index) => `p${index}`);
    const server = await serve(Object.fromEntries(names.map((name) => [name, compliantPortal('sk-test-key')])));
    const config = portalsConfig(server, names, configured === undefined ? {} : { concurrency: configured });
    const { client, stats } = countingClient(newClient());

    // Act
    const run = await runCheck({ docspace: client, keys: new EnvKeyReader({ env: { KEY: 'sk-test-key' } }) }, config, { now: NOW, concurrency: option });

    // Assess
    expect(stats.maxPortals).toBe(bound);
    expect(run.verdicts.map((verdict) => verdict.status)).toEqual(names.map(() => 'OK'));
  });

  it.each([
    { zone: 'no time zone configured', timeZone: undefined, together: 4 },
    { zone: 'a configured time zone', timeZone: 'Europe/Berlin', together: 3 },
  ])('sends the independent requests of a portal with $zone together ($together at once)', async ({ timeZone, together }) => {
    // Prepare
    const server = await serve({ acme: compliantPortal('sk-test-key') });
    const config = parseConfig({
      portals: [{ name: 'acme', url: server.urlOf('acme'), apiKey: { env: 'KEY' }, ...(timeZone ? { timeZone } : {}) }],
      policy: SCENARIO_POLICY,
    });
    const { client, stats } = countingClient(newClient());

    // Act
    const run = await runCheck({ docspace: client, keys: new EnvKeyReader({ env: { KEY: 'sk-test-key' } }) }, config, { now: NOW });

    // Assess
    expect(stats.maxPerPortal.get('acme')).toBe(together);
    expect(run.verdicts[0]!.status).toBe('OK');
  });

  it('asks for the settings only when no time zone is configured, and judges in the configured zone otherwise', async () => {
    // Prepare
    const server = await serve({ zoned: compliantPortal('sk-test-key'), unzoned: compliantPortal('sk-test-key') });
    const config = parseConfig({
      portals: [
        { name: 'zoned', url: server.urlOf('zoned'), apiKey: { env: 'KEY' }, timeZone: 'Asia/Tokyo' },
        { name: 'unzoned', url: server.urlOf('unzoned'), apiKey: { env: 'KEY' } },
      ],
      policy: SCENARIO_POLICY,
    });

    // Act
    const run = await runCheck({ docspace: newClient(), keys: new EnvKeyReader({ env: { KEY: 'sk-test-key' } }) }, config, { now: NOW });

    // Assess
    expect(endpointsAskedOf(server, 'zoned')).toEqual(['history', 'progress', 'schedule']);
    expect(endpointsAskedOf(server, 'unzoned')).toEqual(['history', 'progress', 'schedule', 'settings']);
    expect(verdictOf(run.verdicts, 'zoned').timeZone).toBe('Asia/Tokyo');
    expect(verdictOf(run.verdicts, 'unzoned').timeZone).toBe('Europe/Berlin');
  });

  it.each([
    { policy: {}, asked: ['history', 'progress', 'schedule'] },
    { policy: { checkLastBackupError: false }, asked: ['history', 'schedule'] },
    { policy: { requireArchive: false }, asked: ['progress', 'schedule'] },
    { policy: { requireArchive: false, checkLastBackupError: false }, asked: ['schedule'] },
  ])('asks for $asked when the portal policy is $policy', async ({ policy, asked }) => {
    // Prepare
    const server = await serve({ acme: compliantPortal('sk-test-key') });
    const config = parseConfig({
      portals: [{ name: 'acme', url: server.urlOf('acme'), apiKey: { env: 'KEY' }, timeZone: 'Europe/Berlin', policy }],
      policy: SCENARIO_POLICY,
    });

    // Act
    const run = await runCheck({ docspace: newClient(), keys: new EnvKeyReader({ env: { KEY: 'sk-test-key' } }) }, config, { now: NOW });

    // Assess
    expect(endpointsAskedOf(server, 'acme')).toEqual(asked);
    expect(run.verdicts[0]!.status).toBe('OK');
  });

  it('checks only the portals it is told to, in config order, and reads only their keys', async () => {
    // Prepare
    const { server, env, config } = await serveScenarios(NOW, { only: ['compliant', 'overdue', 'drifted', 'no-schedule'] });
    const asked: string[][] = [];
    const reader = new EnvKeyReader({ env });
    const keys: ApiKeyReader = {
      readKeys: (portals) => {
        asked.push(portals.map((portal) => portal.name));
        return reader.readKeys(portals);
      },
    };

    // Act
    const run = await runCheck({ docspace: newClient(), keys }, config, { now: NOW, portals: ['no-schedule', 'overdue'] });

    // Assess
    expect(run.verdicts.map((verdict) => verdict.portal)).toEqual(['overdue', 'no-schedule']);
    expect(asked).toEqual([['overdue', 'no-schedule']]);
    expect([...new Set(server.requests.map((request) => request.portal))].sort()).toEqual(['no-schedule', 'overdue']);
  });

  it('fails before asking any portal when told to check a portal that is not configured', async () => {
    // Prepare
    const { server, env, config } = await serveScenarios(NOW, { only: ['compliant', 'overdue'] });

    // Act
    const run = runCheck({ docspace: newClient(), keys: new EnvKeyReader({ env }) }, config, { now: NOW, portals: ['overdue', 'nope'] });

    // Assess
    await expect(run).rejects.toThrow(/unknown portal "nope"; configured: compliant, overdue/);
    expect(server.requests).toEqual([]);
  });

  it.each<[string, (env: Record<string, string>) => ApiKeyReader]>([
    ['its environment variable is not set', (env) => new EnvKeyReader({ env: { ...env, [keyVariableOf('overdue')]: '' } })],
    [
      'the reader gives no answer for it',
      (env) => ({
        readKeys: async (portals) => {
          const keys = await new EnvKeyReader({ env }).readKeys(portals);
          keys.delete('overdue');
          return keys;
        },
      }),
    ],
    [
      'the reader reports a failure for it',
      (env) => ({
        readKeys: async (portals) => {
          const keys = await new EnvKeyReader({ env }).readKeys(portals);
          keys.set('overdue', { ok: false, detail: 'SSM parameter /docspace/overdue/api-key could not be read: AccessDeniedException' } satisfies ApiKeyResult);
          return keys;
        },
      }),
    ],
  ])('reports CHECK_FAILED API_KEY_UNAVAILABLE for one portal only when %s', async (_case, readerOf) => {
    // Prepare
    const { server, env, config } = await serveScenarios(NOW, { only: ['compliant', 'overdue', 'drifted'] });

    // Act
    const run = await runCheck({ docspace: newClient(), keys: readerOf(env) }, config, { now: NOW });

    // Assess
    const overdue = verdictOf(run.verdicts, 'overdue');
    expect(overdue.status).toBe('UNKNOWN');
    expect(overdue.findings).toEqual([expect.objectContaining({ code: 'CHECK_FAILED', cause: 'API_KEY_UNAVAILABLE', source: 'apiKey' })]);
    expect(server.requests.filter((request) => request.portal === 'overdue')).toEqual([]);
    expect(verdictOf(run.verdicts, 'compliant').status).toBe('OK');
    expect(codesOf(verdictOf(run.verdicts, 'drifted'))).toEqual(['RETENTION_TOO_LOW', 'SCHEDULE_MISMATCH', 'STORAGE_NOT_ALLOWED']);
  });

  it.each<[string, () => unknown]>([
    ['a TypeError', () => new TypeError("Cannot read properties of undefined (reading 'createdOn')")],
    ['a string', () => 'something odd'],
    ['undefined', () => undefined],
    ['null', () => null],
  ])('reports CHECK_FAILED for one portal and checks the others when its check throws %s', async (_case, thrown) => {
    // Prepare
    const { env, config } = await serveScenarios(NOW, { only: ['overdue', 'compliant', 'drifted'] });
    const real = newClient();
    const docspace: DocSpace = {
      getSchedule: (target) => real.getSchedule(target),
      getProgress: (target) => real.getProgress(target),
      getSettings: (target) => real.getSettings(target),
      getHistory: async (target) => {
        if (target.name === 'overdue') throw thrown();
        return real.getHistory(target);
      },
    };
    const notifier = recordingNotifier();
    const { lines, logger } = recordingLogger();

    // Act
    const run = await runCheck({ docspace, keys: new EnvKeyReader({ env }), notifier, logger }, config, { now: NOW, concurrency: 1 });

    // Assess
    const overdue = verdictOf(run.verdicts, 'overdue');
    expect(overdue.status).toBe('UNKNOWN');
    expect(overdue.findings).toEqual([expect.objectContaining({ code: 'CHECK_FAILED' })]);
    expect(verdictOf(run.verdicts, 'compliant').status).toBe('OK');
    expect(verdictOf(run.verdicts, 'drifted').status).toBe('WARNING');
    expect(notifier.alerts.map((alert) => alert.attributes.portal)).toEqual(['overdue', 'drifted']);
    expect(lines.some((line) => line.startsWith('error ') && line.includes('"portal":"overdue"'))).toBe(true);
  });

  it('sends one alert per portal that is not OK, and none for OK portals', async () => {
    // Prepare
    const { env, config } = await serveScenarios(NOW, { only: ['compliant', 'overdue', 'drifted', 'never-ran', 'no-schedule', 'key-revoked', 'unpaid'] });
    const notifier = recordingNotifier();

    // Act
    const run = await runCheck({ docspace: newClient(), keys: new EnvKeyReader({ env }), notifier }, config, { now: NOW });

    // Assess
    const notOk = run.verdicts.filter((verdict) => verdict.status !== 'OK').map((verdict) => verdict.portal);
    expect(notOk.sort()).toEqual(['drifted', 'key-revoked', 'never-ran', 'no-schedule', 'overdue', 'unpaid']);
    expect(notifier.alerts.map((alert) => alert.attributes.portal).sort()).toEqual(notOk);
    expect(notifier.alerts.map((alert) => [alert.attributes.portal, alert.attributes.status]).sort()).toEqual(
      run.verdicts.filter((verdict) => verdict.status !== 'OK').map((verdict) => [verdict.portal, verdict.status]).sort(),
    );
    expect(run.alertsSent).toBe(6);
    expect(run.publishFailures).toEqual([]);
  });

  it('checks the next portal while an alert is still being sent: a slow topic does not hold a check slot', async () => {
    // Prepare: one portal at a time; the alert of "overdue" is held until "no-schedule" is being checked
    const { env, config } = await serveScenarios(NOW, { only: ['overdue', 'no-schedule'] });
    const docspace = newClient();
    let nextPortalChecked!: () => void;
    const nextPortalCheck = new Promise<void>((resolve) => (nextPortalChecked = resolve));
    const watched: DocSpace = {
      getSchedule: (target) => {
        if (target.name === 'no-schedule') nextPortalChecked();
        return docspace.getSchedule(target);
      },
      getProgress: (target) => docspace.getProgress(target),
      getHistory: (target) => docspace.getHistory(target),
      getSettings: (target) => docspace.getSettings(target),
    };
    const delivered: string[] = [];
    const notifier: Notifier = {
      send: async (alert) => {
        const portal = alert.attributes.portal;
        if (portal === 'overdue') {
          // Bounded, so a check that waits for this send fails the test instead of hanging it.
          const tooLate = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no-schedule was not checked while the alert of overdue was being sent')), 5_000).unref());
          await Promise.race([nextPortalCheck, tooLate]);
        }
        delivered.push(portal);
      },
    };

    // Act
    const run = await runCheck({ docspace: watched, keys: new EnvKeyReader({ env }), notifier }, config, { now: NOW, concurrency: 1 });

    // Assess: both delivered, in the order their checks finished
    expect(run.publishFailures.map((failure) => failure.message)).toEqual([]);
    expect(delivered).toEqual(['overdue', 'no-schedule']);
    expect(run.alertsSent).toBe(2);
  });

  it('reports every portal when notices throw past their own error handling, and lists each as a failure', async () => {
    // Prepare: the state store refuses the claims, and the logger throws while that is logged
    const { env, config } = await serveScenarios(NOW, { only: ['overdue', 'compliant', 'no-schedule'] });
    const notifier = recordingNotifier();
    const state = new MemoryStateStore();
    state.claim = async () => {
      throw new Error('dynamodb unavailable');
    };
    const { logger } = recordingLogger();
    const failingLogger: CheckLogger = {
      ...logger,
      error: (message) => {
        if (message.startsWith('state not saved')) throw new Error('log sink closed');
      },
    };

    // Act
    const run = await runCheck({ docspace: newClient(), keys: new EnvKeyReader({ env }), notifier, state, logger: failingLogger }, config, { now: NOW, concurrency: 1 });

    // Assess
    expect(run.verdicts.map((verdict) => verdict.portal)).toEqual(['overdue', 'compliant', 'no-schedule']);
    expect(run.publishFailures.map((failure) => failure.message).sort()).toEqual([
      'alert handling for compliant failed: Error',
      'alert handling for no-schedule failed: Error',
      'alert handling for overdue failed: Error',
    ]);
    expect(run.notifications.get('overdue')).toMatchObject({ delivered: false });
  });

  it.each<[string, () => unknown]>([
    ['rejects with an AlertPublishError', () => new AlertPublishError('alert for portal overdue could not be published: Throttling', 'overdue')],
    ['rejects with another error', () => new Error('socket hang up')],
    ['rejects with undefined', () => undefined],
  ])('checks and alerts every other portal, and lists the failure, when the notifier %s for one portal', async (_case, thrown) => {
    // Prepare
    const { env, config } = await serveScenarios(NOW, { only: ['overdue', 'compliant', 'drifted', 'no-schedule'] });
    const delivered: string[] = [];
    const notifier: Notifier = {
      send: async (alert) => {
        if (alert.attributes.portal === 'overdue') throw thrown();
        delivered.push(alert.attributes.portal);
      },
    };
    const { lines, logger } = recordingLogger();

    // Act
    const run = await runCheck({ docspace: newClient(), keys: new EnvKeyReader({ env }), notifier, logger }, config, { now: NOW, concurrency: 1 });

    // Assess
    expect(run.verdicts.map((verdict) => [verdict.portal, verdict.status])).toEqual([
      ['overdue', 'CRITICAL'],
      ['compliant', 'OK'],
      ['drifted', 'WARNING'],
      ['no-schedule', 'CRITICAL'],
    ]);
    expect(delivered).toEqual(['drifted', 'no-schedule']);
    expect(run.alertsSent).toBe(2);
    expect(run.publishFailures).toHaveLength(1);
    expect(run.publishFailures[0]).toBeInstanceOf(AlertPublishError);
    expect(run.publishFailures[0]!.portal).toBe('overdue');
    expect(lines.some((line) => line.startsWith('error ') && line.includes('"portal":"overdue"'))).toBe(true);
  });

  it('checks and alerts every other portal when a notifier throws before returning a promise', async () => {
    // Prepare
    const { env, config } = await serveScenarios(NOW, { only: ['overdue', 'drifted'] });
    const delivered: string[] = [];
    const notifier: Notifier = {
      send(alert) {
        if (alert.attributes.portal === 'overdue') throw new Error('not a promise');
        delivered.push(alert.attributes.portal);
        return Promise.resolve();
      },
    };

    // Act
    const run = await runCheck({ docspace: newClient(), keys: new EnvKeyReader({ env }), notifier }, config, { now: NOW, concurrency: 1 });

    // Assess
    expect(delivered).toEqual(['drifted']);
    expect(run.publishFailures.map((failure) => failure.portal)).toEqual(['overdue']);
  });

  it('goes on checking and alerting when the SNS topic refuses one alert', async () => {
    // Prepare
    const sns = await startFakeSns();
    onTestFinished(() => sns.close());
    onTestFinished(useFakeAwsEnvironment({ sns: sns.endpoint }));
    sns.failPublish(SnsErrors.authorization, { times: 1 });
    const { env, config } = await serveScenarios(NOW, { only: ['overdue', 'compliant', 'drifted', 'no-schedule'] });

    // Act
    const run = await runCheck(
      { docspace: newClient(), keys: new EnvKeyReader({ env }), notifier: new SnsNotifier({ topicArn: TOPIC_ARN }) },
      config,
      { now: NOW, concurrency: 1 },
    );

    // Assess
    expect(sns.publishes.map((publish) => [publish.MessageAttributes.portal?.StringValue, publish.delivered])).toEqual([
      ['overdue', false],
      ['drifted', true],
      ['no-schedule', true],
    ]);
    expect(run.alertsSent).toBe(2);
    expect(run.publishFailures.map((failure) => failure.portal)).toEqual(['overdue']);
    expect(run.publishFailures[0]!.message).toContain('AuthorizationError');
  });

  it('never puts the API key into a verdict, an alert, a publish failure or a log line', async () => {
    // Prepare
    // Not `sk-`-shaped, so no redaction of key-like text can hide a leak.
    const canary = `canary${randomUUID().replace(/-/g, '')}`;
    const { server, env, document } = await serveScenarios(NOW, {
      key: canary,
      only: ['compliant', 'overdue', 'failed-task', 'no-schedule', 'key-revoked', 'unpaid'],
    });
    const config = parseConfig({
      ...document,
      portals: (document.portals as Record<string, Record<string, unknown>>[]).map((portal) => ({ ...portal, apiKey: { ...portal.apiKey, scheme: 'bearer' } })),
    });
    const real = newClient();
    const docspace: DocSpace = {
      getSchedule: (target) => real.getSchedule(target),
      getProgress: async (target) => {
        if (target.name === 'no-schedule') throw new Error(`request with key ${target.apiKey} failed`);
        return real.getProgress(target);
      },
      getHistory: (target) => real.getHistory(target),
      getSettings: (target) => real.getSettings(target),
    };
    const alerts: string[] = [];
    const notifier: Notifier = {
      send: async (alert) => {
        alerts.push(JSON.stringify(alert));
        if (alert.attributes.portal === 'failed-task') throw new Error(`publish failed for ${canary}`);
      },
    };
    const { lines, logger } = recordingLogger();

    // Act
    const run = await runCheck({ docspace, keys: new EnvKeyReader({ env }), notifier, logger }, config, { now: NOW });

    // Assess
    // The key was really in play: the portals were asked with it.
    expect(server.requests.some((request) => request.headers.authorization === `Bearer ${canary}`)).toBe(true);
    expect(verdictOf(run.verdicts, 'compliant').status).toBe('OK');
    expect(alerts).toHaveLength(5);
    expect(lines.length).toBeGreaterThan(0);
    const everything = [
      JSON.stringify(run.verdicts),
      ...alerts,
      ...run.publishFailures.map((failure) => `${failure.name} ${failure.message}`),
      ...lines,
    ].join('\n');
    expect(everything).not.toContain(canary);
  });
});

describe('selectPortals', () => {
  const config = parseConfig({
    portals: ['alpha', 'beta', 'gamma'].map((name) => ({ name, url: `https://${name}.onlyoffice.com`, apiKey: { env: 'KEY' } })),
  });

  it.each([[undefined], [[]]])('gives every portal when the names are %j', (names) => {
    // Act
    const portals = selectPortals(config, names);

    // Assess
    expect(portals.map((portal) => portal.name)).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('gives the named portals in config order', () => {
    // Act
    const portals = selectPortals(config, ['gamma', 'alpha']);

    // Assess
    expect(portals.map((portal) => portal.name)).toEqual(['alpha', 'gamma']);
  });

  it('fails naming every unknown portal and the configured ones', () => {
    // Act
    const select = () => selectPortals(config, ['beta', 'nope', 'other']);

    // Assess
    expect(select).toThrow('unknown portal "nope", "other"; configured: alpha, beta, gamma');
  });
});
