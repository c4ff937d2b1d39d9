/**
 * What `silence` and `ack` share besides where: the checks of `--portal` and `--reason`, and how a
 * refused or failed change is told (one `error:` line, exit code 3, never a stack trace).
 */
import { MAX_SILENCE_REASON_LENGTH } from '../../functions/check/silences/silence-schema.ts';
import { SilenceError } from '../../functions/check/silences/errors.ts';
import { StateStoreError } from '../../functions/check/state/errors.ts';
import { StateLockError } from '../../functions/check/state/file-lock.ts';
import { SilenceUsageError } from './silence-target.ts';

/** The exit code of a refused or failed change (the monitoring-plugins UNKNOWN, as for a usage error of `check`). */
export const COMMAND_FAILED = 3;

/** `--portal`: a portal name as the config allows it. */
export function parsePortalName(portal: string | undefined): string {
  if (portal === undefined) throw new SilenceUsageError('--portal NAME is required');
  if (!/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(portal))
    throw new SilenceUsageError(`--portal must be a portal name as in the config (1-64 lowercase letters, digits and "-"), got ${JSON.stringify(portal.slice(0, 70))}`);
  return portal;
}

/** `--reason`: required, at most {@link MAX_SILENCE_REASON_LENGTH} characters. */
export function parseReason(reason: string | undefined): string {
  const text = reason?.trim() ?? '';
  if (text === '') throw new SilenceUsageError('--reason TEXT is required: say why (it is shown in the report, the alerts and the digest)');
  if (text.length > MAX_SILENCE_REASON_LENGTH) throw new SilenceUsageError(`--reason must be at most ${MAX_SILENCE_REASON_LENGTH} characters, got ${text.length}`);
  return text;
}

/**
 * Tells why a command failed, on stderr, and returns {@link COMMAND_FAILED}.
 *
 * @param error - what the command threw
 */
export function commandFailed(error: unknown): number {
  if (error instanceof SilenceUsageError || error instanceof SilenceError || error instanceof StateStoreError || error instanceof StateLockError) console.error(`error: ${error.message}`);
  else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) console.error(`error: ${(error as Error).message} (see --help)`);
  else console.error(`error: ${(error as Error).name}: ${(error as Error).message}`);
  return COMMAND_FAILED;
}
