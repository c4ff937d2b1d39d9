/**
 * Escalation across runs through the real engine: runCheck over loopback to the simulated
 * portal, with each state store (memory, JSON file, DynamoDB on dynalite), run after run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Alert, Notifier } from '../../functions/check/alerts/notifier.ts';
import { EnvKeyReader } from '../../functions/check/api-keys/env-key-reader.ts';
import { parseConfig } from '../../functions/check/config.ts';
import { DocSpaceClient } from '../../functions/check/docspace/client.ts';
import type { StateStore } from '../../functions/check/notify/types.ts';
import type { Verdict } from '../../functions/check/policy/types.ts';
import { runCheck } from '../../functions/check/run-check.ts';
import { DynamoDbStateStore } from '../../functions/check/state/dynamodb-state-store.ts';
import { JsonFileStateStore } from '../../functions/check/state/json-file-state-store.ts';
import { MemoryStateStore } from '../../functions/check/state/memory-state-store.ts';
import { startDynalite, type LocalDynamoDb } from '../support/dynalite.ts';
import { envelope, startSimulatedPortals, type SimulatedPortal } from '../support/simulated-portal.ts';

const KEY = 'sk-test-escalation-2f8e61c0a9d4b735';
const DAY_MS = 24 * 60 * 60 * 1000;
/** The first run: Monday 4 January 2027, 07:00 UTC; the check runs daily. */
const FIRST_RUN = new Date('2027-01-04T07:00:00Z');

const DAILY_NEVER_RAN = {
  storageType: 0,
  storageParams: { folderId: '12' },
  cronParams: { period: 0, hour: 2, day: 0 },
  backupsStored: 7,
  lastBackupTime: '0001-01-01T00:00:00',
};

let dynamodb: LocalDynamoDb;
let tables = 0;

beforeAll(async () => {
  dynamodb = await startDynalite();
});

afterAll(async () => {
  await dynamodb.close();
});

const stores: [string, () => Promise<StateStore>][] = [
  ['MemoryStateStore', async () => new MemoryStateStore()],
  [
    'JsonFileStateStore',
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'escalation-'));
      onTestFinished(() => rm(directory, { recursive: true, force: true }));
      return new JsonFileStateStore({ file: join(directory, 'state.json') });
    },
  ],
  [
    'DynamoDbStateStore',
    async () => {
      tables += 1;
      return new DynamoDbStateStore({ tableName: await dynamodb.createStateTable(`escalation-${tables}`), client: dynamodb.client });
    },
  ],
];

function recordingNotifier(): Notifier & { readonly alerts: Alert[] } {
  const alerts: Alert[] = [];
  return { alerts, send: async (alert) => void alerts.push(alert) };
}

/** Runs the check of portal acme once a day, from {@link FIRST_RUN}, against the same state. */
async function dailyRuns(portal: Omit<SimulatedPortal, 'apiKey'>, state: StateStore, notifications: Record<string, unknown> = {}) {
  const docspace = await startSimulatedPortals({ acme: { apiKey: KEY, ...portal } });
  onTestFinished(() => docspace.close());
  const client = new DocSpaceClient({ maxRetries: 0 });
  onTestFinished(() => client.close());
  const notifier = recordingNotifier();
  const config = parseConfig({
    portals: [{ name: 'acme', url: docspace.urlOf('acme'), apiKey: { env: 'KEY' } }],
    policy: { requireArchive: false },
    notifications,
  });
  const deps = { docspace: client, keys: new EnvKeyReader({ env: { KEY } }), notifier, state };
  return {
    docspace,
    notifier,
    /** The verdict of the run on day `day` (0 = the first run). */
    async onDay(day: number): Promise<Verdict> {
      const run = await runCheck(deps, config, { now: new Date(FIRST_RUN.getTime() + day * DAY_MS) });
      expect(run.stateFailures).toEqual([]);
      return run.verdicts[0]!;
    },
  };
}

function severityOf(verdict: Verdict, code: string): string | undefined {
  return verdict.findings.find((finding) => finding.code === code)?.severity;
}

describe.each(stores)('escalation with %s', (_name, openStore) => {
  it('turns a portal unevaluated in 3 consecutive runs critical, and forgets it once it answers', async () => {
    // Prepare
    const state = await openStore();
    const runs = await dailyRuns({ schedule: { status: 503, body: '<html>Service Unavailable</html>' } }, state);

    // Act
    const verdicts = [await runs.onDay(0), await runs.onDay(1), await runs.onDay(2)];
    runs.docspace.setPortal('acme', { apiKey: KEY, schedule: { ...DAILY_NEVER_RAN, lastBackupTime: '2027-01-07T02:04:00' } });
    const recovered = await runs.onDay(3);
    runs.docspace.setPortal('acme', { apiKey: KEY, schedule: { status: 503 } });
    const againOnce = await runs.onDay(4);

    // Assess
    expect(verdicts.map((verdict) => severityOf(verdict, 'CHECK_FAILED'))).toEqual(['warning', 'warning', 'critical']);
    expect(verdicts[2]?.status).toBe('UNKNOWN');
    expect(verdicts[2]?.findings[0]?.message).toContain('could not be evaluated in 3 consecutive runs (since 2027-01-04 07:00 UTC)');
    expect(recovered.status).toBe('OK');
    expect(severityOf(againOnce, 'CHECK_FAILED')).toBe('warning');
    // The third run's alert pages: its severity rose although its codes did not change.
    expect(runs.notifier.alerts.map((alert) => alert.attributes.severity)).toEqual(['warning', 'critical', 'critical', 'warning']);
  });

  it('follows notifications.escalateUncheckedAfterRuns', async () => {
    // Prepare
    const state = await openStore();
    const runs = await dailyRuns({ schedule: { status: 503 } }, state, { escalateUncheckedAfterRuns: 2 });

    // Act
    const verdicts = [await runs.onDay(0), await runs.onDay(1)];

    // Assess
    expect(verdicts.map((verdict) => severityOf(verdict, 'CHECK_FAILED'))).toEqual(['warning', 'critical']);
  });

  it('turns a NEVER_RAN critical once it has lasted one full period plus grace since first seen', async () => {
    // Prepare
    const state = await openStore();
    const runs = await dailyRuns({ schedule: DAILY_NEVER_RAN }, state);

    // Act: 07:00 on day 0 (first seen), day 1 (24 h: within the grace), day 2 (48 h)
    const verdicts = [await runs.onDay(0), await runs.onDay(1), await runs.onDay(2)];

    // Assess
    expect(verdicts.map((verdict) => severityOf(verdict, 'NEVER_RAN'))).toEqual(['warning', 'warning', 'critical']);
    expect(verdicts[2]?.status).toBe('CRITICAL');
    expect(verdicts[2]?.findings.find((finding) => finding.code === 'NEVER_RAN')?.message).toContain('first saw it never dispatched at 2027-01-04 07:00 UTC');
  });

  it('keeps counting a NEVER_RAN across a run that could not read the schedule', async () => {
    // Prepare
    const state = await openStore();
    const runs = await dailyRuns({ schedule: DAILY_NEVER_RAN }, state);

    // Act
    await runs.onDay(0);
    runs.docspace.setPortal('acme', { apiKey: KEY, schedule: { status: 502 } });
    await runs.onDay(1);
    runs.docspace.setPortal('acme', { apiKey: KEY, schedule: DAILY_NEVER_RAN });
    const third = await runs.onDay(2);

    // Assess
    expect(severityOf(third, 'NEVER_RAN')).toBe('critical');
  });

  it('starts the NEVER_RAN clock again after the schedule dispatched', async () => {
    // Prepare
    const state = await openStore();
    const runs = await dailyRuns({ schedule: DAILY_NEVER_RAN }, state);

    // Act
    await runs.onDay(0);
    runs.docspace.setPortal('acme', { apiKey: KEY, schedule: { ...DAILY_NEVER_RAN, lastBackupTime: '2027-01-05T02:03:00' } });
    await runs.onDay(1);
    runs.docspace.setPortal('acme', { apiKey: KEY, schedule: { body: envelope(DAILY_NEVER_RAN) } });
    const again = [await runs.onDay(2), await runs.onDay(3)];

    // Assess
    expect(again.map((verdict) => severityOf(verdict, 'NEVER_RAN'))).toEqual(['warning', 'warning']);
  });
});

describe('a key no header can carry, through runCheck', () => {
  it("is a critical API_KEY_INVALID, and the portal is never asked", async () => {
    // Prepare
    const docspace = await startSimulatedPortals({ acme: { apiKey: KEY } });
    onTestFinished(() => docspace.close());
    const client = new DocSpaceClient();
    onTestFinished(() => client.close());
    const config = parseConfig({ portals: [{ name: 'acme', url: docspace.urlOf('acme'), apiKey: { env: 'KEY' } }] });

    // Act
    const run = await runCheck({ docspace: client, keys: new EnvKeyReader({ env: { KEY: 'sk-…' } }) }, config, { now: FIRST_RUN });

    // Assess
    expect(run.verdicts[0]?.findings).toEqual([expect.objectContaining({ code: 'CHECK_FAILED', cause: 'API_KEY_INVALID', severity: 'critical', source: 'apiKey' })]);
    expect(docspace.requests).toEqual([]);
  });
});
