/**
 * Bench comparison "node:http": what functions/check/docspace/undici.ts gives the client
 * (`new Pool(origin, options)`, `pool.destroy()`, `request(url, options)` with an explicit
 * dispatcher) on Node's own `http`/`https` keep-alive agents, with undici's connect, headers
 * and body timeouts, its response size cap and its error codes. Redirects are not followed
 * (as undici's `request`).
 *
 * Not used by the monitor, which keeps undici (a well-kept library for a solved problem).
 * `npm run bench` swaps it in for undici.ts (an esbuild plugin, and a vitest run of the
 * client's tests) to show what undici costs in bundle size, cold load and memory.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { limitedBody, TransportCodeError, UndiciCode, type ResponseBody } from './bench-shim-body.ts';

/** The `Agent` options the client passes (undici's names and defaults). */
export interface AgentOptions {
  readonly connect?: { readonly timeout?: number };
  readonly headersTimeout?: number;
  readonly bodyTimeout?: number;
  readonly maxResponseSize?: number;
}

/** How long an idle keep-alive socket is kept (undici's default `keepAliveTimeout`). */
const KEEP_ALIVE_MS = 4_000;

/** Keep-alive connection pools for http and https, with undici's timeouts. */
export class Agent {
  public readonly connectTimeoutMs: number;
  public readonly headersTimeoutMs: number;
  public readonly bodyTimeoutMs: number;
  public readonly maxResponseBytes: number;
  public readonly http: http.Agent;
  public readonly https: https.Agent;

  public constructor(options: AgentOptions = {}) {
    this.connectTimeoutMs = options.connect?.timeout ?? 10_000;
    this.headersTimeoutMs = options.headersTimeout ?? 300_000;
    this.bodyTimeoutMs = options.bodyTimeout ?? 300_000;
    this.maxResponseBytes = options.maxResponseSize ?? -1;
    const pool = { keepAlive: true, timeout: KEEP_ALIVE_MS, scheduling: 'lifo' as const };
    this.http = new http.Agent(pool);
    this.https = new https.Agent(pool);
  }

  /** Closes every connection. */
  public async close(): Promise<void> {
    this.http.destroy();
    this.https.destroy();
  }
}

/** One origin's pool, as undici.ts's `Pool`: the agents above (the origin is in each URL). */
export class Pool extends Agent {
  public constructor(_origin: string | URL, options: AgentOptions = {}) {
    super(options);
  }

  /** Closes every connection. */
  public async destroy(): Promise<void> {
    await this.close();
  }
}

/** The request options the client passes. */
export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly dispatcher?: unknown;
  readonly signal?: AbortSignal;
  readonly headersTimeout?: number;
  readonly bodyTimeout?: number;
}

/** What `request` resolves to: undici's `ResponseData` members the client reads. */
export interface ResponseData {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: ResponseBody;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : Object.assign(new Error('the request was aborted'), { name: 'AbortError' });
}

/**
 * Sends one request through `options.dispatcher` (an {@link Agent}) and resolves once the
 * headers arrived; the body is read from `body`.
 *
 * @param url - the absolute URL
 * @param options - method, headers, signal and per-request timeouts
 */
export function request(url: string | URL, options: RequestOptions): Promise<ResponseData> {
  const agent = options.dispatcher;
  if (!(agent instanceof Agent)) return Promise.reject(new TypeError('this bench variant needs its own Agent as dispatcher'));
  const target = new URL(url);
  const headersTimeoutMs = options.headersTimeout ?? agent.headersTimeoutMs;
  const bodyTimeoutMs = options.bodyTimeout ?? agent.bodyTimeoutMs;
  const { signal } = options;

  return new Promise<ResponseData>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const secure = target.protocol === 'https:';
    const req = (secure ? https : http).request(target, {
      method: options.method ?? 'GET',
      headers: options.headers,
      agent: secure ? agent.https : agent.http,
    });
    let timer: NodeJS.Timeout | undefined;
    let body: ResponseBody | undefined;
    const fail = (error: Error): void => {
      clearTimeout(timer);
      req.destroy(error);
    };
    const onAbort = (): void => {
      const error = abortError(signal as AbortSignal);
      if (body) body.destroy(error);
      else fail(error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const startHeadersTimer = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(new TransportCodeError(UndiciCode.HEADERS_TIMEOUT, `no response headers within ${headersTimeoutMs} ms`)), headersTimeoutMs);
    };

    req.once('socket', (socket: Socket) => {
      if (!socket.connecting) {
        startHeadersTimer();
        return;
      }
      timer = setTimeout(() => fail(new TransportCodeError(UndiciCode.CONNECT_TIMEOUT, `no connection within ${agent.connectTimeoutMs} ms`)), agent.connectTimeoutMs);
      socket.once(secure ? 'secureConnect' : 'connect', startHeadersTimer);
    });
    // Not `once`: a second error after the first must not become an unhandled 'error' event.
    req.on('error', (error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    req.once('response', (response) => {
      clearTimeout(timer);
      const announced = Number(response.headers['content-length']);
      if (agent.maxResponseBytes >= 0 && Number.isFinite(announced) && announced > agent.maxResponseBytes) {
        response.destroy();
        signal?.removeEventListener('abort', onAbort);
        reject(new TransportCodeError(UndiciCode.TOO_LARGE, `the body announces ${announced} bytes, more than ${agent.maxResponseBytes}`));
        return;
      }
      body = limitedBody(response, { bodyTimeoutMs, maxResponseBytes: agent.maxResponseBytes });
      body.once('close', () => signal?.removeEventListener('abort', onAbort));
      resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, body });
    });
    req.end();
  });
}
