/**
 * A local DynamoDB for tests: dynalite (in memory) on 127.0.0.1, driven through the real SDK
 * client with fake static credentials. Records the operation and the caller's address of every
 * request, so a test can count calls and see that they stayed on loopback.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
// @ts-expect-error -- dynalite ships no type declarations; the one function used is typed below
import dynalite from 'dynalite';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { STATE_TABLE_PARTITION_KEY } from '../../functions/check/state/state-table.ts';
import { FAKE_AWS_REGION } from './aws-env.ts';

/** The options of dynalite's factory that these tests use. */
interface DynaliteOptions {
  /** How long a new table stays `CREATING`, in milliseconds. */
  readonly createTableMs?: number;
}

const createDynaliteServer = dynalite as (options: DynaliteOptions) => Server;

/**
 * The `writeTimeoutMs` of a state store on dynalite: dynalite (an emulator in the test process)
 * can take seconds to answer on a busy machine, and a test that is not about the bound must not
 * fail because the deployed 5 s passed.
 */
export const LOCAL_DYNAMODB_WRITE_TIMEOUT_MS = 60_000;

/** How often `createStateTable` asks whether the new table is `ACTIVE`. */
const MAX_TABLE_STATUS_CHECKS = 50;

/** One request dynalite received. */
export interface RecordedDynamoDbRequest {
  /** The operation from `x-amz-target` (`BatchGetItem`, `PutItem`…). */
  readonly operation: string;
  /** The caller's address as the server saw it. */
  readonly remoteAddress: string | undefined;
}

/** A running dynalite and a client pointed at it. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** A real SDK client for `endpoint`, with fake credentials and {@link FAKE_AWS_REGION}. */
  readonly client: DynamoDBClient;
  /** Every request so far, in arrival order. */
  readonly requests: readonly RecordedDynamoDbRequest[];
  /** Creates an on-demand table with the state table's key schema and waits until it is `ACTIVE`; returns its name. */
  createStateTable(name: string): Promise<string>;
  /** Destroys the client and stops the server. */
  close(): Promise<void>;
}

/**
 * Starts dynalite on a free loopback port.
 *
 * @example
 * const dynamodb = await startDynalite();
 * afterAll(() => dynamodb.close());
 * const store = new DynamoDbStateStore({ tableName: await dynamodb.createStateTable('state-1'), client: dynamodb.client });
 */
export async function startDynalite(): Promise<LocalDynamoDb> {
  const server = createDynaliteServer({ createTableMs: 0 });
  const requests: RecordedDynamoDbRequest[] = [];
  server.on('request', (request) => {
    const target = request.headers['x-amz-target'];
    const operation = typeof target === 'string' ? (target.split('.').at(-1) ?? target) : '';
    requests.push({ operation, remoteAddress: request.socket.remoteAddress });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: FAKE_AWS_REGION,
    credentials: { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake-secret-access-key-for-local-tests-only' },
    maxAttempts: 1,
  });

  async function createStateTable(name: string): Promise<string> {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: STATE_TABLE_PARTITION_KEY, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: STATE_TABLE_PARTITION_KEY, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let check = 0; check < MAX_TABLE_STATUS_CHECKS; check += 1) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
      if (Table?.TableStatus === 'ACTIVE') return name;
      await sleep(5);
    }
    throw new Error(`dynalite table ${name} did not become ACTIVE`);
  }

  async function close(): Promise<void> {
    client.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  return { endpoint, client, requests, createStateTable, close };
}
