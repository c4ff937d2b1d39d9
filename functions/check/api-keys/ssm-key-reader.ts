/**
 * Reads API keys from SSM Parameter Store SecureStrings, for portals configured with
 * `{ "ssmParameter": "/name" }`. Names are asked for in batches of ten, a few batches at a
 * time (Parameter Store's throughput is shared and small by default); when a whole batch
 * fails, its names are asked for one by one, so one unreadable parameter affects only the
 * portals that use it. Keys are kept in memory for a while (a warm Lambda reuses them);
 * failures are not kept. A failure names the parameter and the AWS error code, never a value.
 * The run's deadline aborts the calls in flight and starts no more: the names not read by then
 * are failures saying so (`notReadBeforeDeadline`).
 */
import { GetParameterCommand, GetParametersCommand, SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';
import { mapWithConcurrency } from '../concurrency.ts';
import type { PortalConfig } from '../config.ts';
import { notReadBeforeDeadline, type ApiKeyReader, type ApiKeyResult, type ReadKeysOptions } from './api-key-reader.ts';
import { awsErrorCode } from '../aws-error-code.ts';
import { AWS_REQUEST_HANDLER_TIMEOUTS } from '../aws-client-timeouts.ts';

/** How long a key read from SSM is reused. */
export const DEFAULT_SSM_CACHE_TTL_MS = 5 * 60 * 1000;

/** How often the SDK tries one SSM call (throttling and 5xx are retried with backoff). */
export const DEFAULT_SSM_MAX_ATTEMPTS = 4;

/** The most names one `GetParameters` call takes. */
export const MAX_NAMES_PER_GET_PARAMETERS = 10;

/**
 * The most `GetParameters` calls in flight at once. Parameter Store's default throughput is
 * 40 transactions per second per account and region, shared with every other reader: a large
 * fleet's 100 batches sent at once would be throttled (and each throttled batch then asks for
 * its names one by one). Four at once keeps the burst small; the SDK's retries absorb the rest.
 */
export const MAX_GET_PARAMETERS_IN_FLIGHT = 4;

/** Tuning shared by both ways of giving the client. */
interface SsmKeyReaderBaseOptions {
  /**
   * How long a key is reused before SSM is asked again, in milliseconds.
   *
   * @default DEFAULT_SSM_CACHE_TTL_MS (5 minutes)
   */
  readonly cacheTtlMs?: number;
  /**
   * The clock, in epoch milliseconds (tests pass their own).
   *
   * @default - Date.now
   */
  readonly now?: () => number;
}

/** Options for {@link SsmKeyReader}: a ready client, or the config to build one; never both. */
export type SsmKeyReaderOptions = SsmKeyReaderBaseOptions &
  (
    | {
        /** An SSM client to use as is. */
        readonly client: SSMClient;
        readonly clientConfig?: never;
      }
    | {
        readonly client?: never;
        /**
         * Config for the SSM client this reader builds the first time it needs one.
         *
         * @default - the SDK's defaults with `maxAttempts` {@link DEFAULT_SSM_MAX_ATTEMPTS} and {@link AWS_REQUEST_HANDLER_TIMEOUTS}
         */
        readonly clientConfig?: SSMClientConfig;
      }
  );


function notFound(name: string): ApiKeyResult {
  return { ok: false, detail: `SSM parameter ${name} not found` };
}

function fromValue(name: string, value: string | undefined): ApiKeyResult {
  const key = value?.trim();
  return key ? { ok: true, key } : { ok: false, detail: `SSM parameter ${name} is empty` };
}

function tooLate(name: string): ApiKeyResult {
  return notReadBeforeDeadline(`SSM parameter ${name}`);
}

function unreadable(name: string, error: unknown): ApiKeyResult {
  return { ok: false, detail: `SSM parameter ${name} could not be read: ${awsErrorCode(error)}` };
}

/**
 * Reads `{ ssmParameter }` API keys with decryption.
 *
 * @example
 * // At module scope in the handler, so a warm Lambda reuses the cached keys:
 * const keyReader = new SsmKeyReader();
 * const keys = await keyReader.readKeys(config.portals);
 */
export class SsmKeyReader implements ApiKeyReader {
  readonly #cacheTtlMs: number;
  readonly #now: () => number;
  readonly #clientConfig: SSMClientConfig | undefined;
  #client: SSMClient | undefined;
  readonly #cache = new Map<string, { readonly key: string; readonly expiresAt: number }>();

  public constructor(options: SsmKeyReaderOptions = {}) {
    if (options.client !== undefined && options.clientConfig !== undefined)
      throw new Error('SsmKeyReader got both client and clientConfig: pass one of them');
    const cacheTtlMs = options.cacheTtlMs ?? DEFAULT_SSM_CACHE_TTL_MS;
    if (!Number.isFinite(cacheTtlMs) || cacheTtlMs < 0)
      throw new Error(`SsmKeyReader cacheTtlMs must be 0 or more milliseconds, got ${cacheTtlMs}`);
    this.#cacheTtlMs = cacheTtlMs;
    this.#now = options.now ?? Date.now;
    this.#client = options.client;
    this.#clientConfig = options.clientConfig;
  }

  /** The client, built on first use so that a run without SSM portals never builds one. */
  get #ssm(): SSMClient {
    this.#client ??= new SSMClient({ maxAttempts: DEFAULT_SSM_MAX_ATTEMPTS, requestHandler: AWS_REQUEST_HANDLER_TIMEOUTS, ...this.#clientConfig });
    return this.#client;
  }

  /** Reads each portal's parameter (each distinct name once); never throws; stops at `options.signal`. */
  public async readKeys(portals: readonly PortalConfig[], options: ReadKeysOptions = {}): Promise<Map<string, ApiKeyResult>> {
    const { signal } = options;
    const byName = new Map<string, ApiKeyResult>();
    const wanted = new Set<string>();
    const now = this.#now();
    for (const portal of portals) {
      if (!('ssmParameter' in portal.apiKey)) continue;
      const name = portal.apiKey.ssmParameter;
      const cached = this.#cache.get(name);
      if (cached !== undefined && cached.expiresAt > now) byName.set(name, { ok: true, key: cached.key });
      else wanted.add(name);
    }

    const names = [...wanted];
    const batches: string[][] = [];
    for (let start = 0; start < names.length; start += MAX_NAMES_PER_GET_PARAMETERS)
      batches.push(names.slice(start, start + MAX_NAMES_PER_GET_PARAMETERS));
    const read = await mapWithConcurrency(batches, MAX_GET_PARAMETERS_IN_FLIGHT, (batch) => this.#readBatch(batch, signal));
    const readAt = this.#now();
    for (const batch of read) {
      for (const [name, result] of batch) {
        byName.set(name, result);
        if (result.ok) this.#cache.set(name, { key: result.key, expiresAt: readAt + this.#cacheTtlMs });
      }
    }

    const results = new Map<string, ApiKeyResult>();
    for (const portal of portals) {
      if (!('ssmParameter' in portal.apiKey)) {
        results.set(portal.name, { ok: false, detail: `portal ${portal.name} does not take its API key from SSM` });
        continue;
      }
      const name = portal.apiKey.ssmParameter;
      results.set(portal.name, byName.get(name) ?? notFound(name));
    }
    return results;
  }

  /** One `GetParameters` call; when it fails as a whole, one `GetParameter` per name instead. */
  async #readBatch(names: readonly string[], signal: AbortSignal | undefined): Promise<Map<string, ApiKeyResult>> {
    const results = new Map<string, ApiKeyResult>();
    if (signal?.aborted) return new Map(names.map((name) => [name, tooLate(name)]));
    try {
      const output = await this.#ssm.send(new GetParametersCommand({ Names: [...names], WithDecryption: true }), signal === undefined ? {} : { abortSignal: signal });
      for (const parameter of output.Parameters ?? []) {
        if (parameter.Name !== undefined && names.includes(parameter.Name)) results.set(parameter.Name, fromValue(parameter.Name, parameter.Value));
      }
      for (const name of output.InvalidParameters ?? []) if (names.includes(name)) results.set(name, notFound(name));
      return results;
    } catch {
      // One name's KMS key or policy can fail the whole call: ask for each name alone, one at a
      // time so that a throttled batch is not answered with ten more calls at once.
      for (const name of names) results.set(name, await this.#readOne(name, signal));
      return results;
    }
  }

  async #readOne(name: string, signal: AbortSignal | undefined): Promise<ApiKeyResult> {
    if (signal?.aborted) return tooLate(name);
    try {
      const output = await this.#ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }), signal === undefined ? {} : { abortSignal: signal });
      return fromValue(name, output.Parameter?.Value);
    } catch (error) {
      if (signal?.aborted) return tooLate(name);
      return awsErrorCode(error) === 'ParameterNotFound' ? notFound(name) : unreadable(name, error);
    }
  }
}
