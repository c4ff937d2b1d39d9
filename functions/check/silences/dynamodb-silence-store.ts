/**
 * Keeps run-time silences in the state table, as one item (partition key {@link SILENCES_ITEM_KEY},
 * which no portal name can be) holding the list and a revision number; an acknowledgement goes
 * into its portal's item. Reads are the strongly consistent `BatchGetItem` the function may
 * already call on the table, so the deployed function needs no new permission to read silences.
 * Every change is a `PutItem` conditional on what was read (the revision, or the portal's run
 * key), tried again on a concurrent change, so two people silencing at once both land.
 */
import { BatchGetItemCommand, DynamoDBClient, PutItemCommand, type AttributeValue, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { AWS_REQUEST_HANDLER_TIMEOUTS } from '../aws-client-timeouts.ts';
import { awsErrorCode } from '../aws-error-code.ts';
import type { PortalMemory } from '../notify/types.ts';
import { StateStoreError, type StateOperation } from '../state/errors.ts';
import { DEFAULT_DYNAMODB_MAX_ATTEMPTS, STATE_WRITE_TIMEOUT_MS } from '../state/dynamodb-state-store.ts';
import { fromItem, itemKey, plain, toItem } from '../state/portal-memory-item.ts';
import { describeStateIssues, safeName } from '../state/portal-memory-schema.ts';
import { SILENCES_ITEM_KEY, STATE_TABLE_PARTITION_KEY, STATE_TABLE_RUN_KEY_ATTRIBUTE } from '../state/state-table.ts';
import { acknowledgedMemory } from './acknowledgement.ts';
import { SilenceError } from './errors.ts';
import { StoredSilencesSchema } from './silence-schema.ts';
import { withSilenceAdded, withSilenceExpired } from './silence-rules.ts';
import type { Silence, SilenceStore } from './types.ts';

/** How often a change is tried when another change lands between its read and its write. */
export const MAX_SILENCE_CHANGE_ATTEMPTS = 5;

/** The silences item's revision attribute: every change writes the next one, conditional on the one read. */
const REVISION_ATTRIBUTE = 'revision';

/** Options for {@link DynamoDbSilenceStore}: the table, and a ready client or the config to build one. */
export interface DynamoDbSilenceStoreOptions {
  /** The state table's name. */
  readonly tableName: string;
  /**
   * A DynamoDB client to use as is.
   *
   * @default - one built on first use with `clientConfig`
   */
  readonly client?: DynamoDBClient;
  /**
   * Config for the client this store builds.
   *
   * @default - the SDK's defaults with the state store's attempts and timeouts
   */
  readonly clientConfig?: DynamoDBClientConfig;
}

/** The silences item as read: its revision (0 when there is none yet) and the silences. */
interface SilencesItem {
  readonly revision: number;
  readonly silences: Silence[];
}

function silenceValue(silence: Silence): AttributeValue {
  const map: Record<string, AttributeValue> = {
    id: { S: silence.id },
    portal: { S: silence.portal },
    until: { S: silence.until },
    reason: { S: silence.reason },
    createdBy: { S: silence.createdBy },
    createdAt: { S: silence.createdAt },
  };
  if (silence.codes !== undefined) map.codes = { L: silence.codes.map((code) => ({ S: code })) };
  if (silence.expiredAt !== undefined) map.expiredAt = { S: silence.expiredAt };
  if (silence.expiredBy !== undefined) map.expiredBy = { S: silence.expiredBy };
  return { M: map };
}

function isConditionFailed(error: unknown): boolean {
  return awsErrorCode(error) === 'ConditionalCheckFailedException';
}

/**
 * A {@link SilenceStore} in the state table.
 *
 * @example
 * const silences = new DynamoDbSilenceStore({ tableName: process.env.STATE_TABLE_NAME! });
 * const inForce = silencesInForce(await silences.listSilences(), now);
 */
export class DynamoDbSilenceStore implements SilenceStore {
  readonly #tableName: string;
  readonly #clientConfig: DynamoDBClientConfig | undefined;
  #client: DynamoDBClient | undefined;

  public constructor(options: DynamoDbSilenceStoreOptions) {
    if (options.client !== undefined && options.clientConfig !== undefined)
      throw new Error('DynamoDbSilenceStore got both client and clientConfig: pass one of them');
    if (typeof options.tableName !== 'string' || options.tableName.trim() === '')
      throw new Error('DynamoDbSilenceStore tableName must be a table name, got an empty one');
    this.#tableName = options.tableName;
    this.#client = options.client;
    this.#clientConfig = options.clientConfig;
  }

  get #dynamodb(): DynamoDBClient {
    this.#client ??= new DynamoDBClient({ maxAttempts: DEFAULT_DYNAMODB_MAX_ATTEMPTS, requestHandler: AWS_REQUEST_HANDLER_TIMEOUTS, ...this.#clientConfig });
    return this.#client;
  }

  /** The store in words, for messages: `DynamoDB table monitor-state`. */
  public get where(): string {
    return `DynamoDB table ${safeName(this.#tableName)}`;
  }

  /** Every silence in the table's silences item; none when there is no such item. */
  public async listSilences(): Promise<Silence[]> {
    return (await this.#readSilences('load')).silences;
  }

  public async addSilence(silence: Silence, now: Date): Promise<void> {
    await this.#changeSilences((silences) => ({ silences: withSilenceAdded(silences, silence, now), result: undefined }));
  }

  public async expireSilence(id: string, by: string, now: Date): Promise<Silence> {
    return this.#changeSilences((silences) => {
      const changed = withSilenceExpired(silences, id, by, now, this.where);
      return { silences: changed.silences, result: changed.silence };
    });
  }

  public async acknowledge(portal: string, by: string, reason: string, now: Date): Promise<PortalMemory> {
    for (let attempt = 1; attempt <= MAX_SILENCE_CHANGE_ATTEMPTS; attempt += 1) {
      const item = (await this.#getItems([portal], 'claim'))[0];
      let memory: PortalMemory | undefined;
      if (item !== undefined) {
        const parsed = fromItem(item);
        if (!parsed.ok) throw this.#error(`${this.where} holds no valid memory of portal ${safeName(portal)}: ${parsed.problems}`, 'claim');
        memory = parsed.memory;
      }
      const acknowledged = acknowledgedMemory(memory, portal, { by, reason, now }, this.where);
      try {
        await this.#put(toItem(acknowledged), {
          ConditionExpression: '#runKey = :runKey',
          ExpressionAttributeNames: { '#runKey': STATE_TABLE_RUN_KEY_ATTRIBUTE },
          ExpressionAttributeValues: { ':runKey': { S: acknowledged.lastRunKey } },
        });
        return acknowledged;
      } catch (error) {
        // A run wrote the portal's memory in between: acknowledge what it found instead.
        if (!isConditionFailed(error)) throw this.#failure('claim', error);
      }
    }
    throw new SilenceError(`portal ${safeName(portal)} kept changing in ${this.where} while it was acknowledged; try again`);
  }

  public async hasPortalMemory(portal: string): Promise<boolean> {
    return (await this.#getItems([portal], 'load')).length > 0;
  }

  /** Reads the silences item, applies `change`, and writes it conditional on the revision read; again on a concurrent change. */
  async #changeSilences<T>(change: (silences: readonly Silence[]) => { silences: Silence[]; result: T }): Promise<T> {
    for (let attempt = 1; attempt <= MAX_SILENCE_CHANGE_ATTEMPTS; attempt += 1) {
      const current = await this.#readSilences('claim');
      const { silences, result } = change(current.silences);
      const parsed = StoredSilencesSchema.safeParse(silences);
      if (!parsed.success) throw this.#error(`cannot write silences to ${this.where}: ${describeStateIssues(parsed.error.issues)}`, 'claim');
      try {
        await this.#put(
          {
            [STATE_TABLE_PARTITION_KEY]: { S: SILENCES_ITEM_KEY },
            [REVISION_ATTRIBUTE]: { N: String(current.revision + 1) },
            silences: { L: parsed.data.map(silenceValue) },
          },
          current.revision === 0
            ? { ConditionExpression: 'attribute_not_exists(#key)', ExpressionAttributeNames: { '#key': STATE_TABLE_PARTITION_KEY } }
            : {
                ConditionExpression: '#revision = :revision',
                ExpressionAttributeNames: { '#revision': REVISION_ATTRIBUTE },
                ExpressionAttributeValues: { ':revision': { N: String(current.revision) } },
              },
        );
        return result;
      } catch (error) {
        if (!isConditionFailed(error)) throw this.#failure('claim', error);
      }
    }
    throw new SilenceError(`the silences in ${this.where} kept changing while this change was made; try again`);
  }

  async #readSilences(operation: StateOperation): Promise<SilencesItem> {
    const item = (await this.#getItems([SILENCES_ITEM_KEY], operation))[0];
    if (item === undefined) return { revision: 0, silences: [] };
    const revision = Number(item[REVISION_ATTRIBUTE]?.N);
    const parsed = StoredSilencesSchema.safeParse(item.silences === undefined ? undefined : plain(item.silences));
    if (!Number.isInteger(revision) || revision < 1 || !parsed.success)
      throw this.#error(
        `the silences item in ${this.where} is not valid${parsed.success ? `: ${REVISION_ATTRIBUTE}: must be a whole number from 1` : `: ${describeStateIssues(parsed.error.issues)}`}`,
        operation,
      );
    return { revision, silences: parsed.data };
  }

  async #getItems(keys: readonly string[], operation: StateOperation): Promise<Record<string, AttributeValue>[]> {
    try {
      const output = await this.#dynamodb.send(new BatchGetItemCommand({ RequestItems: { [this.#tableName]: { Keys: keys.map(itemKey), ConsistentRead: true } } }), {
        abortSignal: AbortSignal.timeout(STATE_WRITE_TIMEOUT_MS),
      });
      if ((output.UnprocessedKeys?.[this.#tableName]?.Keys?.length ?? 0) > 0)
        throw new StateStoreError(`could not read ${this.where}: the key was left unprocessed; try again`, { operation, store: this.#tableName, code: 'UnprocessedKeys' });
      return output.Responses?.[this.#tableName] ?? [];
    } catch (error) {
      throw error instanceof StateStoreError ? error : this.#failure(operation, error);
    }
  }

  async #put(item: Record<string, AttributeValue>, condition: Omit<ConstructorParameters<typeof PutItemCommand>[0], 'TableName' | 'Item'>): Promise<void> {
    await this.#dynamodb.send(new PutItemCommand({ TableName: this.#tableName, Item: item, ...condition }), { abortSignal: AbortSignal.timeout(STATE_WRITE_TIMEOUT_MS) });
  }

  #error(message: string, operation: StateOperation): StateStoreError {
    return new StateStoreError(message, { operation, store: this.#tableName });
  }

  #failure(operation: StateOperation, error: unknown): StateStoreError {
    const code = awsErrorCode(error);
    const what = operation === 'load' ? 'read silences from' : 'change silences or acknowledgements in';
    return new StateStoreError(`could not ${what} ${this.where}: ${code}`, { operation, store: this.#tableName, code }, { cause: error });
  }
}
