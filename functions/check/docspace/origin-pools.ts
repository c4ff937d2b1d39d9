/**
 * Connection pools per origin that live only while calls to their origin are in flight.
 *
 * A check asks each portal for four things at once, once a day. A connection kept alive after
 * a portal's calls would only be reused by a later call to the same origin within seconds: in
 * SaaS each portal is its own origin, so that never happens, and an idle pool (its undici
 * objects, sockets and timers) only holds memory while the run goes on to the next portals.
 * So the last call to an origin closes that origin's pool. Portals that share one origin (a
 * self-hosted server) keep one pool, and reuse its connections, as long as any of their calls
 * is in flight.
 */
import { Pool, type Dispatcher } from './undici.ts';

interface OriginPool {
  readonly pool: InstanceType<typeof Pool>;
  calls: number;
}

/**
 * Gives each call the pool of its origin: made by the first call, closed by the last.
 *
 * @example
 * const pools = new OriginPools({ connect: { timeout: 5_000 } });
 * const answer = await pools.withPool('https://acme.onlyoffice.com', (dispatcher) => request(url, { dispatcher }));
 */
export class OriginPools {
  readonly #options: ConstructorParameters<typeof Pool>[1];
  readonly #pools = new Map<string, OriginPool>();

  /**
   * @param options - undici's `Pool` options (timeouts, size limit) for every pool
   */
  public constructor(options: ConstructorParameters<typeof Pool>[1] = {}) {
    this.#options = options;
  }

  /**
   * Runs `call` with the pool of `origin`. When no other call to that origin is left, the pool
   * and its connections are closed before this resolves.
   *
   * @param origin - the origin every request of `call` goes to (`URL.origin`)
   * @param call - the requests; a body it leaves unread is cut off when the pool is destroyed
   * @returns what `call` returned; rejects as `call` did
   */
  public async withPool<T>(origin: string, call: (dispatcher: Dispatcher) => Promise<T>): Promise<T> {
    let entry = this.#pools.get(origin);
    if (entry === undefined) {
      entry = { pool: new Pool(origin, this.#options), calls: 0 };
      this.#pools.set(origin, entry);
    }
    entry.calls += 1;
    try {
      return await call(entry.pool);
    } finally {
      entry.calls -= 1;
      if (entry.calls === 0) {
        // Only this entry: after `close()`, a new call may have made a new pool for the origin.
        if (this.#pools.get(origin) === entry) this.#pools.delete(origin);
        // Nothing of this origin is in flight: destroy (not close) so that a body some call
        // left unread cannot keep the pool, and this call, waiting.
        await entry.pool.destroy().catch(() => undefined);
      }
    }
  }

  /** Destroys every pool, with calls in flight or not (at the end of a run). */
  public async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((entry) => entry.pool.destroy().catch(() => undefined)));
  }
}
