/**
 * Runs cut short, doubled or fed odd files (docs/RELIABILITY.md, rows R01-R06): the real CLI in a
 * child process killed while SNS holds its Publish open, two CLI runs on one `--state` file, the
 * deployed handler given the same digest run twice, an API key pasted into the config, and state
 * and config paths that are links, FIFOs, devices or huge files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../functions/check/config.ts';
import { ConfigError } from '../../functions/check/errors.ts';
import type { PortalMemory } from '../../functions/check/notify/types.ts';
import { JsonFileStateStore } from '../../functions/check/state/json-file-state-store.ts';
import { useFakeAwsEnvironment } from '../support/aws-env.ts';
import { newCanaryKey } from '../support/canary.ts';
import { PROJECT_ROOT } from '../support/cdk-synth.ts';
import { CLI_PATH, runCli, type CliResult } from '../support/cli-process.ts';
import { startDynalite } from '../support/dynalite.ts';
import { SnsErrors, startFakeSns, type FakeSns } from '../support/fake-sns.ts';
import { scenarioConfig } from '../support/scenarios.ts';
import { keyRing, serveScenarios } from '../support/served-scenarios.ts';
import type { SimulatedPortals } from '../support/simulated-portal.ts';
import { deployFunction } from './handler-harness.ts';
import { NOW, TOPIC_ARN } from './harness.ts';

/** How long a test waits for something the CLI child does, before it fails: generous, for a busy machine. */
const WAIT_LIMIT_MS = 60_000;
/** How long a CLI child may live: R02's first run lives through the whole second run. */
const CLI_KILL_AFTER_MS = 90_000;
/** The time limit of a test that spawns processes. */
const PROCESS_TEST_TIMEOUT_MS = 180_000;

let dir: string;
let server: SimulatedPortals;
let sns: FakeSns;
let restoreAws: () => void;
let keyEnv: Record<string, string>;

interface StateFile {
  readonly portals: Record<string, PortalMemory>;
}

function path(file: string): string {
  return join(dir, file);
}

/** `check --config monitor.json --state <state> --publish <topic> --now NOW` in the temp dir. */
function checkWithState(state: string): Promise<CliResult> {
  return runCli(['check', '--config', 'monitor.json', '--state', state, '--publish', TOPIC_ARN, '--now', NOW.toISOString()], {
    cwd: dir,
    env: keyEnv,
    killAfterMs: CLI_KILL_AFTER_MS,
  });
}

async function readState(file: string): Promise<StateFile> {
  return JSON.parse(await readFile(file, 'utf8')) as StateFile;
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const until = Date.now() + WAIT_LIMIT_MS;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The number of Publishes SNS has received so far. */
function publishesReceived(): number {
  return sns.requests.filter((request) => request.form.Action === 'Publish').length;
}

/** The PIDs of this test process's children that run the CLI (started by runCli), found by the command's file. */
function childPids(): number[] {
  const result = spawnSync('pgrep', ['-P', String(process.pid), '-f', CLI_PATH.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).map(Number);
}

beforeAll(async () => {
  const served = await serveScenarios(NOW, ['compliant', 'overdue'], keyRing(newCanaryKey));
  ({ server, keyEnv } = served);
  const { scenarios } = served;
  sns = await startFakeSns();
  // The CLI children inherit this: fake credentials, the fake SNS, nothing can reach AWS.
  restoreAws = useFakeAwsEnvironment({ sns: sns.endpoint });
  dir = await mkdtemp(join(tmpdir(), 'run-faults-'));
  await writeFile(path('monitor.json'), JSON.stringify(scenarioConfig(scenarios, (name) => server.urlOf(name))));
});

afterAll(async () => {
  restoreAws?.();
  await Promise.all([server?.close(), sns?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('runs cut short or doubled', () => {
  it('R01 SIGTERM while the CLI publishes with --state: exit 3 within seconds, the alert not remembered as sent, the next run sends it', async () => {
    // Prepare
    const state = path('r01.json');
    const answerPublishes = sns.holdPublishes();
    const before = sns.publishes.length;
    const received = publishesReceived();

    // Act
    const running = checkWithState(state);
    await waitFor(() => publishesReceived() > received, 'the CLI to publish');
    const [pid] = childPids();
    const signalledAt = Date.now();
    process.kill(pid!, 'SIGTERM');
    const stopped = await running;
    const secondsToExit = (Date.now() - signalledAt) / 1000;
    answerPublishes();
    const afterStop = await readState(state).catch(() => ({ portals: {} }) as StateFile);
    const lockLeft = existsSync(`${state}.lock`);
    const next = await checkWithState(state);

    // Assess
    expect(stopped.code).toBe(3);
    // A loose bound for a busy machine: the run ends at once, and its grace exits it after 8 s at the latest;
    // a CLI that ignored the signal would wait on SNS until it is killed (90 s).
    expect(secondsToExit).toBeLessThan(30);
    expect(stopped.stderr).toContain('stopping: SIGTERM received; aborting the checks and alerts in flight');
    expect(stopped.stderr).toMatch(/^error: stopped by SIGTERM: alerts not sent were not remembered as sent; the next run sends them$/m);
    expect(afterStop.portals.overdue).toBeUndefined();
    expect(lockLeft).toBe(false);
    expect(next.code).toBe(2);
    const published = sns.publishes.slice(before).map((publish) => [publish.MessageAttributes.portal?.StringValue, publish.MessageAttributes.state?.StringValue, publish.delivered]);
    expect(published).toEqual([
      ['overdue', 'firing', false],
      ['overdue', 'firing', true],
    ]);
    expect((await readState(state)).portals.overdue).toMatchObject({ status: 'CRITICAL', notifiedStatus: 'CRITICAL', lastRunKey: NOW.toISOString() });
  }, PROCESS_TEST_TIMEOUT_MS);

  it('R02 a second CLI run on the same --state file while the first publishes: refused, exit 3, naming the holder; the first ends as usual', async () => {
    // Prepare
    const state = path('r02.json');
    const answerPublishes = sns.holdPublishes();
    const before = sns.publishes.length;
    const received = publishesReceived();

    // Act
    const first = checkWithState(state);
    await waitFor(() => publishesReceived() > received, 'the first run to publish');
    const second = await checkWithState(state);
    answerPublishes();
    const firstResult = await first;

    // Assess
    expect(second.code).toBe(3);
    const lockFile = `${state}.lock`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(second.stderr).toMatch(
      new RegExp(
        `^error: the state file is in use by another run: PID \\d+ on host ${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} since \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z \\(lock file ${lockFile}\\); wait for it to end, or remove the lock file if that run no longer exists$`,
        'm',
      ),
    );
    expect(second.stdout).toBe('');
    expect(firstResult.code).toBe(2);
    expect(sns.publishes.slice(before).map((publish) => [publish.MessageAttributes.portal?.StringValue, publish.delivered])).toEqual([['overdue', true]]);
    expect((await readState(state)).portals.overdue).toMatchObject({ notifiedStatus: 'CRITICAL', lastRunKey: NOW.toISOString() });
    expect(existsSync(`${state}.lock`)).toBe(false);
  }, PROCESS_TEST_TIMEOUT_MS);

  it('R03 the Scheduler delivers one digest run three times, the first Publish refused: exactly one digest is delivered', async () => {
    // Prepare: the deployed function with its state table
    const dynamodb = await startDynalite();
    vi.stubEnv('STATE_TABLE_NAME', await dynamodb.createStateTable('docspace-backup-state-r03'));
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamodb.endpoint);
    const deployed = await deployFunction([
      { name: 'compliant', scenario: 'compliant' },
      { name: 'overdue', scenario: 'overdue' },
    ]);
    const event = { action: 'digest', scheduledTime: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString() };
    deployed.sns.failPublish(SnsErrors.authorization, { times: 1 });

    try {
      // Act
      const refused = await deployed.handler(event).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      const delivered = await deployed.handler(event);
      const redelivered = await deployed.handler(event);

      // Assess
      expect(refused?.message).toMatch(/AuthorizationError/);
      expect([delivered.alertsSent, redelivered.alertsSent]).toEqual([1, 0]);
      expect(deployed.sns.publishes.map((publish) => [publish.MessageAttributes.state?.StringValue, publish.delivered])).toEqual([
        ['digest', false],
        ['digest', true],
      ]);
      expect([delivered.status, redelivered.status]).toEqual(['CRITICAL', 'CRITICAL']);
    } finally {
      await deployed.close();
      await dynamodb.close();
    }
  }, 60_000);
});

describe('odd files', () => {
  it('R04 an API key pasted unquoted into the config: the CLI and cdk synth name line and column, never a character of the key', async () => {
    // Prepare
    const key = newCanaryKey('pasted');
    const texts = {
      unquoted: `{\n  "portals": [{"name": "a", "url": "https://a.example", "apiKey": {"env":${key}"}}]\n}`,
      glued: `{"portals": [{"apiKey": {"env": "A"${key}}}]}`,
      withByteOrderMark: `\uFEFF{"portals": [{"apiKey": {"env": ${key}}}]}`,
    };
    for (const [name, text] of Object.entries(texts)) await writeFile(path(`r04-${name}.json`), text);

    // Act
    const problems = await Promise.all(
      Object.keys(texts).map((name) =>
        loadConfig(path(`r04-${name}.json`)).then(
          () => [],
          (error: unknown) => (error as ConfigError).problems,
        ),
      ),
    );
    const synth = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ config: path('r04-unquoted.json') }), CDK_OUTDIR: path('r04.out'), CDK_VALIDATION: 'false' },
    });

    // Assess: each error is where the key starts (a byte order mark is not counted)
    const columnOfKey = (line: string) => line.indexOf(key) + 1;
    expect(problems).toEqual([
      [`not valid JSON: unexpected character (a value that is not quoted, or a missing comma?) at line 2, column ${columnOfKey(texts.unquoted.split('\n')[1]!)}`],
      [`not valid JSON: expected ',' or '}' after a property value at line 1, column ${columnOfKey(texts.glued)}`],
      [`not valid JSON: unexpected character (a value that is not quoted, or a missing comma?) at line 1, column ${columnOfKey(texts.withByteOrderMark.slice(1))}`],
    ]);
    expect(synth.status).toBe(1);
    expect(synth.stderr.trim()).toBe(`invalid config ${path('r04-unquoted.json')}:\n  - ${problems[0]![0]}`);
    for (const text of [...problems.flat(), synth.stdout, synth.stderr]) expect(text).not.toContain(key.slice(0, 4));
  }, PROCESS_TEST_TIMEOUT_MS);

  it('R05 a state file with mode 600 reached through a symbolic link: the run updates the target, which keeps its mode; the link stays', async () => {
    // Prepare
    await mkdir(path('r05-real'));
    const target = path('r05-real/state.json');
    await writeFile(target, JSON.stringify({ version: 1, portals: {} }));
    await chmod(target, 0o600);
    await symlink('r05-real/state.json', path('r05-link.json'));
    const memory: PortalMemory = {
      portal: 'overdue',
      status: 'CRITICAL',
      codes: ['BACKUP_OVERDUE'],
      since: NOW.toISOString(),
      notifiedStatus: 'CRITICAL',
      notifiedCodes: ['BACKUP_OVERDUE'],
      notifiedSeverity: 'critical',
      lastNotifiedAt: NOW.toISOString(),
      runsSinceNotice: 0,
      lastRunKey: NOW.toISOString(),
    };

    // Act
    await new JsonFileStateStore({ file: path('r05-link.json') }).claim(memory);

    // Assess
    expect((await lstat(path('r05-link.json'))).isSymbolicLink()).toBe(true);
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect((await readState(target)).portals.overdue).toEqual(memory);
  });

  it('R06 a FIFO, a device or a file over 16 MiB as --config or --state: refused at once, naming the path and why', async () => {
    // Prepare
    const fifo = path('r06.fifo');
    execFileSync('mkfifo', [fifo]);
    const huge = path('r06-huge.json');
    await writeFile(huge, '');
    await truncate(huge, 16 * 1024 * 1024 + 1);

    // Act
    const outcomes = await Promise.all([
      ...[fifo, '/dev/zero', huge].map((file) => loadConfig(file).then(() => 'read', (error: unknown) => (error as Error).message)),
      ...[fifo, '/dev/zero', huge].map((file) =>
        new JsonFileStateStore({ file }).load(['overdue']).then(
          () => 'read',
          (error: unknown) => (error as Error).message,
        ),
      ),
    ]);

    // Assess
    expect(outcomes).toEqual([
      `invalid config ${fifo}:\n  - is a FIFO (named pipe), not a regular file; name a JSON file`,
      'invalid config /dev/zero:\n  - is a device, not a regular file; name a JSON file',
      `invalid config ${huge}:\n  - is larger than 16 MiB, the most the monitor reads; is it the right file?`,
      `state file ${fifo} is a FIFO (named pipe), not a regular file; name a JSON file`,
      'state file /dev/zero is a device, not a regular file; name a JSON file',
      `state file ${huge} is larger than 16 MiB, the most the monitor reads; is it the right file?`,
    ]);
  });
});
