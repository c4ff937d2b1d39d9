/**
 * Remembers since when each subscription has been pending, between runs: SNS lists a pending
 * subscription with no date, so "pending for a day" can only be known by having seen it before.
 * The deployed function keeps one item in its state table, under a key no portal can have
 * (portal names are lowercase letters, digits and "-"), with the actions the state store
 * already has (`BatchGetItem`, `PutItem`).
 */
import { BatchGetItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STATE_TABLE_PARTITION_KEY } from '../state/state-table.ts';

/** The state table key of the delivery path's item: `#` keeps it apart from every portal name. */
export const DELIVERY_PATH_ITEM_KEY = '#delivery-path';

/** Where first-seen-pending times are kept, by `pendingKey`. */
export interface PendingMemory {
  /** The remembered times; empty when nothing was remembered yet. */
  load(): Promise<Map<string, Date>>;
  /** Replaces the remembered times with these. */
  save(pendingSince: ReadonlyMap<string, Date>): Promise<void>;
}

/** A {@link PendingMemory} in the state table (partition key `portal`). */
export class DynamoDbPendingMemory implements PendingMemory {
  readonly #tableName: string;
  readonly #client: DynamoDBClient;

  /**
   * @param options.tableName - the state table
   * @param options.client - the DynamoDB client
   */
  public constructor(options: { readonly tableName: string; readonly client: DynamoDBClient }) {
    this.#tableName = options.tableName;
    this.#client = options.client;
  }

  public async load(): Promise<Map<string, Date>> {
    const answer = await this.#client.send(
      new BatchGetItemCommand({
        RequestItems: { [this.#tableName]: { Keys: [{ [STATE_TABLE_PARTITION_KEY]: { S: DELIVERY_PATH_ITEM_KEY } }], ConsistentRead: true } },
      }),
    );
    if (Object.keys(answer.UnprocessedKeys ?? {}).length > 0) throw Object.assign(new Error('unprocessed key'), { name: 'UnprocessedKeys' });
    const item = answer.Responses?.[this.#tableName]?.[0];
    const pending = new Map<string, Date>();
    for (const [key, value] of Object.entries(item?.pendingSince?.M ?? {})) {
      const at = new Date(value.S ?? '');
      if (!Number.isNaN(at.getTime())) pending.set(key, at);
    }
    return pending;
  }

  public async save(pendingSince: ReadonlyMap<string, Date>): Promise<void> {
    const map: Record<string, AttributeValue> = {};
    for (const [key, at] of pendingSince) map[key] = { S: at.toISOString() };
    await this.#client.send(
      new PutItemCommand({
        TableName: this.#tableName,
        Item: { [STATE_TABLE_PARTITION_KEY]: { S: DELIVERY_PATH_ITEM_KEY }, pendingSince: { M: map } },
      }),
    );
  }
}

/** A {@link PendingMemory} in this process, for tests. */
export class InMemoryPendingMemory implements PendingMemory {
  #pending = new Map<string, Date>();

  public constructor(initial: ReadonlyMap<string, Date> = new Map()) {
    this.#pending = new Map(initial);
  }

  public load(): Promise<Map<string, Date>> {
    return Promise.resolve(new Map(this.#pending));
  }

  public save(pendingSince: ReadonlyMap<string, Date>): Promise<void> {
    this.#pending = new Map(pendingSince);
    return Promise.resolve();
  }
}
