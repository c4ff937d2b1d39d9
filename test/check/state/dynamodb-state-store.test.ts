import {
  BatchGetItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DynamoDbStateStore,
  MAX_BATCH_GET_ATTEMPTS,
  MAX_KEYS_PER_BATCH_GET,
  STATE_TABLE_PARTITION_KEY,
} from '../../../functions/check/state/dynamodb-state-store.ts';
import { StateStoreError } from '../../../functions/check/state/errors.ts';
import { FAKE_AWS_REGION } from '../../support/aws-env.ts';
import { LOCAL_DYNAMODB_WRITE_TIMEOUT_MS, startDynalite, type LocalDynamoDb } from '../../support/dynalite.ts';
import { memoryOf, okMemoryOf, runKey } from './portal-memories.ts';

let dynamodb: LocalDynamoDb;
let tables = 0;
let tableName: string;

beforeAll(async () => {
  dynamodb = await startDynalite();
});

afterAll(async () => {
  await dynamodb.close();
});

beforeEach(async () => {
  tables += 1;
  tableName = await dynamodb.createStateTable(`monitor-state-${tables}`);
});

/** A store on this test's table through the dynalite client. */
function openStore(name = tableName): DynamoDbStateStore {
  return new DynamoDbStateStore({ tableName: name, client: dynamodb.client, writeTimeoutMs: LOCAL_DYNAMODB_WRITE_TIMEOUT_MS });
}

/** The operations dynalite received from now on, when `act` has run. */
async function operationsDuring(act: () => Promise<unknown>): Promise<string[]> {
  const before = dynamodb.requests.length;
  await act();
  return dynamodb.requests.slice(before).map((request) => request.operation);
}

async function rawItem(portal: string): Promise<Record<string, AttributeValue> | undefined> {
  const { Item } = await dynamodb.client.send(new GetItemCommand({ TableName: tableName, Key: { portal: { S: portal } }, ConsistentRead: true }));
  return Item;
}

/** The key of a portal's item. */
const key = (portal: string) => ({ [STATE_TABLE_PARTITION_KEY]: { S: portal } });

/** The item of `okMemoryOf(portal)`, written out by hand. */
const okItem = (portal: string): Record<string, AttributeValue> => ({
  portal: { S: portal },
  status: { S: 'OK' },
  codes: { L: [] },
  since: { S: '2025-01-01T01:00:00.000Z' },
  notifiedStatus: { S: 'OK' },
  notifiedCodes: { L: [] },
  runsSinceNotice: { N: '7' },
  lastRunKey: { S: runKey(1) },
});

describe('DynamoDbStateStore', () => {
  describe('constructor', () => {
    it('fails when given both a client and a client config', () => {
      // Act & Assess
      expect(
        () => new DynamoDbStateStore({ tableName: 'monitor-state', client: dynamodb.client, clientConfig: {} } as unknown as ConstructorParameters<typeof DynamoDbStateStore>[0]),
      ).toThrow('DynamoDbStateStore got both client and clientConfig: pass one of them');
    });

    it('fails when the table name is empty', () => {
      // Act & Assess
      expect(() => new DynamoDbStateStore({ tableName: '' })).toThrow('DynamoDbStateStore tableName must be a table name, got an empty one');
    });

    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('fails when the write timeout is %s ms', (writeTimeoutMs) => {
      // Act & Assess
      expect(() => new DynamoDbStateStore({ tableName: 'monitor-state', writeTimeoutMs })).toThrow(
        `DynamoDbStateStore writeTimeoutMs must be more than 0 milliseconds, got ${writeTimeoutMs}`,
      );
    });

    it('builds its own client from the client config it is given', async () => {
      // Prepare
      const store = new DynamoDbStateStore({
        tableName,
        clientConfig: { endpoint: dynamodb.endpoint, region: FAKE_AWS_REGION, credentials: { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake' } },
      });

      // Act
      const claimed = await store.claim(memoryOf('acme'));

      // Assess
      expect(claimed).toBe(true);
      expect(await rawItem('acme')).toBeDefined();
    });
  });

  describe('load', () => {
    it('sends strongly consistent BatchGetItem calls to dynalite on 127.0.0.1', async () => {
      // Prepare
      await openStore().claim(memoryOf('acme'));
      const before = dynamodb.requests.length;

      // Act
      const memories = await openStore().load(['acme', 'beta']);

      // Assess
      expect(memories).toEqual(new Map([['acme', memoryOf('acme')]]));
      expect(dynamodb.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(dynamodb.requests.slice(before)).toEqual([{ operation: 'BatchGetItem', remoteAddress: '127.0.0.1' }]);
    });

    it('reads 250 portals in chunks of at most 100 keys, each portal once', async () => {
      // Prepare
      const records = Array.from({ length: 250 }, (_, index) => memoryOf(`portal-${index}`, { runsSinceNotice: index }));
      await Promise.all(records.map((record) => openStore().claim(record)));
      const names = [...records.map((record) => record.portal), 'portal-7', 'never-seen'];

      // Act
      let memories = new Map();
      const operations = await operationsDuring(async () => {
        memories = await openStore().load(names);
      });

      // Assess
      expect(MAX_KEYS_PER_BATCH_GET).toBe(100);
      expect(operations).toEqual(['BatchGetItem', 'BatchGetItem', 'BatchGetItem']);
      expect(memories.size).toBe(250);
      for (const record of records) expect(memories.get(record.portal)).toEqual(record);
    });

    it('makes no call when asked for no portals', async () => {
      // Act
      const operations = await operationsDuring(() => openStore().load([]));

      // Assess
      expect(operations).toEqual([]);
    });

    it('fails naming the table, the portal and the field when an item is not a valid record', async () => {
      // Prepare
      await openStore().claim(memoryOf('acme'));
      await dynamodb.client.send(
        new PutItemCommand({ TableName: tableName, Item: { ...okItem('beta'), status: { S: 'SECRET-LOOKING-VALUE' }, runsSinceNotice: { S: '3' } } }),
      );

      // Act
      const loading = openStore().load(['acme', 'beta']);

      // Assess
      await expect(loading).rejects.toThrow(StateStoreError);
      await expect(loading).rejects.toThrow(`cannot load portal beta from DynamoDB table ${tableName}: the record is not valid: status: not an accepted value; runsSinceNotice: expected number`);
      await expect(loading).rejects.not.toThrow('SECRET-LOOKING-VALUE');
    });
  });

  describe('claim', () => {
    it('stores one item per portal keyed by portal, codes as lists of strings and the run count as a number', async () => {
      // Prepare
      const store = openStore();

      // Act
      await store.claim(memoryOf('acme'));
      await store.claim(okMemoryOf('beta'));

      // Assess
      expect(STATE_TABLE_PARTITION_KEY).toBe('portal');
      expect(await rawItem('acme')).toEqual({
        portal: { S: 'acme' },
        status: { S: 'CRITICAL' },
        codes: { L: [{ S: 'BACKUP_OVERDUE' }, { S: 'LAST_BACKUP_FAILED' }] },
        since: { S: '2025-01-06T02:00:00.000Z' },
        notifiedStatus: { S: 'CRITICAL' },
        notifiedCodes: { L: [{ S: 'BACKUP_OVERDUE' }, { S: 'LAST_BACKUP_FAILED' }] },
        notifiedSeverity: { S: 'critical' },
        lastNotifiedAt: { S: '2025-01-06T02:00:05.000Z' },
        runsSinceNotice: { N: '0' },
        lastRunKey: { S: runKey(2) },
      });
      expect(await rawItem('beta')).toMatchObject({ codes: { L: [] }, runsSinceNotice: { N: '7' } });
      expect(await rawItem('beta')).not.toHaveProperty('lastNotifiedAt');
    });

    it('writes with one conditional PutItem and nothing else, duplicate or not', async () => {
      // Prepare
      const store = openStore();

      // Act
      const operations = await operationsDuring(async () => {
        await store.claim(memoryOf('acme'));
        await store.claim(memoryOf('acme'));
      });

      // Assess
      expect(operations).toEqual(['PutItem', 'PutItem']);
    });
  });

  describe('release', () => {
    it.each([
      ['a DeleteItem', undefined, 'DeleteItem'],
      ['a PutItem', okMemoryOf('acme'), 'PutItem'],
    ])('sends %s conditional on the claimed run', async (_case, previous, operation) => {
      // Prepare
      const store = openStore();
      const claimed = memoryOf('acme', { lastRunKey: runKey(3) });
      await store.claim(claimed);

      // Act
      const operations = await operationsDuring(() => store.release(claimed, previous));

      // Assess
      expect(operations).toEqual([operation]);
    });
  });

  describe('errors', () => {
    it.each<[string, (store: DynamoDbStateStore) => Promise<unknown>, string]>([
      ['load', (store) => store.load(['acme']), 'could not load state from DynamoDB table no-such-table: ResourceNotFoundException'],
      ['claim', (store) => store.claim(memoryOf('acme', { lastRunKey: 'run-key-value-0042' })), 'could not claim portal acme in DynamoDB table no-such-table: ResourceNotFoundException'],
      [
        'release',
        (store) => store.release(memoryOf('acme', { lastRunKey: 'run-key-value-0042' }), okMemoryOf('acme')),
        'could not release portal acme in DynamoDB table no-such-table: ResourceNotFoundException',
      ],
    ])('fails on %s with a StateStoreError naming the table and ResourceNotFoundException when the table is missing', async (operation, act, message) => {
      // Prepare
      const store = openStore('no-such-table');

      // Act
      const error: unknown = await act(store).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(StateStoreError);
      expect(error).toMatchObject({ name: 'StateStoreError', message, operation, store: 'no-such-table', code: 'ResourceNotFoundException' });
      expect((error as Error).cause).toMatchObject({ name: 'ResourceNotFoundException' });
      expect((error as Error).message).not.toContain('run-key-value-0042');
    });
  });
});

describe('DynamoDbStateStore with unprocessed keys', () => {
  /** A client whose calls never leave the process: each test says what BatchGetItem answers. */
  function mockedStore() {
    const client = new DynamoDBClient({ region: FAKE_AWS_REGION, credentials: { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake' } });
    const mock = mockClient(client);
    return { mock, store: new DynamoDbStateStore({ tableName: 'monitor-state', client }) };
  }

  it('asks again, consistently, for the keys DynamoDB left unprocessed', async () => {
    // Prepare
    const { mock, store } = mockedStore();
    mock
      .on(BatchGetItemCommand)
      .resolvesOnce({ Responses: { 'monitor-state': [okItem('acme')] }, UnprocessedKeys: { 'monitor-state': { Keys: [key('beta')] } } })
      .resolvesOnce({ Responses: { 'monitor-state': [okItem('beta')] }, UnprocessedKeys: {} });

    // Act
    const memories = await store.load(['acme', 'beta']);

    // Assess
    expect([...memories.keys()]).toEqual(['acme', 'beta']);
    expect(memories.get('beta')).toEqual(okMemoryOf('beta'));
    const calls = mock.commandCalls(BatchGetItemCommand).map((call) => call.args[0].input.RequestItems?.['monitor-state']);
    expect(calls).toEqual([
      { Keys: [key('acme'), key('beta')], ConsistentRead: true },
      { Keys: [key('beta')], ConsistentRead: true },
    ]);
  });

  it('fails naming the table after a bounded number of attempts when keys stay unprocessed', async () => {
    // Prepare
    const { mock, store } = mockedStore();
    mock.on(BatchGetItemCommand).resolves({ Responses: { 'monitor-state': [] }, UnprocessedKeys: { 'monitor-state': { Keys: [key('acme')] } } });

    // Act
    const loading = store.load(['acme']);

    // Assess
    await expect(loading).rejects.toThrow(
      `could not load state from DynamoDB table monitor-state: 1 keys still unprocessed after ${MAX_BATCH_GET_ATTEMPTS} attempts`,
    );
    await expect(loading).rejects.toMatchObject({ name: 'StateStoreError', operation: 'load', code: 'UnprocessedKeys' });
    expect(mock.commandCalls(BatchGetItemCommand)).toHaveLength(MAX_BATCH_GET_ATTEMPTS);
  });
});
