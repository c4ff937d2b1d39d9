/**
 * Keeps each portal's memory in a DynamoDB table (partition key `portal`, one item per portal),
 * through the plain client with explicit attribute maps. Every write is conditional on the run
 * key, so a second delivery of the same scheduled run writes and sends nothing, and a release
 * never overwrites a newer run's record. Failures name the table, the operation and the AWS
 * error code, never a record's values.
 */
import {
  BatchGetItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  type AttributeValue,
  type BatchGetItemCommandOutput,
  type DynamoDBClientConfig,
  type KeysAndAttributes,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PortalMemory, StateStore } from '../notify/types.ts';
import { StateStoreError, type StateOperation } from './errors.ts';
import { fromItem, itemKey, toItem } from './portal-memory-item.ts';
import { releasableMemory, safeName, writableMemory } from './portal-memory-schema.ts';
import { STATE_TABLE_PARTITION_KEY, STATE_TABLE_RUN_KEY_ATTRIBUTE } from './state-table.ts';
import { awsErrorCode } from '../aws-error-code.ts';
import { AWS_REQUEST_HANDLER_TIMEOUTS } from '../aws-client-timeouts.ts';

export { STATE_TABLE_PARTITION_KEY } from './state-table.ts';

/** How often the SDK tries one DynamoDB call (throttling and 5xx are retried with backoff). */
export const DEFAULT_DYNAMODB_MAX_ATTEMPTS = 4;

/**
 * How long one claim or release may take, retries included. DynamoDB answers these in
 * milliseconds; the bound keeps a stuck table from holding a run past the point where Lambda
 * would kill it between remembering an alert and sending it (see PUBLISH_STOP_BEFORE_END_MS).
 */
export const STATE_WRITE_TIMEOUT_MS = 5_000;

/** The most keys one `BatchGetItem` call takes. */
export const MAX_KEYS_PER_BATCH_GET = 100;

/** How often one chunk of keys is asked for while DynamoDB leaves some unprocessed. */
export const MAX_BATCH_GET_ATTEMPTS = 5;

/** The wait before asking again for unprocessed keys, doubled after each try, in milliseconds. */
export const BATCH_GET_RETRY_BASE_DELAY_MS = 25;

/** The condition of a claim: no record yet, or one written by another run. */
const CLAIM_CONDITION = 'attribute_not_exists(#portal) OR #runKey <> :runKey';
/** The condition of a release: the record is still the claimed run's. */
const RELEASE_CONDITION = '#runKey = :runKey';
const CONDITION_NAMES = { '#portal': STATE_TABLE_PARTITION_KEY, '#runKey': STATE_TABLE_RUN_KEY_ATTRIBUTE };

/** Options for {@link DynamoDbStateStore}: the table, and a ready client or the config to build one; never both. */
export type DynamoDbStateStoreOptions = {
  /** The table's name; its partition key is {@link STATE_TABLE_PARTITION_KEY}, a string. */
  readonly tableName: string;
  /**
   * How long one claim or release may take, retries included, in milliseconds (tests against a
   * local DynamoDB on a busy machine give it more; a test of the bound itself, less).
   *
   * @default STATE_WRITE_TIMEOUT_MS
   */
  readonly writeTimeoutMs?: number;
} & (
  | {
      /** A DynamoDB client to use as is. */
      readonly client: DynamoDBClient;
      readonly clientConfig?: never;
    }
  | {
      readonly client?: never;
      /**
       * Config for the DynamoDB client this store builds the first time it needs one.
       *
       * @default - the SDK's defaults with `maxAttempts` {@link DEFAULT_DYNAMODB_MAX_ATTEMPTS} and {@link AWS_REQUEST_HANDLER_TIMEOUTS}
       */
      readonly clientConfig?: DynamoDBClientConfig;
    }
);


function isConditionFailed(error: unknown): boolean {
  return awsErrorCode(error) === 'ConditionalCheckFailedException';
}

/**
 * A {@link StateStore} on a DynamoDB table.
 *
 * @example
 * // At module scope in the handler:
 * const stateStore = new DynamoDbStateStore({ tableName: process.env.STATE_TABLE_NAME! });
 * const memories = await stateStore.load(config.portals.map((portal) => portal.name));
 * if (await stateStore.claim(next)) await notify(); // false: a duplicate delivery, send nothing
 */
export class DynamoDbStateStore implements StateStore {
  readonly #tableName: string;
  readonly #writeTimeoutMs: number;
  readonly #clientConfig: DynamoDBClientConfig | undefined;
  #client: DynamoDBClient | undefined;

  public constructor(options: DynamoDbStateStoreOptions) {
    if (options.client !== undefined && options.clientConfig !== undefined)
      throw new Error('DynamoDbStateStore got both client and clientConfig: pass one of them');
    if (typeof options.tableName !== 'string' || options.tableName.trim() === '')
      throw new Error('DynamoDbStateStore tableName must be a table name, got an empty one');
    const writeTimeoutMs = options.writeTimeoutMs ?? STATE_WRITE_TIMEOUT_MS;
    if (!Number.isFinite(writeTimeoutMs) || writeTimeoutMs <= 0)
      throw new Error(`DynamoDbStateStore writeTimeoutMs must be more than 0 milliseconds, got ${writeTimeoutMs}`);
    this.#tableName = options.tableName;
    this.#writeTimeoutMs = writeTimeoutMs;
    this.#client = options.client;
    this.#clientConfig = options.clientConfig;
  }

  /** The client, built on first use. */
  get #dynamodb(): DynamoDBClient {
    this.#client ??= new DynamoDBClient({ maxAttempts: DEFAULT_DYNAMODB_MAX_ATTEMPTS, requestHandler: AWS_REQUEST_HANDLER_TIMEOUTS, ...this.#clientConfig });
    return this.#client;
  }

  get #where(): string {
    return `DynamoDB table ${safeName(this.#tableName)}`;
  }

  /** Reads the records with strongly consistent `BatchGetItem` calls of up to 100 keys each. */
  public async load(portals: readonly string[]): Promise<Map<string, PortalMemory>> {
    const wanted = [...new Set(portals)];
    const chunks: string[][] = [];
    for (let start = 0; start < wanted.length; start += MAX_KEYS_PER_BATCH_GET) chunks.push(wanted.slice(start, start + MAX_KEYS_PER_BATCH_GET));
    const items = (await Promise.all(chunks.map((chunk) => this.#loadChunk(chunk)))).flat();

    const memories = new Map<string, PortalMemory>();
    const asked = new Set(wanted);
    for (const item of items) {
      const parsed = fromItem(item);
      if (!parsed.ok) {
        const portal = item[STATE_TABLE_PARTITION_KEY]?.S ?? '';
        throw new StateStoreError(`cannot load portal ${safeName(portal)} from ${this.#where}: the record is not valid: ${parsed.problems}`, {
          operation: 'load',
          store: this.#tableName,
        });
      }
      if (asked.has(parsed.memory.portal)) memories.set(parsed.memory.portal, parsed.memory);
    }
    return memories;
  }

  /** One chunk of keys, asking again (with a growing wait) for those DynamoDB leaves unprocessed. */
  async #loadChunk(portals: readonly string[]): Promise<Record<string, AttributeValue>[]> {
    const items: Record<string, AttributeValue>[] = [];
    let keys: Record<string, AttributeValue>[] = portals.map(itemKey);
    for (let attempt = 1; keys.length > 0; attempt += 1) {
      if (attempt > MAX_BATCH_GET_ATTEMPTS)
        throw new StateStoreError(`could not load state from ${this.#where}: ${keys.length} keys still unprocessed after ${MAX_BATCH_GET_ATTEMPTS} attempts`, {
          operation: 'load',
          store: this.#tableName,
          code: 'UnprocessedKeys',
        });
      if (attempt > 1) await sleep(BATCH_GET_RETRY_BASE_DELAY_MS * 2 ** (attempt - 2));
      const request: KeysAndAttributes = { Keys: keys, ConsistentRead: true };
      let output: BatchGetItemCommandOutput;
      try {
        output = await this.#dynamodb.send(new BatchGetItemCommand({ RequestItems: { [this.#tableName]: request } }));
      } catch (error) {
        throw this.#failure('load', undefined, error);
      }
      items.push(...(output.Responses?.[this.#tableName] ?? []));
      keys = output.UnprocessedKeys?.[this.#tableName]?.Keys ?? [];
    }
    return items;
  }

  /** Puts `next` unless the portal's item already holds `next.lastRunKey`. */
  public async claim(next: PortalMemory): Promise<boolean> {
    const record = writableMemory(next, 'claim', this.#tableName, this.#where);
    try {
      await this.#dynamodb.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: toItem(record),
          ConditionExpression: CLAIM_CONDITION,
          ExpressionAttributeNames: CONDITION_NAMES,
          ExpressionAttributeValues: { ':runKey': { S: record.lastRunKey } },
        }),
        { abortSignal: AbortSignal.timeout(this.#writeTimeoutMs) },
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw this.#failure('claim', record.portal, error);
    }
  }

  /** Puts `previous` back, or deletes the item, only while it still holds `claimed.lastRunKey`. */
  public async release(claimed: PortalMemory, previous: PortalMemory | undefined): Promise<void> {
    const record = releasableMemory(claimed, previous, this.#tableName, this.#where);
    const condition = {
      ConditionExpression: RELEASE_CONDITION,
      ExpressionAttributeNames: { '#runKey': STATE_TABLE_RUN_KEY_ATTRIBUTE },
      ExpressionAttributeValues: { ':runKey': { S: claimed.lastRunKey } },
    };
    try {
      const bounded = { abortSignal: AbortSignal.timeout(this.#writeTimeoutMs) };
      if (record === undefined) await this.#dynamodb.send(new DeleteItemCommand({ TableName: this.#tableName, Key: itemKey(claimed.portal), ...condition }), bounded);
      else await this.#dynamodb.send(new PutItemCommand({ TableName: this.#tableName, Item: toItem(record), ...condition }), bounded);
    } catch (error) {
      // A newer run has written the record since (or nothing is left to delete): it stays as it is.
      if (isConditionFailed(error)) return;
      throw this.#failure('release', claimed.portal, error);
    }
  }

  /** A failed call as a {@link StateStoreError} naming the table, the operation, the portal and the AWS error code. */
  #failure(operation: StateOperation, portal: string | undefined, error: unknown): StateStoreError {
    const code = awsErrorCode(error);
    const what = portal === undefined ? `${operation} state from` : `${operation} portal ${safeName(portal)} in`;
    return new StateStoreError(`could not ${what} ${this.#where}: ${code}`, { operation, store: this.#tableName, code }, { cause: error });
  }
}
