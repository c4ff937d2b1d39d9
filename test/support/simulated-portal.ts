/**
 * A simulated DocSpace: one real HTTP server on 127.0.0.1 that serves many portals by path
 * prefix (`http://127.0.0.1:PORT/acme/` is portal `acme`) and speaks DocSpace's wire format
 * (see docs/DOCSPACE-API.md): the envelope, "none" as 200 without `response`, 401 with an empty
 * body unless `Authorization: Bearer <apiKey>`. Each endpoint is data: wire data for `response`,
 * `null` for none, or an `EndpointBehaviour` (status, raw body, delays, trickle, reset, redirect,
 * a sequence served in turn). No scenarios live here.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { registerCanary } from './canary.ts';

/** The endpoints a simulated portal answers. */
export type SimulatedEndpoint = 'schedule' | 'progress' | 'history' | 'settings';

/** Paths (after the portal prefix) and the endpoint each one is; the legacy schedule path included. */
const ROUTES: Readonly<Record<string, SimulatedEndpoint>> = {
  'api/2.0/backup/getbackupschedule': 'schedule',
  'api/2.0/portal/getbackupschedule': 'schedule',
  'api/2.0/backup/getbackupprogress': 'progress',
  'api/2.0/backup/getbackuphistory': 'history',
  'api/2.0/settings': 'settings',
};

/** `getbackupschedule`'s `response` as DocSpace writes it (numbers; names are tolerated too). */
export interface BackupScheduleWire {
  readonly storageType: number | string;
  readonly storageParams?: Readonly<Record<string, string>> | null;
  readonly cronParams: { readonly period: number | string; readonly hour: number; readonly day?: number | string | null };
  readonly backupsStored?: number | null;
  readonly lastBackupTime: string;
  readonly dump?: boolean;
}

/** `getbackupprogress`'s `response`. */
export interface BackupProgressWire {
  readonly isCompleted: boolean;
  readonly progress: number;
  readonly error: string;
  readonly backupProgressEnum?: number | string;
  readonly status?: number;
  readonly taskId?: string;
}

/** One record of `getbackuphistory`'s `response`. */
export interface BackupRecordWire {
  readonly id: string;
  readonly fileName: string;
  readonly storageType: number | string;
  readonly createdOn: string;
  readonly expiresOn?: string;
}

/** `GET /api/2.0/settings`'s `response` (only the time zone members matter). */
export interface PortalSettingsWire {
  readonly timezone?: string;
  readonly utcOffset?: string;
  readonly utcHoursOffset?: number;
}

/**
 * How an endpoint answers, beyond plain wire data. An object whose members are all names of
 * this interface is a behaviour; any other object (or array) is wire data for `response`.
 */
export interface EndpointBehaviour<W = unknown> {
  /**
   * The HTTP status.
   *
   * @default 200, or 302 with `redirectTo`
   */
  readonly status?: number;
  /**
   * The body: a string is sent as is, anything else as JSON (build envelopes with `envelope()`).
   *
   * @default - an empty body
   */
  readonly body?: unknown;
  /** Extra or overriding response headers (e.g. `content-type`, `retry-after`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Milliseconds to wait before sending the headers. */
  readonly delayMs?: number;
  /** Send the body at about this rate, in small chunks (`content-length` announces the whole). */
  readonly trickleBytesPerSecond?: number;
  /** Send this many body bytes, then reset the connection (`content-length` announces the whole). */
  readonly resetAfterBytes?: number;
  /** Answer with a redirect to this URL (absolute, or a path on this server). */
  readonly redirectTo?: string;
  /**
   * Answers served in turn, one per request (e.g. 503, then wire data); the last one repeats.
   * When set, the other members are ignored.
   */
  readonly sequence?: readonly EndpointAnswer<W>[];
}

/** What an endpoint serves: wire data for `response`, `null` for none, or a behaviour. */
export type EndpointAnswer<W> = EndpointBehaviour<W> | W | null;

/** One simulated portal. An endpoint left out serves its default (see each member). */
export interface SimulatedPortal {
  /** The key expected as `Authorization: Bearer <apiKey>`; anything else gets 401 with an empty body. */
  readonly apiKey: string;
  /**
   * `getbackupschedule`.
   *
   * @default - none (200 without `response`)
   */
  readonly schedule?: EndpointAnswer<BackupScheduleWire>;
  /**
   * `getbackupprogress`.
   *
   * @default - none (200 without `response`)
   */
  readonly progress?: EndpointAnswer<BackupProgressWire>;
  /**
   * `getbackuphistory`.
   *
   * @default - `[]`
   */
  readonly history?: EndpointAnswer<readonly BackupRecordWire[]>;
  /**
   * `GET /api/2.0/settings`.
   *
   * @default - `DEFAULT_SETTINGS` (UTC)
   */
  readonly settings?: EndpointAnswer<PortalSettingsWire>;
  /** Milliseconds added before every answer of this portal (for benchmarks). */
  readonly latencyMs?: number;
}

/** A request the server received, with its headers as sent (the authorization header included). */
export interface RecordedRequest {
  readonly method: string;
  /** The path without the query, e.g. `/acme/api/2.0/backup/getbackupschedule`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** The portal the path names, when it names one. */
  readonly portal?: string;
  readonly endpoint?: SimulatedEndpoint;
}

/** How the simulated DocSpace listens. */
export interface SimulatedPortalsOptions {
  /**
   * Serve HTTPS with this key and certificate (PEM) instead of plain HTTP, e.g. a certificate
   * made by test/support/test-certificates.ts (self-signed, expired, for another host).
   *
   * @default - plain HTTP
   */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** A running simulated DocSpace. */
export interface SimulatedPortals {
  /** `http://127.0.0.1:PORT` (`https://` with `tls`; no trailing slash). */
  readonly baseUrl: string;
  /** A portal's base URL with one trailing slash, as the config gives it: `http://127.0.0.1:PORT/acme/`. */
  urlOf(name: string): string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Adds or replaces a portal (and restarts its sequences). */
  setPortal(name: string, portal: SimulatedPortal): void;
  /** Stops the server and destroys every open connection. */
  close(): Promise<void>;
}

/** The settings served when a portal names none. */
export const DEFAULT_SETTINGS: PortalSettingsWire = { timezone: 'UTC', utcOffset: '00:00:00', utcHoursOffset: 0 };

/** A text that appears in every fake stack trace, so tests can prove stacks never leak. */
export const FAKE_STACK_MARKER = 'ASC.Simulated.StackCanary';

/**
 * A DocSpace envelope around `response`; with `response` `undefined` the member is left out, as
 * DocSpace does when an action returned nothing.
 *
 * @param response - the payload, or `undefined` for none
 * @param href - the `links[0].href`
 */
export function envelope(response?: unknown, href = 'http://127.0.0.1/api/2.0'): Record<string, unknown> {
  const links = [{ href, action: 'GET' }];
  if (response === undefined) return { count: 0, links, status: 0, statusCode: 200 };
  return { response, count: Array.isArray(response) ? response.length : 1, links, status: 0, statusCode: 200 };
}

/**
 * DocSpace's error JSON, with a fake .NET `stack` that contains `FAKE_STACK_MARKER`.
 *
 * @param status - the HTTP status it goes with
 * @param message - `error.message`
 */
export function docspaceError(status: number, message: string): Record<string, unknown> {
  return {
    error: {
      message,
      type: 'ASC.Common.Security.Authorizing.AuthorizingException',
      stack: `   at ${FAKE_STACK_MARKER}.Throw(String reason)\n   at ASC.Data.Backup.Services.BackupService.GetScheduleAsync()\n   ...`,
      hresult: -2146233088,
    },
    status: 1,
    statusCode: status,
  };
}

/**
 * An RFC 9457 `application/problem+json` answer, as ASP.NET writes for 402 and 404.
 *
 * @param status - the HTTP status
 * @param title - the problem's title
 */
export function problemResponse(status: number, title: string): EndpointBehaviour<never> {
  return {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
    body: { type: 'https://tools.ietf.org/html/rfc9110', title, status, traceId: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' },
  };
}

const BEHAVIOUR_KEYS: ReadonlySet<string> = new Set([
  'status',
  'body',
  'headers',
  'delayMs',
  'trickleBytesPerSecond',
  'resetAfterBytes',
  'redirectTo',
  'sequence',
]);

function isBehaviour(answer: unknown): answer is EndpointBehaviour {
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return false;
  const keys = Object.keys(answer);
  return keys.length > 0 && keys.every((key) => BEHAVIOUR_KEYS.has(key));
}

/** A concrete answer to send. */
interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly delayMs: number;
  readonly trickleBytesPerSecond?: number;
  readonly resetAfterBytes?: number;
}

function defaultAnswer(endpoint: SimulatedEndpoint): unknown {
  if (endpoint === 'history') return [];
  if (endpoint === 'settings') return DEFAULT_SETTINGS;
  return null;
}

function encodeBody(body: unknown): { bytes: Buffer; contentType?: string } {
  if (body === undefined) return { bytes: Buffer.alloc(0) };
  if (typeof body === 'string') return { bytes: Buffer.from(body, 'utf8'), contentType: 'text/plain; charset=utf-8' };
  if (Buffer.isBuffer(body)) return { bytes: body, contentType: 'application/octet-stream' };
  return { bytes: Buffer.from(JSON.stringify(body), 'utf8'), contentType: 'application/json; charset=utf-8' };
}

function toReply(answer: unknown, href: string): Reply {
  if (!isBehaviour(answer)) {
    const { bytes, contentType } = encodeBody(envelope(answer ?? undefined, href));
    return { status: 200, headers: { 'content-type': contentType ?? '' }, body: bytes, delayMs: 0 };
  }
  const { bytes, contentType } = encodeBody(answer.body);
  const headers: Record<string, string> = {};
  if (contentType !== undefined) headers['content-type'] = contentType;
  if (answer.redirectTo !== undefined) headers.location = answer.redirectTo;
  for (const [name, value] of Object.entries(answer.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    status: answer.status ?? (answer.redirectTo === undefined ? 200 : 302),
    headers,
    body: bytes,
    delayMs: answer.delayMs ?? 0,
    trickleBytesPerSecond: answer.trickleBytesPerSecond,
    resetAfterBytes: answer.resetAfterBytes,
  };
}

/** Waits `ms`, or less when the response closes first; resolves `false` when it closed. */
function wait(ms: number, res: ServerResponse): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!res.destroyed);
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}

function resetConnection(socket: Socket): void {
  // A TCP RST where Node supports it (the client sees ECONNRESET), else a plain close.
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

async function send(res: ServerResponse, reply: Reply): Promise<void> {
  if (!(await wait(reply.delayMs, res))) return;
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
  const rate = reply.trickleBytesPerSecond;
  const resetAt = reply.resetAfterBytes;
  if (rate === undefined && resetAt === undefined) {
    res.end(reply.body);
    return;
  }
  const limit = resetAt === undefined ? reply.body.length : Math.min(resetAt, reply.body.length);
  if (rate === undefined) {
    res.write(reply.body.subarray(0, limit));
  } else {
    // Ten chunks a second, at least one byte each.
    const chunk = Math.max(1, Math.floor(rate / 10));
    for (let offset = 0; offset < limit; offset += chunk) {
      if (!res.write(reply.body.subarray(offset, Math.min(offset + chunk, limit))) && res.destroyed) return;
      if (!(await wait((chunk / rate) * 1000, res))) return;
    }
  }
  if (resetAt !== undefined) {
    // Let the bytes written so far leave before the reset.
    await wait(20, res);
    if (res.socket) resetConnection(res.socket);
    return;
  }
  res.end();
}

/**
 * Starts one server on 127.0.0.1 (a random port) that serves `portals` by path prefix.
 *
 * @param portals - the portals by name (the first path segment of their URL)
 * @param options - HTTPS instead of HTTP; see {@link SimulatedPortalsOptions}
 * @example
 * const docspace = await startSimulatedPortals({ acme: { apiKey: 'sk-test', schedule: null } });
 * const target = { name: 'acme', url: docspace.urlOf('acme'), apiKey: 'sk-test' };
 * // … ask it …
 * await docspace.close();
 */
export async function startSimulatedPortals(
  portals: Readonly<Record<string, SimulatedPortal>>,
  options: SimulatedPortalsOptions = {},
): Promise<SimulatedPortals> {
  const byName = new Map<string, SimulatedPortal>(Object.entries(portals));
  // Every key a portal accepts is a secret the suite's canary guard looks for in all output.
  for (const portal of byName.values()) registerCanary(portal.apiKey);
  const served = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let baseUrl = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', baseUrl);
    const [, name = '', ...rest] = url.pathname.split('/');
    const endpoint = ROUTES[rest.join('/')];
    const portal = byName.get(name);
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      ...(portal ? { portal: name } : {}),
      ...(endpoint ? { endpoint } : {}),
    });
    const empty = (status: number): Reply => ({ status, headers: {}, body: Buffer.alloc(0), delayMs: 0 });
    if (!portal) return send(res, empty(404));
    if (!(await wait(portal.latencyMs ?? 0, res))) return;
    if (req.headers.authorization !== `Bearer ${portal.apiKey}`) return send(res, empty(401));
    if (!endpoint || req.method !== 'GET') return send(res, empty(404));

    let answer: unknown = portal[endpoint] === undefined ? defaultAnswer(endpoint) : portal[endpoint];
    if (isBehaviour(answer) && answer.sequence !== undefined && answer.sequence.length > 0) {
      const key = `${name}/${endpoint}`;
      const turn = served.get(key) ?? 0;
      served.set(key, turn + 1);
      answer = answer.sequence[Math.min(turn, answer.sequence.length - 1)];
    }
    return send(res, toReply(answer, `${baseUrl}${url.pathname}`));
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => res.destroy());
  };
  const server = options.tls === undefined ? createServer(listener) : createTlsServer({ key: options.tls.key, cert: options.tls.cert }, listener);
  // A client that rejects the certificate ends the handshake; that is the test's point, not a server error.
  server.on('tlsClientError', (_error: Error, socket: Socket) => socket.destroy());
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;

  return {
    baseUrl,
    urlOf: (name) => `${baseUrl}/${name}/`,
    requests,
    setPortal(name, portal) {
      registerCanary(portal.apiKey);
      byName.set(name, portal);
      for (const key of [...served.keys()]) if (key.startsWith(`${name}/`)) served.delete(key);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
