/**
 * Keeps each portal's memory in a `Map`, with the same duplicate and release rules as the
 * DynamoDB table and the JSON file. For unit tests of the code that uses a {@link StateStore}.
 */
import type { PortalMemory, StateStore } from '../notify/types.ts';
import { releasableMemory, writableMemory } from './portal-memory-schema.ts';

/** What errors name as the store. */
const STORE = 'memory';
const WHERE = 'memory state';

/**
 * A {@link StateStore} in memory.
 *
 * @example
 * const stateStore = new MemoryStateStore([memoryOf('acme', { lastRunKey: '2025-01-06T02:00:00Z' })]);
 * await runCheck({ ...deps, stateStore }, config, now);
 * expect(stateStore.get('acme')?.status).toBe('CRITICAL');
 */
export class MemoryStateStore implements StateStore {
  readonly #records = new Map<string, PortalMemory>();

  /** @param records - the records to start with, as if earlier runs had written them */
  public constructor(records: Iterable<PortalMemory> = []) {
    for (const record of records) this.#records.set(record.portal, record);
  }

  /** The portal's record now, if any. */
  public get(portal: string): PortalMemory | undefined {
    return this.#records.get(portal);
  }

  /** The records of these portals that exist. */
  public async load(portals: readonly string[]): Promise<Map<string, PortalMemory>> {
    const memories = new Map<string, PortalMemory>();
    for (const portal of portals) {
      const record = this.#records.get(portal);
      if (record !== undefined) memories.set(portal, record);
    }
    return memories;
  }

  /** Keeps `next` unless the portal's record already holds `next.lastRunKey`. */
  public async claim(next: PortalMemory): Promise<boolean> {
    const record = writableMemory(next, 'claim', STORE, WHERE);
    if (this.#records.get(record.portal)?.lastRunKey === record.lastRunKey) return false;
    this.#records.set(record.portal, record);
    return true;
  }

  /** Puts `previous` back, or forgets the portal, only while its record still holds `claimed.lastRunKey`. */
  public async release(claimed: PortalMemory, previous: PortalMemory | undefined): Promise<void> {
    const record = releasableMemory(claimed, previous, STORE, WHERE);
    if (this.#records.get(claimed.portal)?.lastRunKey !== claimed.lastRunKey) return;
    if (record === undefined) this.#records.delete(claimed.portal);
    else this.#records.set(claimed.portal, record);
  }
}
