/**
 * The HTTP edge to DocSpace: reads a portal's backup schedule, latest backup task, backup
 * history and settings with undici, and turns every answer into `Fetched<T>`. Never throws;
 * never sends the key anywhere but the portal's own origin; never puts the key, the header or a
 * server stack trace into a failure. Each origin gets its own connection pool, closed when its
 * last call ends (origin-pools.ts): a daily check has no use for idle connections.
 *
 * Retries are a small loop rather than undici's retry interceptor: the interceptor also resumes
 * bodies with `Range` requests and retries body timeouts, while this client must give up on a
 * `Retry-After` beyond its cap, never retry a headers or body timeout, keep one deadline across
 * attempts and redirects, and count attempts for the failure's detail.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type * as z from 'zod/mini';
import packageJson from '../../../package.json' with { type: 'json' };
import { sanitizePortalText } from '../text/portal-text.ts';
import { Redactor } from '../redaction/redactor.ts';
import { apiKeyProblem, authorizationHeader, isRawApiKey, type AuthScheme } from './authorization.ts';
import { CheckFailedCause, type EvidenceFailure, type Fetched } from './evidence.ts';
import { OriginPools } from './origin-pools.ts';
import {
  badBody,
  classifyTransportError,
  describeSchemaIssues,
  docspaceErrorMessage,
  invalidKey,
  rateLimitedBeyondCap,
  statusFailure,
  tooLarge,
  transportFailure,
  type DocSpaceSource,
  type RequestContext,
  type TransportLimits,
} from './request-failures.ts';
import { backoffDelayMs, retryAfterMs } from './retry-timing.ts';
import {
  BackupHistorySchema,
  BackupProgressSchema,
  BackupScheduleSchema,
  EnvelopeSchema,
  PortalSettingsSchema,
  type BackupHistory,
  type BackupProgress,
  type BackupSchedule,
  type PortalSettings,
} from './schemas.ts';
import { request, type Dispatcher } from './undici.ts';

export type { DocSpaceSource } from './request-failures.ts';

/** How long to wait for the TCP (and TLS) connection. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** How long to wait for the response headers once the request is sent. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** How long the body may go without sending data. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;
/** The deadline of one call (all attempts, redirects and waits), so a trickling body cannot hold a check. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;
/** The largest body read: 1 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** Retries after the first attempt, on network errors, 429 and 5xx. */
export const DEFAULT_MAX_RETRIES = 2;
/** The upper bound of the first backoff delay (full jitter; doubles per retry). */
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
/** The cap on a backoff delay. */
export const DEFAULT_MAX_RETRY_DELAY_MS = 5_000;
/** The longest `Retry-After` the client waits for; a longer one gives up with `RATE_LIMITED`. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 10_000;
/** Same-origin redirects followed per attempt. */
export const MAX_REDIRECTS = 3;
/** How much of an error body is read for DocSpace's `error.message`. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The `User-Agent` every request carries. */
export const USER_AGENT = `docspace-backup-monitor/${packageJson.version}`;

/** The API paths, relative to the portal's base URL. */
const ENDPOINT_PATHS: Readonly<Record<DocSpaceSource, string>> = {
  schedule: 'api/2.0/backup/getbackupschedule',
  progress: 'api/2.0/backup/getbackupprogress',
  history: 'api/2.0/backup/getbackuphistory',
  settings: 'api/2.0/settings',
};

/** One portal to ask. `apiKey` is a secret: the client sends it only to the origin of `url`. */
export interface PortalTarget {
  /** The portal's name in the config, for people. */
  readonly name: string;
  /** The portal's base URL with one trailing slash, e.g. `https://acme.onlyoffice.com/`. */
  readonly url: string;
  readonly apiKey: string;
  /**
   * How the key goes into `Authorization`.
   *
   * @default 'auto' - `Bearer` for `sk-` keys, raw otherwise
   */
  readonly scheme?: AuthScheme;
  /**
   * The caller's deadline (per portal or per run); when it aborts, the call ends with `TIMEOUT`.
   *
   * @default - only the client's own `requestTimeoutMs`
   */
  readonly signal?: AbortSignal;
}

/** Limits and hooks of a `DocSpaceClient`. */
export interface DocSpaceClientOptions {
  /**
   * Connect timeout. Applies only to the client's own pools (not to an injected `dispatcher`).
   *
   * @default DEFAULT_CONNECT_TIMEOUT_MS (5 s)
   */
  readonly connectTimeoutMs?: number;
  /**
   * Time to the response headers; a headers timeout is not retried and ends with `TIMEOUT`.
   *
   * @default DEFAULT_HEADERS_TIMEOUT_MS (10 s)
   */
  readonly headersTimeoutMs?: number;
  /**
   * Longest silence while reading a body; not retried, ends with `TIMEOUT`.
   *
   * @default DEFAULT_BODY_TIMEOUT_MS (10 s)
   */
  readonly bodyTimeoutMs?: number;
  /**
   * Deadline of one call, across attempts, redirects and backoff waits.
   *
   * @default DEFAULT_REQUEST_TIMEOUT_MS (20 s)
   */
  readonly requestTimeoutMs?: number;
  /**
   * Largest body accepted; a larger one ends with `BAD_RESPONSE`.
   *
   * @default DEFAULT_MAX_RESPONSE_BYTES (1 MiB)
   */
  readonly maxResponseBytes?: number;
  /**
   * Retries after the first attempt (network errors, 429, 5xx).
   *
   * @default DEFAULT_MAX_RETRIES (2)
   */
  readonly maxRetries?: number;
  /**
   * Upper bound of the first backoff delay; doubles per retry, full jitter.
   *
   * @default DEFAULT_RETRY_BASE_DELAY_MS (500 ms)
   */
  readonly retryBaseDelayMs?: number;
  /**
   * Cap on one backoff delay.
   *
   * @default DEFAULT_MAX_RETRY_DELAY_MS (5 s)
   */
  readonly maxRetryDelayMs?: number;
  /**
   * Longest `Retry-After` honoured; beyond it the call gives up with `RATE_LIMITED` at once.
   *
   * @default DEFAULT_MAX_RETRY_AFTER_MS (10 s)
   */
  readonly maxRetryAfterMs?: number;
  /**
   * The undici dispatcher to send through (for every origin); the client does not close one it
   * was given.
   *
   * @default - a pool per origin, with the connect/headers/body timeouts and `maxResponseSize`,
   * closed when the origin's last call ends
   */
  readonly dispatcher?: Dispatcher;
  /**
   * Waits between attempts; must reject when `signal` aborts.
   *
   * @default - `setTimeout` from `node:timers/promises`
   */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * A number in `[0, 1)` for the backoff jitter.
   *
   * @default Math.random
   */
  readonly random?: () => number;
}

/** What one attempt (with its redirects) ended in. */
type AttemptOutcome =
  | { readonly kind: 'answer'; readonly status: number; readonly text: string }
  | { readonly kind: 'failure'; readonly failure: EvidenceFailure; readonly retryable: boolean; readonly retryAfterMs?: number };

/**
 * Reads DocSpace's backup API for one portal at a time. Build one per process and `close()` it
 * at the end; calls for many portals may run at once.
 *
 * @example
 * const client = new DocSpaceClient();
 * const schedule = await client.getSchedule({ name: 'acme', url: 'https://acme.onlyoffice.com/', apiKey });
 * if (schedule.ok && schedule.value === null) console.log('no automatic backup is scheduled');
 * await client.close();
 */
export class DocSpaceClient {
  private readonly limits: TransportLimits;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly maxRetryAfterMs: number;
  /** The injected dispatcher, if any; otherwise `pools`. */
  private readonly dispatcher: Dispatcher | undefined;
  private readonly pools: OriginPools;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  /**
   * @param options - limits and hooks; every member has a documented default
   */
  public constructor(options: DocSpaceClientOptions = {}) {
    this.limits = {
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      headersTimeoutMs: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    };
    this.maxRetries = Math.max(0, options.maxRetries ?? DEFAULT_MAX_RETRIES);
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.random = options.random ?? Math.random;
    this.dispatcher = options.dispatcher;
    this.pools = new OriginPools({
      connect: { timeout: this.limits.connectTimeoutMs },
      headersTimeout: this.limits.headersTimeoutMs,
      bodyTimeout: this.limits.bodyTimeoutMs,
      maxResponseSize: this.limits.maxResponseBytes,
    });
  }

  /**
   * The portal's automatic-backup schedule (`getbackupschedule`).
   *
   * @param target - the portal
   * @returns the schedule, `null` when none is set (not an error), or the failure
   */
  public async getSchedule(target: PortalTarget): Promise<Fetched<BackupSchedule | null>> {
    return this.read<BackupSchedule | null>(target, 'schedule', (response, context, status) =>
      response === undefined ? { ok: true, value: null } : parseWith(BackupScheduleSchema, response, context, status),
    );
  }

  /**
   * The portal's latest backup, restore or transfer task (`getbackupprogress`).
   *
   * @param target - the portal
   * @returns the task, `null` when the portal has none, or the failure
   */
  public async getProgress(target: PortalTarget): Promise<Fetched<BackupProgress | null>> {
    return this.read<BackupProgress | null>(target, 'progress', (response, context, status) =>
      response === undefined ? { ok: true, value: null } : parseWith(BackupProgressSchema, response, context, status),
    );
  }

  /**
   * The portal's successful backups whose file still exists (`getbackuphistory`).
   *
   * @param target - the portal
   * @returns the dated records (possibly none) and how many records without a usable date were
   * skipped, or the failure; a missing `response` is a failure
   */
  public async getHistory(target: PortalTarget): Promise<Fetched<BackupHistory>> {
    return this.read(target, 'history', (response, context, status) =>
      response === undefined
        ? { ok: false, failure: badBody(context, status, 'response: expected array, the envelope has none') }
        : parseWith(BackupHistorySchema, response, context, status),
    );
  }

  /**
   * The portal's settings (`GET /api/2.0/settings`): its time zone.
   *
   * @param target - the portal
   * @returns the settings, or the failure; a missing `response` is a failure
   */
  public async getSettings(target: PortalTarget): Promise<Fetched<PortalSettings>> {
    return this.read(target, 'settings', (response, context, status) =>
      response === undefined
        ? { ok: false, failure: badBody(context, status, 'response: expected object, the envelope has none') }
        : parseWith(PortalSettingsSchema, response, context, status),
    );
  }

  /** Closes the client's own connections (of calls still in flight); an injected dispatcher is left to its owner. */
  public async close(): Promise<void> {
    await this.pools.close();
  }

  /** Fetches one endpoint and hands the envelope's `response` (`undefined` when absent or null) to `parse`. */
  private async read<T>(
    target: PortalTarget,
    source: DocSpaceSource,
    parse: (response: unknown, context: RequestContext, status: number) => Fetched<T>,
  ): Promise<Fetched<T>> {
    const context: RequestContext = { source, endpoint: ENDPOINT_PATHS[source].split('/').pop() ?? source };
    // Checked before any request: a key no header can carry is the key's problem, not the network's.
    const keyProblem = apiKeyProblem(target.apiKey);
    if (keyProblem !== undefined) return { ok: false, failure: invalidKey(context, keyProblem) };
    try {
      const answer = await this.withDispatcher(target, (dispatcher) => this.fetchWithRetries(target, context, dispatcher));
      if (answer.kind === 'failure') return { ok: false, failure: answer.failure };
      const envelope = readEnvelope(answer, context, redactorOf(target));
      if (!envelope.ok) return envelope;
      // Every string the portal sent, once decoded, without the key in any form.
      return parse(redactorOf(target).redactDeep(envelope.value), context, answer.status);
    } catch (error) {
      // Not expected: every known error is handled below. Name the kind, never the message.
      const kind = error instanceof Error ? sanitizePortalText(error.name, 40) : typeof error;
      return { ok: false, failure: { cause: CheckFailedCause.NETWORK, source, detail: `${context.endpoint}: unexpected client error (${kind})` } };
    }
  }

  /** Runs `call` with the injected dispatcher, or with the pool of the portal's origin (redirects stay on it). */
  private withDispatcher<T>(target: PortalTarget, call: (dispatcher: Dispatcher) => Promise<T>): Promise<T> {
    if (this.dispatcher !== undefined) return call(this.dispatcher);
    return this.pools.withPool(new URL(target.url).origin, call);
  }

  private async fetchWithRetries(target: PortalTarget, context: RequestContext, dispatcher: Dispatcher): Promise<AttemptOutcome> {
    const deadline = AbortSignal.timeout(this.limits.requestTimeoutMs);
    const signal = target.signal ? AbortSignal.any([deadline, target.signal]) : deadline;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(target, context, dispatcher, signal, attempt);
      if (outcome.kind === 'answer' || !outcome.retryable || attempt > this.maxRetries) return outcome;
      const wait = outcome.retryAfterMs ?? backoffDelayMs(attempt - 1, this.retryBaseDelayMs, this.maxRetryDelayMs, this.random());
      try {
        await this.sleep(wait, signal);
      } catch {
        // The deadline passed while waiting: the last failure explains best.
        return outcome;
      }
      if (signal.aborted) return outcome;
    }
  }

  /** One attempt: the request and up to `MAX_REDIRECTS` same-origin redirects. */
  private async attempt(target: PortalTarget, context: RequestContext, dispatcher: Dispatcher, signal: AbortSignal, attempt: number): Promise<AttemptOutcome> {
    let url = endpointUrl(target.url, ENDPOINT_PATHS[context.source]);
    const origin = url.origin;
    const headers = {
      accept: 'application/json',
      authorization: authorizationHeader(target.apiKey, target.scheme),
      'user-agent': USER_AGENT,
    };
    for (let redirects = 0; ; redirects += 1) {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, {
          method: 'GET',
          headers,
          dispatcher,
          signal,
          headersTimeout: this.limits.headersTimeoutMs,
          bodyTimeout: this.limits.bodyTimeoutMs,
        });
      } catch (error) {
        return this.transportOutcome(error, context, signal, target, attempt);
      }
      const { statusCode: status, body } = response;

      if (isRedirect(status)) {
        await body.dump().catch(() => undefined);
        const next = redirectTarget(firstHeader(response.headers, 'location'), url);
        if (next === undefined) return permanent(badBody(context, status, 'a redirect without a usable Location'));
        // The other origin is not quoted: a portal can put anything, the key too, into a host name.
        if (next.origin !== origin)
          return permanent(
            badBody(context, status, "redirects to another origin; not followed, so the API key is not sent there: configure the portal's canonical URL"),
          );
        if (redirects >= MAX_REDIRECTS) return permanent(badBody(context, status, `more than ${MAX_REDIRECTS} redirects`));
        url = next;
        continue;
      }

      if (status >= 200 && status < 300) {
        let text: string | undefined;
        try {
          text = await readCapped(body, this.limits.maxResponseBytes);
        } catch (error) {
          return this.transportOutcome(error, context, signal, target, attempt);
        }
        if (text === undefined) return permanent(tooLarge(context, this.limits.maxResponseBytes));
        return { kind: 'answer', status, text: redactorOf(target).redact(text) };
      }

      // An error status: the body only adds DocSpace's error.message, so a broken one is ignored.
      const bodyText = await readCapped(body, Math.min(MAX_ERROR_BODY_BYTES, this.limits.maxResponseBytes)).catch(() => undefined);
      const failure = statusFailure({
        ...context,
        status,
        bodyText: redactorOf(target).redact(bodyText ?? ''),
        attempts: attempt,
        rawApiKey: isRawApiKey(target.apiKey, target.scheme),
        redact: (message) => redactorOf(target).redact(message),
      });
      if (status === 429) {
        const wait = retryAfterMs(firstHeader(response.headers, 'retry-after'), Date.now());
        if (wait !== undefined && wait > this.maxRetryAfterMs) return permanent(rateLimitedBeyondCap(context, wait, this.maxRetryAfterMs));
        return { kind: 'failure', failure, retryable: true, retryAfterMs: wait };
      }
      return { kind: 'failure', failure, retryable: status >= 500 };
    }
  }

  private transportOutcome(error: unknown, context: RequestContext, signal: AbortSignal, target: PortalTarget, attempt: number): AttemptOutcome {
    const problem = signal.aborted ? { kind: 'aborted' as const, retryable: false } : classifyTransportError(error);
    const callerAborted = target.signal?.aborted === true;
    return { kind: 'failure', failure: transportFailure(context, problem, this.limits, attempt, callerAborted), retryable: problem.retryable };
  }
}

function permanent(failure: EvidenceFailure): AttemptOutcome {
  return { kind: 'failure', failure, retryable: false };
}

/** Joins an API path to a portal's base URL, keeping the base's path prefix (`/p/acme/`). */
function endpointUrl(baseUrl: string, path: string): URL {
  const base = new URL(baseUrl);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  base.search = '';
  base.hash = '';
  return new URL(path, base);
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Where a redirect points, without `dump` (never sent) or credentials; `undefined` when unusable. */
function redirectTarget(location: string | undefined, from: URL): URL | undefined {
  if (!location) return undefined;
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    return undefined;
  }
  if (next.protocol !== 'https:' && next.protocol !== 'http:') return undefined;
  // DocSpace binds query parameters case-insensitively: drop `dump` in any spelling.
  for (const name of [...next.searchParams.keys()]) if (name.toLowerCase() === 'dump') next.searchParams.delete(name);
  next.username = '';
  next.password = '';
  next.hash = '';
  return next;
}

function firstHeader(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The redactor of the key a target is asked with, one per target (a portal's calls share it). */
const REDACTORS = new WeakMap<PortalTarget, Redactor>();

/**
 * Removes the key the client was asked with, in any form (redaction/redactor.ts), from what a
 * portal sends: a portal that reflects the key (in a task error, say) must not get it into a
 * finding. Catches keys of any shape, not only `sk-`.
 */
function redactorOf(target: PortalTarget): Redactor {
  let redactor = REDACTORS.get(target);
  if (redactor === undefined) {
    redactor = new Redactor([target.apiKey]);
    REDACTORS.set(target, redactor);
  }
  return redactor;
}

/** Reads a body as UTF-8, or `undefined` (and the stream destroyed) when it exceeds `maxBytes`. */
async function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The envelope's `response` of a 2xx answer (`undefined` when absent or null), or why the body is
 * not one. The Content-Type is not quoted: a portal can put anything, the key too, into it.
 */
function readEnvelope(answer: { status: number; text: string }, context: RequestContext, redactor: Redactor): Fetched<unknown> {
  const { status, text } = answer;
  const fail = (problem: string): Fetched<never> => ({ ok: false, failure: badBody(context, status, problem) });
  if (text.trim() === '') return fail('empty body, expected DocSpace JSON');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    if (/^\s*</.test(text)) return fail("the body is an HTML or XML page, not DocSpace JSON: is the URL the portal's address?");
    return fail('the body is not valid JSON (cut short?)');
  }
  const envelope = EnvelopeSchema.safeParse(body);
  if (!envelope.success || Array.isArray(body)) {
    // A login or SSO page, a proxy's or another service's JSON: whatever it says is not DocSpace's evidence.
    return fail("the body is JSON but not a DocSpace envelope (no numeric status and statusCode): is the URL the portal's address, and does a login page or proxy answer instead?");
  }
  if (envelope.data.status === 1) {
    const message = docspaceErrorMessage(text, (decoded) => redactor.redact(decoded));
    return fail(`the envelope reports an error (status 1)${message === undefined ? '' : ` (DocSpace says: "${message}")`}`);
  }
  if (envelope.data.status !== 0) return fail(`the body is JSON but not a DocSpace envelope (status ${envelope.data.status}, where DocSpace writes 0 or 1)`);
  return { ok: true, value: envelope.data.response ?? undefined };
}

function parseWith<T>(schema: z.ZodMiniType<T>, response: unknown, context: RequestContext, status: number): Fetched<T> {
  const parsed = schema.safeParse(response);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, failure: badBody(context, status, `unexpected body: ${describeSchemaIssues(parsed.error.issues)}`) };
}
