/**
 * The SilenceStore contract, run against both stores: the DynamoDB one on dynalite through the
 * real SDK client (the same table as the portals' memories), and the JSON file one in a
 * temporary directory (the same file). Each store is used next to its StateStore, as a run and
 * the CLI use them: a silence survives the run's writes, an acknowledgement survives in the
 * portal's memory.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StateStore } from '../../../functions/check/notify/types.ts';
import { DynamoDbSilenceStore } from '../../../functions/check/silences/dynamodb-silence-store.ts';
import { SilenceError } from '../../../functions/check/silences/errors.ts';
import { JsonFileSilenceStore } from '../../../functions/check/silences/json-file-silence-store.ts';
import { SILENCE_KEPT_AFTER_END_MS, type SilenceStore } from '../../../functions/check/silences/types.ts';
import { DynamoDbStateStore } from '../../../functions/check/state/dynamodb-state-store.ts';
import { StateStoreError } from '../../../functions/check/state/errors.ts';
import { acquireFileLock, StateLockError } from '../../../functions/check/state/file-lock.ts';
import { JsonFileStateStore } from '../../../functions/check/state/json-file-state-store.ts';
import { startDynalite, type LocalDynamoDb } from '../../support/dynalite.ts';
import { memoryOf, okMemoryOf, runKey } from '../state/portal-memories.ts';
import { NOW, hoursFromNow, storedSilence } from './stored-silences.ts';

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
  directory = await mkdtemp(join(tmpdir(), 'silence-store-contract-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** A silence store and the state store over the same, fresh state; `open` gives another silence store on it, as another process. */
interface OpenedStores {
  readonly silences: SilenceStore;
  readonly state: StateStore;
  readonly open: () => SilenceStore;
}

const stores: [string, () => Promise<OpenedStores>][] = [
  [
    'JsonFileSilenceStore',
    async () => {
      const file = join(directory, 'state.json');
      return { silences: new JsonFileSilenceStore({ file }), state: new JsonFileStateStore({ file }), open: () => new JsonFileSilenceStore({ file }) };
    },
  ],
  [
    'DynamoDbSilenceStore',
    async () => {
      tables += 1;
      const tableName = await dynamodb.createStateTable(`silences-${tables}`);
      const open = () => new DynamoDbSilenceStore({ tableName, client: dynamodb.client });
      return { silences: open(), state: new DynamoDbStateStore({ tableName, client: dynamodb.client }), open };
    },
  ],
];

describe.each(stores)('%s', (_, openStores) => {
  it('lists no silences before any was added', async () => {
    // Prepare
    const { silences } = await openStores();

    // Act
    const listed = await silences.listSilences();

    // Assess
    expect(listed).toEqual([]);
  });

  it('lists the silences added, in order, as another process reads them', async () => {
    // Prepare
    const { silences, open } = await openStores();
    const first = storedSilence({ id: 's-00000001' });
    const second = storedSilence({ id: 's-00000002', codes: undefined, portal: 'beta', reason: 'every code of beta' });

    // Act
    await silences.addSilence(first, NOW);
    await open().addSilence(second, NOW);

    // Assess
    expect(await open().listSilences()).toEqual([first, second]);
  });

  it('drops silences ended over 7 days ago with the next change, and keeps recently ended ones listed', async () => {
    // Prepare
    const { silences } = await openStores();
    const old = storedSilence({ id: 's-00000001', until: hoursFromNow(-1).toISOString() });
    const recent = storedSilence({ id: 's-00000002', until: hoursFromNow(1).toISOString() });
    await silences.addSilence(old, NOW);
    await silences.addSilence(recent, NOW);
    const aWeekLater = new Date(NOW.getTime() + SILENCE_KEPT_AFTER_END_MS);

    // Act
    await silences.addSilence(storedSilence({ id: 's-00000003', until: new Date(aWeekLater.getTime() + 1).toISOString() }), aWeekLater);

    // Assess
    expect((await silences.listSilences()).map((silence) => silence.id)).toEqual(['s-00000002', 's-00000003']);
  });

  it('expires a silence early, recording who and when, and says so in the list', async () => {
    // Prepare
    const { silences } = await openStores();
    await silences.addSilence(storedSilence(), NOW);

    // Act
    const expired = await silences.expireSilence('s-0000000a', 'bob', hoursFromNow(1));

    // Assess
    expect(expired).toEqual({ ...storedSilence(), expiredAt: hoursFromNow(1).toISOString(), expiredBy: 'bob' });
    expect(await silences.listSilences()).toEqual([expired]);
  });

  it('fails with a SilenceError naming the id when it expires an unknown silence', async () => {
    // Prepare
    const { silences } = await openStores();
    await silences.addSilence(storedSilence(), NOW);

    // Act
    const expiring = silences.expireSilence('s-ffffffff', 'bob', NOW);

    // Assess
    await expect(expiring).rejects.toThrow(SilenceError);
    await expect(silences.expireSilence('s-ffffffff', 'bob', NOW)).rejects.toThrow(/^no silence s-ffffffff in /);
  });

  it('keeps the silences when a run writes the portals\' memories', async () => {
    // Prepare
    const { silences, state, open } = await openStores();
    await state.load(['acme-prod']);
    await silences.addSilence(storedSilence(), NOW);

    // Act
    await state.claim(memoryOf('acme-prod', { lastRunKey: runKey(3) }));
    await state.claim(okMemoryOf('beta', { lastRunKey: runKey(3) }));

    // Assess
    expect(await open().listSilences()).toEqual([storedSilence()]);
  });

  it("acknowledges the portal's outstanding problem in its memory, which the next run loads", async () => {
    // Prepare
    const { silences, state } = await openStores();
    await state.claim(memoryOf('acme-prod'));

    // Act
    const acknowledged = await silences.acknowledge('acme-prod', 'alice', 'restoring the bucket', NOW);

    // Assess
    const ack = { status: 'CRITICAL', codes: ['BACKUP_OVERDUE', 'LAST_BACKUP_FAILED'], by: 'alice', at: NOW.toISOString(), reason: 'restoring the bucket' };
    expect(acknowledged).toEqual({ ...memoryOf('acme-prod'), ack });
    const loaded = await state.load(['acme-prod']);
    expect(loaded.get('acme-prod')).toEqual({ ...memoryOf('acme-prod'), ack });
    // The run key is the run's: the next scheduled run is not taken for a second delivery.
    expect(await state.claim(memoryOf('acme-prod', { lastRunKey: runKey(3) }))).toBe(true);
  });

  it('knows the portals a run has checked, and only those', async () => {
    // Prepare
    const { silences, state } = await openStores();
    await state.claim(okMemoryOf('beta'));

    // Act
    const known = [await silences.hasPortalMemory('beta'), await silences.hasPortalMemory('acme-prod')];

    // Assess
    expect(known).toEqual([true, false]);
  });

  it('fails with a SilenceError when it acknowledges a portal no run has checked, or one that is OK', async () => {
    // Prepare
    const { silences, state } = await openStores();
    await state.claim(okMemoryOf('beta'));

    // Act
    const unknown = silences.acknowledge('acme-prod', 'alice', 'r', NOW);
    const ok = silences.acknowledge('beta', 'alice', 'r', NOW);

    // Assess
    await expect(unknown).rejects.toThrow(/^no run has checked portal acme-prod in .* yet: there is nothing to acknowledge$/);
    await expect(ok).rejects.toThrow(SilenceError);
  });
});

describe('DynamoDbSilenceStore', () => {
  it('lands every one of several silences added at the same time (conditional writes, tried again)', async () => {
    // Prepare
    tables += 1;
    const tableName = await dynamodb.createStateTable(`silences-${tables}`);
    const ids = ['s-00000001', 's-00000002', 's-00000003', 's-00000004'];

    // Act
    await Promise.all(ids.map((id) => new DynamoDbSilenceStore({ tableName, client: dynamodb.client }).addSilence(storedSilence({ id }), NOW)));

    // Assess
    const listed = await new DynamoDbSilenceStore({ tableName, client: dynamodb.client }).listSilences();
    expect(listed.map((silence) => silence.id).sort()).toEqual(ids);
  });

  it('fails with a StateStoreError naming the table and the AWS error code when the table does not exist', async () => {
    // Prepare
    const store = new DynamoDbSilenceStore({ tableName: 'no-such-table', client: dynamodb.client });

    // Act
    const listing = store.listSilences();

    // Assess
    await expect(listing).rejects.toThrow(StateStoreError);
    await expect(store.listSilences()).rejects.toThrow('could not read silences from DynamoDB table no-such-table: ResourceNotFoundException');
  });
});

describe('JsonFileSilenceStore', () => {
  it('fails with a StateStoreError naming the file and the member when a silence in it is not valid', async () => {
    // Prepare
    const file = join(directory, 'state.json');
    await writeFile(file, JSON.stringify({ version: 1, portals: {}, silences: [{ ...storedSilence(), until: 'tomorrow' }] }));

    // Act
    const listing = new JsonFileSilenceStore({ file }).listSilences();

    // Assess
    await expect(listing).rejects.toThrow(StateStoreError);
    await expect(new JsonFileSilenceStore({ file }).listSilences()).rejects.toThrow(/state\.json holds silences that are not valid: \[0\]\.until: /);
  });

  it('refuses a change while a run holds the state file\'s lock, and changes nothing', async () => {
    // Prepare
    const file = join(directory, 'state.json');
    await writeFile(file, JSON.stringify({ version: 1, portals: {} }));
    // Held by another live process (this one's parent), as by a check run.
    const lock = await acquireFileLock(file, { pid: process.ppid });

    // Act
    const adding = new JsonFileSilenceStore({ file }).addSilence(storedSilence(), NOW);

    // Assess
    try {
      await expect(adding).rejects.toThrow(StateLockError);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 1, portals: {} });
    } finally {
      await lock.release();
    }
    await new JsonFileSilenceStore({ file }).addSilence(storedSilence(), NOW);
    expect(await new JsonFileSilenceStore({ file }).listSilences()).toEqual([storedSilence()]);
  });

  it('leaves the portals and every other member of the file as they were when it adds a silence', async () => {
    // Prepare
    const file = join(directory, 'state.json');
    const before = { version: 1, portals: { 'acme-prod': memoryOf('acme-prod') } };
    await writeFile(file, JSON.stringify(before));

    // Act
    await new JsonFileSilenceStore({ file }).addSilence(storedSilence(), NOW);

    // Assess
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ ...before, silences: [storedSilence()] });
  });
});
