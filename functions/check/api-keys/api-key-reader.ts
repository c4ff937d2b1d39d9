/**
 * The API key reader contract. Keys are read for many portals at once so that SSM can be asked
 * in batches. A failure names the parameter or variable, never a value. The key phase is bounded
 * by the run's deadline: {@link readKeysBefore} gives up on the keys not read when it passes.
 */
import type { PortalConfig } from '../config.ts';

/** A portal's key, or why it could not be read (`detail` is safe to show). */
export type ApiKeyResult = { readonly ok: true; readonly key: string } | { readonly ok: false; readonly detail: string };

/** How keys are read. */
export interface ReadKeysOptions {
  /**
   * The run's deadline: when it aborts, calls in flight are aborted and the keys not read yet
   * are failures ({@link notReadBeforeDeadline}).
   *
   * @default - no deadline
   */
  readonly signal?: AbortSignal;
}

/** Reads portals' API keys. */
export interface ApiKeyReader {
  /** Reads the keys of these portals; the map has one entry per portal name. Never throws. */
  readKeys(portals: readonly PortalConfig[], options?: ReadKeysOptions): Promise<Map<string, ApiKeyResult>>;
}

/** What a key that was not read in time is: its detail ends with these words. */
export const KEY_DEADLINE_REASON = "the key was not read before the run's deadline";

/** Where a portal's key comes from, for people: `SSM parameter /docspace/acme/api-key`. */
export function keySourceOf(portal: PortalConfig): string {
  return 'ssmParameter' in portal.apiKey ? `SSM parameter ${portal.apiKey.ssmParameter}` : `environment variable ${portal.apiKey.env}`;
}

/**
 * The failure of a key the run's deadline passed before it was read.
 *
 * @param source - where the key was to come from (see {@link keySourceOf})
 */
export function notReadBeforeDeadline(source: string): ApiKeyResult {
  return { ok: false, detail: `${source}: ${KEY_DEADLINE_REASON}` };
}

/**
 * Reads the portals' keys, but no longer than the run's deadline: when `signal` aborts, the
 * reader is told (it aborts its calls) and every portal without an answer yet gets
 * {@link notReadBeforeDeadline}, even from a reader that ignores the signal. Never throws.
 *
 * @param reader - reads the keys
 * @param portals - the portals of the run
 * @param signal - the run's deadline; without one, this is `reader.readKeys(portals)`
 * @example
 * const keys = await readKeysBefore(deps.keys, portals, deadline.signal);
 */
export async function readKeysBefore(reader: ApiKeyReader, portals: readonly PortalConfig[], signal?: AbortSignal): Promise<Map<string, ApiKeyResult>> {
  const read = reader.readKeys(portals, signal === undefined ? {} : { signal });
  if (signal === undefined) return read;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  // A reader that breaks its contract and rejects costs its portals, not the run.
  const answered = await Promise.race([read.catch(() => new Map<string, ApiKeyResult>()), deadline]);
  if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  const results = new Map<string, ApiKeyResult>();
  for (const portal of portals)
    results.set(
      portal.name,
      answered?.get(portal.name) ??
        (answered === undefined ? notReadBeforeDeadline(keySourceOf(portal)) : { ok: false, detail: 'API key could not be read: the reader gave no answer' }),
    );
  return results;
}
