/**
 * A run's silences: the config's, and the run-time ones in force read from the store once per
 * run. A store that cannot be read fails the run, but the run goes on with the config's silences
 * alone: it alerts more, never less.
 */
import type { SilenceConfig } from '../config.ts';
import type { CheckLogger } from '../logger.ts';
import type { ActiveSilence } from '../notify/silences.ts';
import { asStateStoreError, StateOperation, type StateStoreError } from '../state/errors.ts';
import { silencesInForce } from './silence-rules.ts';
import type { SilenceReader } from './types.ts';

/** The silences a run weighs, and the failure to read the store's, if any. */
export interface RunSilences {
  /** The config's silences, then the run-time ones in force at the run's instant. */
  readonly silences: readonly ActiveSilence[];
  readonly stateFailures: StateStoreError[];
}

/**
 * Reads the run-time silences and puts them after the config's.
 *
 * @param reader - where run-time silences are kept; absent: the config's only
 * @param configured - the config's silences
 * @param now - the instant of the run
 * @param logger - where a failure to read is logged
 */
export async function loadSilences(reader: SilenceReader | undefined, configured: readonly SilenceConfig[], now: Date, logger: CheckLogger): Promise<RunSilences> {
  if (reader === undefined) return { silences: configured, stateFailures: [] };
  try {
    return { silences: [...configured, ...silencesInForce(await reader.listSilences(), now)], stateFailures: [] };
  } catch (error) {
    const failure = asStateStoreError(error, StateOperation.LOAD);
    logger.error('silences not read; alerting without the run-time silences', { error: failure.message });
    return { silences: configured, stateFailures: [failure] };
  }
}
