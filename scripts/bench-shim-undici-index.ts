/**
 * Bench variant "before": the HTTP edge as it was before the client got per-origin pools and
 * deep imports (functions/check/docspace/undici.ts, origin-pools.ts): undici bundled from its
 * index, and one `Agent` for every origin, which keeps each origin's idle connections (and
 * their pool) alive for undici's keep-alive time after its portal is done.
 *
 * Not used by the monitor: `npm run bench` swaps it in for `functions/check/docspace/undici.ts`
 * to measure what the change saved. `Pool` here is a front for that one shared `Agent`: the
 * client's per-origin `destroy()` does nothing, as the old client closed its agent only at the
 * end.
 */
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';

/** One agent per options object: the client builds all its pools with the same one. */
const agents = new WeakMap<object, Agent>();

/** Sends through the shared agent; closing it is left to nobody (the check process exits). */
export class Pool {
  readonly #agent: Agent;

  public constructor(_origin: string | URL, options: Agent.Options = {}) {
    let agent = agents.get(options);
    if (agent === undefined) {
      agent = new Agent(options);
      agents.set(options, agent);
    }
    this.#agent = agent;
  }

  /** What undici's `request` calls on its dispatcher. */
  public dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return this.#agent.dispatch(options, handler);
  }

  /** Keeps the agent's connections, as the old client did until its own `close()`. */
  public async close(): Promise<void> {}

  /** Keeps the agent's connections, as the old client did until its own `close()`. */
  public async destroy(): Promise<void> {}
}

/**
 * undici's `request` from its index.
 *
 * @param url - the absolute URL
 * @param options - as undici's, with `dispatcher` one of the `Pool`s above
 */
export function request(url: URL, options: Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & { readonly method?: Dispatcher.HttpMethod; readonly dispatcher: unknown }): Promise<Dispatcher.ResponseData<unknown>> {
  return undiciRequest(url, options as Parameters<typeof undiciRequest>[1]);
}
