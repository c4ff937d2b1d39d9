/**
 * The heartbeat outside AWS: a Healthchecks.io-style dead-man's switch. The run pings
 * `<url>/start` when it begins, `<url>` when it completes with every alert delivered and
 * `<url>/fail` (with a one-line summary) when it fails; if AWS stops running the monitor, the
 * pings stop and the external service pages people through channels that do not depend on this
 * account. A ping never fails the run: a failed one is logged (with the URL's host only: the
 * URL is a secret of sorts) and counted. Each ping is bounded: one attempt of at most
 * {@link DEFAULT_PING_TIMEOUT_MS}, and one retry for a network error, a timeout, a 429 or a 5xx.
 */
import { silentLogger, type CheckLogger } from '../logger.ts';
import { errorName } from '../error-name.ts';

/** What a ping says. */
export const HeartbeatSignal = {
  /** The run began (`<url>/start`): the service measures the run's duration from it. */
  START: 'start',
  /** The run completed with every alert delivered (`<url>`). */
  SUCCESS: 'success',
  /** The run failed (`<url>/fail`, with a one-line summary in the body). */
  FAIL: 'fail',
} as const;
export type HeartbeatSignal = (typeof HeartbeatSignal)[keyof typeof HeartbeatSignal];

/** How long one attempt of a ping may take, in ms. */
export const DEFAULT_PING_TIMEOUT_MS = 5_000;
/** The wait before the one retry, in ms. */
export const DEFAULT_PING_RETRY_DELAY_MS = 1_000;
/** Attempts of one ping: the first and one retry, never more. */
export const MAX_PING_ATTEMPTS = 2;
/** The longest `/fail` body, in characters (Healthchecks keeps the first 100 kB; one line is enough). */
export const MAX_FAIL_SUMMARY_LENGTH = 200;

/** The outcome of one ping. */
export interface PingResult {
  readonly signal: HeartbeatSignal;
  readonly ok: boolean;
  /** How many requests were sent (0 when the URL could not be read). */
  readonly attempts: number;
  /** Why it failed: `HTTP 404`, `no answer within 5 s`, `ECONNREFUSED`…; never the URL. */
  readonly detail?: string;
}

/** How a {@link Heartbeat} pings. */
export interface HeartbeatOptions {
  /** The ping URL, or a function that reads it (from SSM) when the first ping goes out. */
  readonly url: string | (() => Promise<string>);
  /** @default DEFAULT_PING_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** @default DEFAULT_PING_RETRY_DELAY_MS */
  readonly retryDelayMs?: number;
  /** @default - silent */
  readonly logger?: CheckLogger;
}

/**
 * One run's heartbeat: `start()` first, then `success()` or `fail(summary)`. Never throws.
 *
 * @example
 * const heartbeat = new Heartbeat({ url: 'https://hc-ping.com/<uuid>' });
 * await heartbeat.start();
 * … run …
 * await (failed ? heartbeat.fail('2 alert(s) could not be published') : heartbeat.success());
 */
export class Heartbeat {
  /** Pings of this run that failed (the `HeartbeatPingsFailed` metric). */
  public failedPings = 0;
  readonly #options: HeartbeatOptions;
  readonly #logger: CheckLogger;
  #url: Promise<string> | undefined;

  public constructor(options: HeartbeatOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Pings `<url>/start`. */
  public start(): Promise<PingResult> {
    return this.#ping(HeartbeatSignal.START, '');
  }

  /** Pings `<url>`: the run completed with every alert delivered. */
  public success(): Promise<PingResult> {
    return this.#ping(HeartbeatSignal.SUCCESS, '');
  }

  /**
   * Pings `<url>/fail` with the summary as its body, made one line of printable ASCII of at
   * most {@link MAX_FAIL_SUMMARY_LENGTH} characters. The caller passes counts and error names,
   * never a key or a portal's text.
   */
  public fail(summary: string): Promise<PingResult> {
    return this.#ping(HeartbeatSignal.FAIL, oneLine(summary));
  }

  async #ping(signal: HeartbeatSignal, body: string): Promise<PingResult> {
    let url: string;
    try {
      this.#url ??= typeof this.#options.url === 'string' ? Promise.resolve(this.#options.url) : this.#options.url();
      url = await this.#url;
    } catch (error) {
      // Read again at the next ping: the parameter may be back.
      this.#url = undefined;
      return this.#failed({ signal, ok: false, attempts: 0, detail: `ping URL not read (${(error as Error).message ?? errorName(error)})` }, undefined);
    }
    const target = signal === HeartbeatSignal.SUCCESS ? url : `${url}/${signal}`;
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await sendPing(target, body, timeoutMs);
      if (outcome.ok) {
        this.#logger.debug('heartbeat pinged', { signal, host: hostOf(url), attempts: attempt });
        return { signal, ok: true, attempts: attempt };
      }
      if (!outcome.retry || attempt >= MAX_PING_ATTEMPTS) return this.#failed({ signal, ok: false, attempts: attempt, detail: outcome.detail }, url);
      await new Promise((resolve) => setTimeout(resolve, this.#options.retryDelayMs ?? DEFAULT_PING_RETRY_DELAY_MS));
    }
  }

  #failed(result: PingResult, url: string | undefined): PingResult {
    this.failedPings += 1;
    this.#logger.warn('heartbeat ping failed; the run goes on', {
      signal: result.signal,
      ...(url === undefined ? {} : { host: hostOf(url) }),
      attempts: result.attempts,
      detail: result.detail,
    });
    return result;
  }
}

/** One request; `retry` says whether a second attempt may help. */
async function sendPing(url: string, body: string, timeoutMs: number): Promise<{ ok: true } | { ok: false; retry: boolean; detail: string }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'user-agent': 'docspace-backup-monitor' },
      // A redirect is not followed: the ping goes to the configured host or nowhere.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true };
    return { ok: false, retry: response.status === 429 || response.status >= 500, detail: `HTTP ${response.status}` };
  } catch (error) {
    const name = (error as Error | undefined)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, retry: true, detail: `no answer within ${formatSeconds(timeoutMs)}` };
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    return { ok: false, retry: true, detail: typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : 'network error' };
  }
}

/** The URL's host, for log lines: the path holds the secret part. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** One line of printable ASCII, at most {@link MAX_FAIL_SUMMARY_LENGTH} characters. */
export function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').replace(/[^\x20-\x7e]/g, '?').trim();
  return line.length > MAX_FAIL_SUMMARY_LENGTH ? `${line.slice(0, MAX_FAIL_SUMMARY_LENGTH - 3)}...` : line;
}
