/**
 * A {@link PortalMemory} as a DynamoDB item, with explicit attribute types (no document client):
 * strings as `S`, finding codes as a list of `S` (a set cannot be empty), the run counter as `N`.
 * An absent optional member (`lastNotifiedAt`, the escalation facts) is an absent attribute; an
 * acknowledgement is a map (`M`).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { PortalMemory } from '../notify/types.ts';
import { parsePortalMemory, type PortalMemoryParse } from './portal-memory-schema.ts';
import { STATE_TABLE_PARTITION_KEY, STATE_TABLE_RUN_KEY_ATTRIBUTE } from './state-table.ts';

/** The item that stores `memory`. */
export function toItem(memory: PortalMemory): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    [STATE_TABLE_PARTITION_KEY]: { S: memory.portal },
    status: { S: memory.status },
    codes: { L: memory.codes.map((code) => ({ S: code })) },
    since: { S: memory.since },
    notifiedStatus: { S: memory.notifiedStatus },
    notifiedCodes: { L: memory.notifiedCodes.map((code) => ({ S: code })) },
    runsSinceNotice: { N: String(memory.runsSinceNotice) },
    [STATE_TABLE_RUN_KEY_ATTRIBUTE]: { S: memory.lastRunKey },
  };
  if (memory.notifiedSeverity !== undefined) item.notifiedSeverity = { S: memory.notifiedSeverity };
  if (memory.lastNotifiedAt !== undefined) item.lastNotifiedAt = { S: memory.lastNotifiedAt };
  if (memory.neverRanSince !== undefined) item.neverRanSince = { S: memory.neverRanSince };
  if (memory.uncheckedRuns !== undefined) item.uncheckedRuns = { N: String(memory.uncheckedRuns) };
  if (memory.uncheckedSince !== undefined) item.uncheckedSince = { S: memory.uncheckedSince };
  if (memory.ack !== undefined) {
    const { status, codes, by, at, reason } = memory.ack;
    item.ack = { M: { status: { S: status }, codes: { L: codes.map((code) => ({ S: code })) }, by: { S: by }, at: { S: at }, reason: { S: reason } } };
  }
  return item;
}

/** The key of a portal's item. */
export function itemKey(portal: string): Record<string, AttributeValue> {
  return { [STATE_TABLE_PARTITION_KEY]: { S: portal } };
}

/** An attribute value as plain JSON, for the schema to judge (a type it does not expect fails there). */
export function plain(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.L !== undefined) return value.L.map(plain);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return Object.fromEntries(Object.entries(value.M).map(([name, inner]) => [name, plain(inner)]));
  return undefined;
}

/** The record an item holds, checked against the schema. */
export function fromItem(item: Record<string, AttributeValue>): PortalMemoryParse {
  return parsePortalMemory(Object.fromEntries(Object.entries(item).map(([name, value]) => [name, plain(value)])));
}
