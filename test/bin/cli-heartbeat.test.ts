/**
 * `docspace-backup-monitor check --heartbeat URL` in a child process, against a local ping
 * endpoint, the simulated portals and the local SNS: the pings of a run, of a failed run and of
 * a bad config, and a failing endpoint that never changes the exit code.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useFakeAwsEnvironment } from '../support/aws-env.ts';
import { runCli } from '../support/cli-process.ts';
import { FAKE_PING_UUID, startFakeHeartbeat, type FakeHeartbeat } from '../support/fake-heartbeat.ts';
import { SnsErrors, startFakeSns, type FakeSns } from '../support/fake-sns.ts';
import { buildScenarios, keyVariableOf, SCENARIO_POLICY } from '../support/scenarios.ts';
import { startSimulatedPortals, type SimulatedPortals } from '../support/simulated-portal.ts';

const NOW = '2026-03-02T09:00:00.000Z';
const TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:docspace-backup-alerts';
const KEY = 'clikey0123456789abcdef0123456789';

let dir: string;
let server: SimulatedPortals;
let sns: FakeSns;
let restoreEnvironment: () => void;
let ping: FakeHeartbeat;

beforeAll(async () => {
  const scenarios = buildScenarios(new Date(NOW), () => KEY);
  server = await startSimulatedPortals({ overdue: scenarios.find((scenario) => scenario.name === 'overdue')!.portal });
  sns = await startFakeSns();
  sns.failPublish(SnsErrors.authorization);
  restoreEnvironment = useFakeAwsEnvironment({ sns: sns.endpoint });
  dir = await mkdtemp(join(tmpdir(), 'docspace-backup-monitor-heartbeat-'));
  await writeFile(
    join(dir, 'monitor.config.json'),
    JSON.stringify({ portals: [{ name: 'overdue', url: server.urlOf('overdue'), apiKey: { env: keyVariableOf('overdue'), scheme: 'bearer' } }], policy: SCENARIO_POLICY }),
  );
  await writeFile(join(dir, 'broken.json'), '{ "portals": [');
});

afterAll(async () => {
  restoreEnvironment?.();
  await Promise.all([server?.close(), sns?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  ping = await startFakeHeartbeat();
});

afterEach(async () => {
  await ping.close();
});

function check(args: readonly string[]) {
  return runCli(['check', '--now', NOW, ...args], { cwd: dir, env: { [keyVariableOf('overdue')]: KEY } });
}

describe('docspace-backup-monitor check --heartbeat', () => {
  it('pings URL/start and then URL around a run, and keeps the exit code of the verdict', async () => {
    // Act
    const result = await check(['--heartbeat', ping.url]);

    // Assess
    expect(result.code).toBe(2);
    expect(ping.pings.map((received) => [received.method, received.signal, received.body])).toEqual([
      ['POST', '/start', ''],
      ['POST', '', ''],
    ]);
  });

  it('pings URL/fail with the summary when an alert cannot be published', async () => {
    // Act
    const result = await check(['--heartbeat', ping.url, '--publish', TOPIC_ARN]);

    // Assess: CRITICAL wins over the UNKNOWN of the lost alert.
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: alert for portal overdue could not be published');
    expect(ping.pings.map((received) => [received.signal, received.body])).toEqual([
      ['/start', ''],
      ['/fail', 'run failed: 1 alert(s) could not be published'],
    ]);
  });

  it('pings URL/fail naming the error when the run\'s report cannot be archived', async () => {
    // Prepare: a file stands where the archive folder should be.
    await writeFile(join(dir, 'not-a-folder'), 'x');

    // Act
    const result = await check(['--heartbeat', ping.url, '--archive', 'not-a-folder']);

    // Assess: CRITICAL wins over the UNKNOWN of the lost report.
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: the report could not be archived in not-a-folder /m);
    expect(ping.pings.map((received) => [received.signal, received.body])).toEqual([
      ['/start', ''],
      ['/fail', 'run failed: ReportArchiveError'],
    ]);
  });

  it('pings URL/fail when the config cannot be read', async () => {
    // Act
    const result = await check(['--heartbeat', ping.url, '--config', 'broken.json']);

    // Assess
    expect(result.code).toBe(3);
    expect(ping.pings.map((received) => [received.signal, received.body])).toEqual([
      ['/start', ''],
      ['/fail', 'run failed: ConfigError'],
    ]);
  });

  it('warns on stderr, without the URL\'s secret path, when the endpoint fails, and keeps the exit code', async () => {
    // Prepare
    ping.answer({ status: 500 });

    // Act
    const result = await check(['--heartbeat', ping.url]);

    // Assess
    expect(result.code).toBe(2);
    expect(ping.pings).toHaveLength(4);
    expect(result.stderr).toContain(`warning: heartbeat ping failed; the run goes on (start, ${new URL(ping.url).host}, HTTP 500)`);
    expect(result.stderr).toContain(`warning: heartbeat ping failed; the run goes on (success, ${new URL(ping.url).host}, HTTP 500)`);
    expect(result.stderr + result.stdout).not.toContain(FAKE_PING_UUID);
  });

  it('exits 3 before any ping when the URL is not a ping URL, without quoting its path', async () => {
    // Act
    const result = await check(['--heartbeat', 'http://hc-ping.com/secret-uuid-123']);

    // Assess
    expect(result.code).toBe(3);
    expect(result.stderr.trim()).toBe('error: --heartbeat must use https (http is allowed only for loopback hosts) (e.g. https://hc-ping.com/<uuid>)');
    expect(result.stderr).not.toContain('secret-uuid-123');
  });
});
