/**
 * The two parts of undici the DocSpace client uses, a connection `Pool` and `request`, imported
 * from undici's own files rather than from its index.
 *
 * Why: undici is CommonJS, so esbuild cannot tree-shake it, and its index loads everything it
 * offers: fetch, WebSocket, EventSource, the cache, the mocks, the interceptors. Bundled from the
 * index, undici was 534 KB of the Lambda's 688 KB and made its cold module load 1.7x the floor
 * (docs/PERFORMANCE.md). These two files bring only the pool, the HTTP/1.1 and HTTP/2 clients
 * (with llhttp) and `request`, with undici's behaviour unchanged: its connect, headers and body
 * timeouts, its size limit and its error codes.
 *
 * Pinned: `lib/dispatcher/pool.js` and `lib/api/api-request.js` are internal paths of undici
 * 7.30.2, which package.json pins exactly. undici has no `exports` map, so they resolve, but no
 * types, hence the casts to undici's public types below. test/check/docspace/undici.test.ts
 * fails if the paths move or their exports change shape, and if the pin becomes a range; after
 * an upgrade, run it and the client's tests before anything else.
 */
import type { Dispatcher, Pool as UndiciPool } from 'undici';
// @ts-expect-error -- undici ships no types for its internal files: typed as undici's `Pool` below
import poolModule from 'undici/lib/dispatcher/pool.js';
// @ts-expect-error -- undici ships no types for its internal files: typed as undici's `request` below
import requestModule from 'undici/lib/api/api-request.js';

/** undici's `Pool` (connections to one origin), from `lib/dispatcher/pool.js`. */
export const Pool = poolModule as typeof UndiciPool;

/** The options of one {@link request}: undici's, with the dispatcher required. */
export type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & {
  readonly method?: Dispatcher.HttpMethod;
  /** Where the request goes; there is no global dispatcher here. */
  readonly dispatcher: Dispatcher;
};

type DispatcherRequest = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/**
 * Sends one request through `options.dispatcher` and resolves once the headers arrived; the
 * body is read from `body`. The same as undici's `request(url, options)` (its index builds it
 * from `lib/api/api-request.js` alike), except that the dispatcher is required.
 *
 * @param url - the absolute URL
 * @param options - the dispatcher, method, headers, signal and per-request timeouts
 */
export function request(url: URL, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  return (requestModule as DispatcherRequest).call(dispatcher, {
    ...rest,
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: rest.method ?? 'GET',
  });
}

export type { Dispatcher };
