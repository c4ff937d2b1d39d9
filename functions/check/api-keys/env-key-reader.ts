/**
 * Reads API keys from environment variables, for portals configured with `{ "env": "NAME" }`
 * (the CLI, local runs). A failure names the variable, never a value.
 */
import type { PortalConfig } from '../config.ts';
import type { ApiKeyReader, ApiKeyResult } from './api-key-reader.ts';

/** Options for {@link EnvKeyReader}. */
export interface EnvKeyReaderOptions {
  /**
   * The variables to read.
   *
   * @default - process.env, read when the keys are asked for
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads `{ env }` API keys. Surrounding whitespace is dropped; a missing or blank variable is a
 * failure.
 *
 * @example
 * const keys = await new EnvKeyReader().readKeys(config.portals);
 */
export class EnvKeyReader implements ApiKeyReader {
  readonly #env: Readonly<Record<string, string | undefined>> | undefined;

  public constructor(options: EnvKeyReaderOptions = {}) {
    this.#env = options.env;
  }

  /** Reads each portal's variable; never throws. Reading the environment cannot hang, so there is no deadline to keep. */
  public async readKeys(portals: readonly PortalConfig[]): Promise<Map<string, ApiKeyResult>> {
    const env = this.#env ?? process.env;
    const results = new Map<string, ApiKeyResult>();
    for (const portal of portals) {
      if (!('env' in portal.apiKey)) {
        results.set(portal.name, { ok: false, detail: `portal ${portal.name} does not take its API key from an environment variable` });
        continue;
      }
      const variable = portal.apiKey.env;
      const key = env[variable]?.trim();
      results.set(portal.name, key ? { ok: true, key } : { ok: false, detail: `environment variable ${variable} is not set` });
    }
    return results;
  }
}
