/**
 * Reads each portal's API key from where its config says: SSM or the environment. The readers
 * are given, so the CLI can run without AWS (no SSM reader) and tests can pass fakes.
 */
import type { PortalConfig } from '../config.ts';
import type { ApiKeyReader, ApiKeyResult, ReadKeysOptions } from './api-key-reader.ts';
import { EnvKeyReader, type EnvKeyReaderOptions } from './env-key-reader.ts';
import { SsmKeyReader, type SsmKeyReaderOptions } from './ssm-key-reader.ts';

/** The readers a {@link CompositeKeyReader} dispatches to. */
export interface CompositeKeyReaderOptions {
  /**
   * Reads `{ ssmParameter }` keys.
   *
   * @default - none: portals with an SSM parameter get a failure saying SSM is not available
   */
  readonly ssm?: ApiKeyReader;
  /**
   * Reads `{ env }` keys.
   *
   * @default - none: portals with an environment variable get a failure saying so
   */
  readonly env?: ApiKeyReader;
}

function sourceOf(portal: PortalConfig): 'ssm' | 'env' {
  return 'ssmParameter' in portal.apiKey ? 'ssm' : 'env';
}

function unavailable(portal: PortalConfig): ApiKeyResult {
  if ('ssmParameter' in portal.apiKey)
    return { ok: false, detail: `SSM parameter ${portal.apiKey.ssmParameter} cannot be read: no SSM access is configured for this run` };
  return { ok: false, detail: `environment variable ${portal.apiKey.env} cannot be read: no environment reader is configured for this run` };
}

/**
 * Dispatches each portal to the reader for its key's source, and merges the answers.
 *
 * @example
 * const reader = new CompositeKeyReader({ ssm: new SsmKeyReader(), env: new EnvKeyReader() });
 * const keys = await reader.readKeys(config.portals);
 */
export class CompositeKeyReader implements ApiKeyReader {
  readonly #readers: Readonly<Record<'ssm' | 'env', ApiKeyReader | undefined>>;

  public constructor(options: CompositeKeyReaderOptions = {}) {
    this.#readers = { ssm: options.ssm, env: options.env };
  }

  /** Reads every portal's key, one entry per portal name; never throws. The deadline goes to each reader. */
  public async readKeys(portals: readonly PortalConfig[], options: ReadKeysOptions = {}): Promise<Map<string, ApiKeyResult>> {
    const groups = { ssm: [] as PortalConfig[], env: [] as PortalConfig[] };
    for (const portal of portals) groups[sourceOf(portal)].push(portal);

    const answers = await Promise.all(
      (['ssm', 'env'] as const).map(async (source) => {
        const group = groups[source];
        const reader = this.#readers[source];
        if (group.length === 0) return new Map<string, ApiKeyResult>();
        if (reader === undefined) return new Map(group.map((portal) => [portal.name, unavailable(portal)]));
        try {
          return await reader.readKeys(group, options);
        } catch (error) {
          // The contract says readers never throw; if one does, its portals fail, not the run.
          const reason = error instanceof Error ? error.name : 'UnknownError';
          return new Map<string, ApiKeyResult>(group.map((portal) => [portal.name, { ok: false, detail: `API key could not be read: ${reason}` }]));
        }
      }),
    );

    const results = new Map<string, ApiKeyResult>();
    for (const portal of portals) {
      const answer = answers[sourceOf(portal) === 'ssm' ? 0 : 1]?.get(portal.name);
      results.set(portal.name, answer ?? { ok: false, detail: 'API key could not be read: the reader gave no answer' });
    }
    return results;
  }
}

/** Options for {@link createKeyReader}. */
export interface CreateKeyReaderOptions {
  /**
   * How to read SSM parameters, or `false` to run without SSM (the CLI without AWS credentials).
   *
   * @default - an {@link SsmKeyReader} that builds its SSM client only when a portal needs it
   */
  readonly ssm?: SsmKeyReaderOptions | false;
  /**
   * How to read environment variables.
   *
   * @default - process.env
   */
  readonly env?: EnvKeyReaderOptions;
}

/**
 * Builds the usual key reader: SSM and environment. No SSM client is built until a portal with
 * an SSM parameter asks for its key.
 *
 * @example
 * // handler.ts, at module scope:
 * const keyReader = createKeyReader();
 */
export function createKeyReader(options: CreateKeyReaderOptions = {}): CompositeKeyReader {
  return new CompositeKeyReader({
    ssm: options.ssm === false ? undefined : new SsmKeyReader(options.ssm),
    env: new EnvKeyReader(options.env),
  });
}
