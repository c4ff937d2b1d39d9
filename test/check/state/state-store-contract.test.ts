/**
 * The StateStore contract, run against every store: the DynamoDB one on dynalite through the
 * real SDK client, the JSON file one in a temporary directory, and the memory one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PortalMemory, StateStore } from '../../../functions/check/notify/types.ts';
import { DynamoDbStateStore } from '../../../functions/check/state/dynamodb-state-store.ts';
import { StateStoreError } from '../../../functions/check/state/errors.ts';
import { JsonFileStateStore } from '../../../functions/check/state/json-file-state-store.ts';
import { MemoryStateStore } from '../../../functions/check/state/memory-state-store.ts';
import { LOCAL_DYNAMODB_WRITE_TIMEOUT_MS, startDynalite, type LocalDynamoDb } from '../../support/dynalite.ts';
import { memoryOf, okMemoryOf, runKey } from './portal-memories.ts';

let dynamodb: LocalDynamoDb;
let directory: string;
let tables = 0;

beforeAll(async () => {
  dynamodb = await startDynalite();
});

afterAll(async () => {
  await dynamodb.close();
});

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'state-store-contract-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** A store over fresh, empty state, and a way to open the same state again as a new process would. */
interface OpenedStore {
  readonly store: StateStore;
  readonly reopen: () => StateStore;
}

const stores: [string, () => Promise<OpenedStore>][] = [
  [
    'MemoryStateStore',
    async () => {
      const store = new MemoryStateStore();
      return { store, reopen: () => store };
    },
  ],
  [
    'JsonFileStateStore',
    async () => {
      const file = join(directory, 'state.json');
      return { store: new JsonFileStateStore({ file }), reopen: () => new JsonFileStateStore({ file }) };
    },
  ],
  [
    'DynamoDbStateStore',
    async () => {
      tables += 1;
      const tableName = await dynamodb.createStateTable(`monitor-state-${tables}`);
      const open = () => new DynamoDbStateStore({ tableName, client: dynamodb.client, writeTimeoutMs: LOCAL_DYNAMODB_WRITE_TIMEOUT_MS });
      return { store: open(), reopen: open };
    },
  ],
];

describe.each(stores)('%s', (_name, open) => {
  let store: StateStore;
  let reopen: () => StateStore;

  beforeEach(async () => {
    ({ store, reopen } = await open());
  });

  /** The portal's record as a new process would read it. */
  async function recordOf(portal: string): Promise<PortalMemory | undefined> {
    return (await reopen().load([portal])).get(portal);
  }

  describe('load', () => {
    it('returns no records from state never written', async () => {
      // Act
      const memories = await store.load(['acme', 'beta']);

      // Assess
      expect(memories.size).toBe(0);
    });

    it('returns no records when asked for no portals', async () => {
      // Prepare
      await store.claim(memoryOf('acme'));

      // Act
      const memories = await store.load([]);

      // Assess
      expect(memories.size).toBe(0);
    });

    it('returns the records of the portals asked for, keyed by portal, and none for the others', async () => {
      // Prepare
      const acme = memoryOf('acme');
      const beta = okMemoryOf('beta');
      await store.claim(acme);
      await store.claim(beta);
      await store.claim(memoryOf('gamma'));

      // Act
      const memories = await reopen().load(['acme', 'beta', 'delta']);

      // Assess
      expect(memories).toEqual(
        new Map([
          ['acme', acme],
          ['beta', beta],
        ]),
      );
    });
  });

  describe('claim', () => {
    it.each<[string, PortalMemory]>([
      ['a notified CRITICAL record', memoryOf('acme')],
      ['an OK record never notified (no lastNotifiedAt)', okMemoryOf('acme')],
    ])('writes %s for a portal never seen and returns true', async (_case, next) => {
      // Act
      const claimed = await store.claim(next);

      // Assess
      expect(claimed).toBe(true);
      const record = await recordOf('acme');
      expect(record).toEqual(next);
      expect(record !== undefined && 'lastNotifiedAt' in record).toBe(next.lastNotifiedAt !== undefined);
    });

    it('returns false for a second delivery of the same run and leaves the record as the first wrote it', async () => {
      // Prepare
      const first = memoryOf('acme', { lastRunKey: runKey(3) });
      await store.claim(first);
      const duplicate = memoryOf('acme', { lastRunKey: runKey(3), status: 'WARNING', codes: ['RETENTION_TOO_LOW'], runsSinceNotice: 4 });

      // Act
      const claimed = await store.claim(duplicate);

      // Assess
      expect(claimed).toBe(false);
      expect(await recordOf('acme')).toEqual(first);
    });

    it('writes the record of a new run over the last one and returns true', async () => {
      // Prepare
      await store.claim(memoryOf('acme', { lastRunKey: runKey(2) }));
      const next = okMemoryOf('acme', { lastRunKey: runKey(3), since: '2025-01-06T03:00:00.000Z', runsSinceNotice: 0 });

      // Act
      const claimed = await store.claim(next);

      // Assess
      expect(claimed).toBe(true);
      expect(await recordOf('acme')).toEqual(next);
    });

    it('treats the run key as the only duplicate test: the same record under a new run key is claimed', async () => {
      // Prepare
      await store.claim(memoryOf('acme', { lastRunKey: runKey(2) }));

      // Act
      const claimed = await store.claim(memoryOf('acme', { lastRunKey: runKey(3) }));

      // Assess
      expect(claimed).toBe(true);
      expect((await recordOf('acme'))?.lastRunKey).toBe(runKey(3));
    });

    it('keeps portals apart: the same run key claimed for two portals is claimed for each', async () => {
      // Act
      const claimed = [await store.claim(memoryOf('acme')), await store.claim(memoryOf('beta'))];

      // Assess
      expect(claimed).toEqual([true, true]);
    });

    it.each([2, 5])('lets exactly one of %i deliveries of the same run at the same time claim the portal', async (deliveries) => {
      // Prepare: each delivery computed its own record, told apart by runsSinceNotice
      const records = Array.from({ length: deliveries }, (_, index) => memoryOf('acme', { lastRunKey: runKey(4), runsSinceNotice: index }));

      // Act
      const claimed = await Promise.all(records.map((record) => store.claim(record)));

      // Assess
      expect(claimed.filter(Boolean)).toHaveLength(1);
      expect(await recordOf('acme')).toEqual(records[claimed.indexOf(true)]);
    });

    it('keeps every record when 20 portals are claimed at the same time', async () => {
      // Prepare
      const records = Array.from({ length: 20 }, (_, index) => memoryOf(`portal-${index}`));

      // Act
      const claimed = await Promise.all(records.map((record) => store.claim(record)));

      // Assess
      expect(claimed.every(Boolean)).toBe(true);
      const memories = await reopen().load(records.map((record) => record.portal));
      expect([...memories.values()].sort((a, b) => a.portal.localeCompare(b.portal, 'en', { numeric: true }))).toEqual(records);
    });

    it.each<[string, Partial<PortalMemory>, string]>([
      ['a negative run count', { runsSinceNotice: -1 }, 'runsSinceNotice'],
      ['a since that is not ISO-8601', { since: 'yesterday' }, 'since'],
      ['an unknown status', { status: 'MAYBE' as PortalMemory['status'] }, 'status'],
      ['an empty run key', { lastRunKey: '' }, 'lastRunKey'],
    ])('fails when the record has %s, and writes nothing', async (_case, overrides, field) => {
      // Act
      const claiming = store.claim(memoryOf('acme', overrides));

      // Assess
      await expect(claiming).rejects.toThrow(StateStoreError);
      await expect(claiming).rejects.toThrow(new RegExp(`cannot claim portal acme in .*: the record is not valid: ${field}: `));
      await expect(claiming).rejects.not.toThrow(/yesterday|MAYBE/);
      expect(await recordOf('acme')).toBeUndefined();
    });
  });

  describe('release', () => {
    it('deletes the record when there was none before, so a retry of the same run claims the portal again', async () => {
      // Prepare
      const claimed = memoryOf('acme', { lastRunKey: runKey(3) });
      await store.claim(claimed);

      // Act
      await store.release(claimed, undefined);

      // Assess
      expect(await recordOf('acme')).toBeUndefined();
      expect(await store.claim(claimed)).toBe(true);
    });

    it('puts the previous record back, so a retry of the same run claims the portal again', async () => {
      // Prepare
      const previous = okMemoryOf('acme', { lastRunKey: runKey(2) });
      const claimed = memoryOf('acme', { lastRunKey: runKey(3) });
      await store.claim(previous);
      await store.claim(claimed);

      // Act
      await store.release(claimed, previous);

      // Assess
      expect(await recordOf('acme')).toEqual(previous);
      expect(await store.claim(claimed)).toBe(true);
      expect(await recordOf('acme')).toEqual(claimed);
    });

    it.each<[string, PortalMemory | undefined]>([
      ['with a previous record', okMemoryOf('acme', { lastRunKey: runKey(2) })],
      ['without a previous record', undefined],
    ])('leaves a newer run’s record as it is (%s)', async (_case, previous) => {
      // Prepare: the 03:00 run claimed, then the 04:00 run claimed before 03:00 gave up
      const claimed = memoryOf('acme', { lastRunKey: runKey(3) });
      const newer = memoryOf('acme', { lastRunKey: runKey(4), runsSinceNotice: 1 });
      await store.claim(claimed);
      await store.claim(newer);

      // Act
      await store.release(claimed, previous);

      // Assess
      expect(await recordOf('acme')).toEqual(newer);
    });

    it.each<[string, PortalMemory | undefined]>([
      ['with a previous record', okMemoryOf('acme', { lastRunKey: runKey(2) })],
      ['without a previous record', undefined],
    ])('writes nothing when the portal has no record (%s)', async (_case, previous) => {
      // Act
      await store.release(memoryOf('acme', { lastRunKey: runKey(3) }), previous);

      // Assess
      expect(await recordOf('acme')).toBeUndefined();
    });

    it('fails when the previous record is of another portal, and leaves the record as it is', async () => {
      // Prepare
      const claimed = memoryOf('acme', { lastRunKey: runKey(3) });
      await store.claim(claimed);

      // Act
      const releasing = store.release(claimed, okMemoryOf('beta'));

      // Assess
      await expect(releasing).rejects.toThrow(StateStoreError);
      await expect(releasing).rejects.toThrow('cannot release portal acme in');
      expect(await recordOf('acme')).toEqual(claimed);
      expect(await recordOf('beta')).toBeUndefined();
    });
  });
  describe('escalation facts (issue 10)', () => {
    const FACTS = { neverRanSince: '2025-01-04T07:00:00.000Z', uncheckedRuns: 2, uncheckedSince: '2025-01-05T07:00:00.000Z' };

    it.each<[string, PortalMemory]>([
      ['all three facts', memoryOf('acme', FACTS)],
      ['only when NEVER_RAN was first seen', memoryOf('acme', { neverRanSince: FACTS.neverRanSince })],
      ['only the streak of unevaluated runs', memoryOf('acme', { uncheckedRuns: 3, uncheckedSince: FACTS.uncheckedSince })],
    ])('keeps %s through a claim, as a new process reads them', async (_case, next) => {
      // Act
      await store.claim(next);

      // Assess
      expect(await recordOf('acme')).toEqual(next);
    });

    it('loads a record without the facts (as written before they existed) with none of them', async () => {
      // Prepare
      await store.claim(memoryOf('acme'));

      // Act
      const record = await recordOf('acme');

      // Assess
      expect(record).toEqual(memoryOf('acme'));
      expect(record && ['neverRanSince', 'uncheckedRuns', 'uncheckedSince'].filter((member) => member in record)).toEqual([]);
    });

    it('puts the facts of the previous record back on release', async () => {
      // Prepare
      const previous = memoryOf('acme', { ...FACTS, lastRunKey: runKey(2) });
      await store.claim(previous);
      const claimed = memoryOf('acme', { uncheckedRuns: 3, uncheckedSince: FACTS.uncheckedSince, lastRunKey: runKey(3) });
      await store.claim(claimed);

      // Act
      await store.release(claimed, previous);

      // Assess
      expect(await recordOf('acme')).toEqual(previous);
    });

    it.each<[string, Partial<PortalMemory>]>([
      ['an uncheckedRuns of 0 (absent means none)', { uncheckedRuns: 0 }],
      ['a neverRanSince that is not an instant', { neverRanSince: 'last week' }],
    ])('refuses to write %s, and writes nothing', async (_case, facts) => {
      // Act
      const claiming = store.claim(memoryOf('acme', facts));

      // Assess
      await expect(claiming).rejects.toThrow(StateStoreError);
      expect(await recordOf('acme')).toBeUndefined();
    });
  });
});
