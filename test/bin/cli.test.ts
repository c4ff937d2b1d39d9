import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { useFakeAwsEnvironment } from '../support/aws-env.ts';
import { CLI_PATH, runCli, type CliResult } from '../support/cli-process.ts';
import { SnsErrors, startFakeSns, type FakeSns } from '../support/fake-sns.ts';
import { startFakeSsm, type FakeSsm } from '../support/fake-ssm.ts';
import { buildScenarios, keyVariableOf, SCENARIO_POLICY, scenarioConfig, type Scenario } from '../support/scenarios.ts';
import { startSimulatedPortals, type SimulatedPortals } from '../support/simulated-portal.ts';
import { keyRing } from '../support/served-scenarios.ts';

/** Monday 2 March 2026, 10:00 in Berlin: every scenario is served as of this instant. */
const NOW = '2026-03-02T09:00:00.000Z';
const THREE_DAYS_LATER = '2026-03-05T09:00:00.000Z';
const TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:docspace-backup-alerts';
const SSM_PARAMETER = '/docspace/compliant/api-key';
/** How many portals the long alert run has: their alerts together are far beyond 16 KiB. */
const MANY = 12;

interface JsonReport {
  readonly checkedAt: string;
  readonly status: string;
  readonly portals: readonly { readonly name: string; readonly status: string; readonly findings: readonly { readonly code: string }[] }[];
}

let dir: string;
let server: SimulatedPortals;
let scenarios: readonly Scenario[];
let ssm: FakeSsm;
let sns: FakeSns;
let refusingSns: FakeSns;
let restoreEnvironment: () => void;
/** Each portal's key, not `sk-`-shaped, so no redaction can hide a leak in the output. */
const keyOf = keyRing(() => `cli${randomUUID().replace(/-/g, '')}`);
/** The key variables the configs name; the revoked portal's holds a key it no longer accepts. */
let keyEnv: Record<string, string>;

function path(file: string): string {
  return join(dir, file);
}

/** `docspace-backup-monitor check …` in the temp dir, with the key variables set. */
function check(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['check', ...args], { cwd: dir, env: { ...keyEnv, ...env } });
}

function withBearer(document: Record<string, unknown>): Record<string, unknown> {
  const portals = document.portals as Record<string, Record<string, unknown>>[];
  return { ...document, portals: portals.map((portal) => ({ ...portal, apiKey: { ...portal.apiKey, scheme: 'bearer' } })) };
}

function codesOf(findings: readonly { readonly code: string }[]): string[] {
  return [...new Set(findings.map((finding) => finding.code))].sort();
}

function portalArgs(names: readonly string[]): string[] {
  return names.flatMap((name) => ['--portal', name]);
}

beforeAll(async () => {
  scenarios = buildScenarios(new Date(NOW), keyOf);
  server = await startSimulatedPortals(Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.portal])));
  const overdue = scenarios.find((scenario) => scenario.name === 'overdue')!;
  for (let index = 0; index < MANY; index += 1) server.setPortal(`overdue-${index}`, overdue.portal);

  keyEnv = Object.fromEntries(scenarios.map((scenario) => [keyVariableOf(scenario.name), keyOf(scenario.name)]));
  keyEnv[keyVariableOf('key-revoked')] = `revoked${randomUUID().replace(/-/g, '')}`;

  ssm = await startFakeSsm();
  ssm.putParameter(SSM_PARAMETER, keyOf('compliant'));
  sns = await startFakeSns();
  refusingSns = await startFakeSns();
  refusingSns.failPublish(SnsErrors.authorization);
  // Children inherit this: fake credentials, fake SSM and SNS, nothing can reach AWS.
  restoreEnvironment = useFakeAwsEnvironment({ ssm: ssm.endpoint, sns: sns.endpoint });

  dir = await mkdtemp(join(tmpdir(), 'docspace-backup-monitor-cli-'));
  await writeFile(path('scenarios.json'), JSON.stringify(withBearer(scenarioConfig(scenarios, (name) => server.urlOf(name)))));
  await writeFile(
    path('many.json'),
    JSON.stringify({
      portals: Array.from({ length: MANY }, (_, index) => ({ name: `overdue-${index}`, url: server.urlOf(`overdue-${index}`), apiKey: { env: keyVariableOf('overdue'), scheme: 'bearer' } })),
      policy: SCENARIO_POLICY,
    }),
  );
  await writeFile(
    path('ssm.json'),
    JSON.stringify({
      portals: [{ name: 'compliant', url: server.urlOf('compliant'), apiKey: { ssmParameter: SSM_PARAMETER, scheme: 'bearer' } }],
      policy: SCENARIO_POLICY,
    }),
  );
  await writeFile(
    path('invalid.json'),
    JSON.stringify({
      portals: [{ name: 'Acme Prod', url: 'http://acme.onlyoffice.com', apiKey: { env: 'ACME_KEY' } }],
      policy: { graceMinutes: -5, schedule: { period: 'EveryDay', hour: 25 } },
    }),
  );
});

afterAll(async () => {
  restoreEnvironment?.();
  await Promise.all([server?.close(), ssm?.close(), sns?.close(), refusingSns?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.concurrent('docspace-backup-monitor check', () => {
  it('prints only the JSON report on stdout with --json --show-alerts, the alerts on stderr, and exits 2 for a critical portal', async ({ expect }) => {
    // Act
    const result = await check(['--config', 'scenarios.json', '--json', '--show-alerts', '--now', NOW]);

    // Assess
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.checkedAt).toBe(NOW);
    expect(report.status).toBe('CRITICAL');
    expect(report.portals.map((portal) => [portal.name, portal.status, codesOf(portal.findings)])).toEqual(
      scenarios.map((scenario) => [scenario.name, scenario.expectedStatus, [...scenario.expectedCodes].sort()]),
    );
    const alerted = [...result.stderr.matchAll(/^=== alert: (\S+) \(/gm)].map((match) => match[1]);
    expect(alerted.sort()).toEqual(scenarios.filter((scenario) => scenario.expectedStatus !== 'OK').map((scenario) => scenario.name).sort());
    for (const key of [...scenarios.map((scenario) => keyOf(scenario.name)), ...Object.values(keyEnv)]) expect(result.stdout + result.stderr).not.toContain(key);
  });

  // One run per exit code (each CLI run costs a second of CPU); the critical and the unknown runs
  // also hold the status each one beats, so the order CRITICAL > UNKNOWN > WARNING is shown too.
  it.for<[number, string, string, readonly string[]]>([
    [0, 'every portal is OK', 'OK', ['compliant']],
    [1, 'a portal drifted', 'WARNING', ['drifted', 'compliant']],
    [2, 'a portal is critical, and CRITICAL beats UNKNOWN', 'CRITICAL', ['overdue', 'key-revoked', 'compliant']],
    [3, 'a portal cannot be evaluated, and UNKNOWN beats WARNING', 'UNKNOWN', ['key-revoked', 'drifted', 'compliant']],
  ])('exits %i when %s (%s: %j)', async ([code, _why, status, portals], { expect }) => {
    // Act
    const result = await check(['--config', 'scenarios.json', '--now', NOW, ...portalArgs(portals)]);

    // Assess
    expect(result.code).toBe(code);
    expect(result.stdout).toMatch(new RegExp(`^${status}: ${portals.length} portals? checked at 2026-03-02 09:00 UTC`, 'm'));
    for (const name of portals) expect(result.stdout).toMatch(new RegExp(`^${name}\\s`, 'm'));
  });

  it('judges as of --now: the same portal is OK at one instant and CRITICAL three days later', async ({ expect }) => {
    // Act
    const [before, after] = await Promise.all([
      check(['--config', 'scenarios.json', '--portal', 'compliant', '--json', '--now', NOW]),
      check(['--config', 'scenarios.json', '--portal', 'compliant', '--json', '--now', THREE_DAYS_LATER]),
    ]);

    // Assess
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ checkedAt: NOW, status: 'OK', portals: [{ name: 'compliant', status: 'OK', findings: [] }] });
    expect(after.code).toBe(2);
    const report = JSON.parse(after.stdout) as JsonReport;
    expect(report).toMatchObject({ checkedAt: THREE_DAYS_LATER, status: 'CRITICAL' });
    expect(codesOf(report.portals[0]!.findings)).toContain('BACKUP_OVERDUE');
  });

  it('prints the table, then every alert it would send, however long the alerts are together', async ({ expect }) => {
    // Act
    const result = await check(['--config', 'many.json', '--show-alerts', '--now', NOW]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(new RegExp(`^CRITICAL: ${MANY} portals checked`, 'm'));
    expect(result.stdout).toContain('that would be sent');
    expect([...result.stdout.matchAll(/^=== alert: (\S+) \(CRITICAL\) ===$/gm)]).toHaveLength(MANY);
    expect(result.stdout.length).toBeGreaterThan(16 * 1024);
  });

  it('reads a key given as {"ssmParameter"} from SSM', async ({ expect }) => {
    // Act
    const result = await check(['--config', 'ssm.json', '--json', '--now', NOW], { [keyVariableOf('compliant')]: '' });

    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'OK', portals: [{ name: 'compliant', status: 'OK' }] });
    expect(ssm.requests.flatMap((request) => [request.body.Name, ...((request.body.Names as string[] | undefined) ?? [])])).toContain(SSM_PARAMETER);
    expect(ssm.requests.every((request) => request.body.WithDecryption === true)).toBe(true);
  });

  it('publishes one alert per portal that is not OK to the --publish topic', async ({ expect }) => {
    // Act
    const result = await check(['--config', 'scenarios.json', '--now', NOW, '--publish', TOPIC_ARN, ...portalArgs(['compliant', 'overdue', 'drifted'])]);

    // Assess
    expect(result.code).toBe(2);
    const published = sns.delivered().map((publish) => [publish.TopicArn, publish.MessageAttributes.portal?.StringValue, publish.MessageAttributes.status?.StringValue]);
    expect(published.sort()).toEqual([
      [TOPIC_ARN, 'drifted', 'WARNING'],
      [TOPIC_ARN, 'overdue', 'CRITICAL'],
    ]);
    expect(result.stdout).toContain('2 alerts published');
  });

  it.for<[string, readonly string[], number]>([
    ['exits 3 instead of 1 (WARNING)', ['drifted'], 3],
    ['stays at 2 (CRITICAL)', ['drifted', 'overdue'], 2],
  ])('%s when the topic refuses the alerts of %j', async ([_case, portals, code], { expect }) => {
    // Act
    const result = await check(['--config', 'scenarios.json', '--now', NOW, '--publish', TOPIC_ARN, ...portalArgs(portals)], {
      AWS_ENDPOINT_URL_SNS: refusingSns.endpoint,
    });

    // Assess
    expect(result.code).toBe(code);
    for (const name of portals) expect(result.stderr).toMatch(new RegExp(`^error: alert for portal ${name} could not be published to ${TOPIC_ARN}: AuthorizationError$`, 'm'));
    expect(result.stdout).toContain('ALERT NOT DELIVERED');
  });

  it('exits 3 and lists each config problem by its path, without a stack trace', async ({ expect }) => {
    // Act
    const result = await check(['--config', 'invalid.json']);

    // Assess
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('invalid config invalid.json:');
    expect(result.stderr).toMatch(/^ {2}- portals\[0\]\.name: /m);
    expect(result.stderr).toMatch(/^ {2}- portals\[0\]\.url: must use https/m);
    expect(result.stderr).toMatch(/^ {2}- policy\.graceMinutes: /m);
    expect(result.stderr).toMatch(/^ {2}- policy\.schedule\.hour: /m);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
  });

  it('exits 3 naming the default config file when there is none', async ({ expect }) => {
    // Act
    const result = await check([]);

    // Assess
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('monitor.config.json');
    expect(result.stderr).toContain('file not found');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it.for<[string, readonly string[], RegExp]>([
    ['an unknown option', ['--config', 'scenarios.json', '--bogus'], /^error: .*'--bogus'.*\(see --help\)$/m],
    ['a --now that is not an ISO-8601 instant', ['--config', 'scenarios.json', '--now', 'yesterday'], /^error: --now must be an ISO-8601 instant .*, got "yesterday"$/m],
    ['a --now at an hour that does not exist', ['--config', 'scenarios.json', '--now', '2026-03-02T25:00:00Z'], /^error: --now must be an ISO-8601 instant/m],
    ['a --now on a day that does not exist (not rolled over to 2 March)', ['--config', 'scenarios.json', '--now', '2026-02-30T09:00:00Z'], /^error: --now must be an ISO-8601 instant .*, got "2026-02-30T09:00:00Z"$/m],
    ['a --now without an offset (not read in the host\'s zone)', ['--config', 'scenarios.json', '--now', '2026-03-02T09:00'], /^error: --now must be an ISO-8601 instant .*, got "2026-03-02T09:00"$/m],
    ['a --publish that is not an SNS topic ARN', ['--config', 'scenarios.json', '--publish', 'docspace-alerts'], /^error: --publish must be an SNS topic ARN .*, got "docspace-alerts"$/m],
    ['a --portal that is not configured', ['--config', 'scenarios.json', '--portal', 'nope'], /^error: --portal: unknown portal "nope"; configured: compliant, overdue, /m],
    ['a --timeout too short to leave time for alerts', ['--config', 'scenarios.json', '--timeout', '30s'], /^error: --timeout must be a duration of 45s to 60m such as 120s or 5m \(seconds when no unit is given\), got "30s"$/m],
  ])('exits 3 with a clear message for %s', async ([_problem, args, message], { expect }) => {
    // Act
    const result = await check(args);

    // Assess
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
  });
});

describe.concurrent('docspace-backup-monitor', () => {
  it('documents every option and the exit codes with --help, and exits 0', async ({ expect }) => {
    // Act
    const result = await runCli(['--help'], { cwd: dir });

    // Assess
    expect(result.code).toBe(0);
    for (const option of ['--config FILE', '--portal NAME', '--json', '--now ISO-8601', '--publish ARN', '--show-alerts', '--concurrency N', '--timeout DURATION', '-h, --help'])
      expect(result.stdout).toContain(option);
    for (const [code, status] of [
      [0, 'OK'],
      [1, 'WARNING'],
      [2, 'CRITICAL'],
      [3, 'UNKNOWN'],
    ])
      expect(result.stdout).toMatch(new RegExp(`^\\s+${code} ${status}\\s`, 'm'));
    expect(result.stdout).toContain('CRITICAL wins over UNKNOWN, which wins over WARNING');
  });

  it('prints the package\'s version with --version, from the compiled command, and exits 0', async ({ expect }) => {
    // Prepare
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

    // Act
    const result = await runCli(['--version'], { cwd: dir });

    // Assess
    expect(CLI_PATH).toMatch(/[\\/]dist[\\/]cli\.mjs$/);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
    expect(result.stderr).toBe('');
  });

  it('prints the usage and exits 3 without a command', async ({ expect }) => {
    // Act
    const result = await runCli([], { cwd: dir });

    // Assess
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^Usage: docspace-backup-monitor check \[options\]/);
  });
});
