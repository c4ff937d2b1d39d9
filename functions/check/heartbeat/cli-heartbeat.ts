/**
 * The heartbeat of the CLI (`--heartbeat URL`), for cron users: the same pings as the deployed
 * check, with failed pings reported on stderr. Only the option pings: a `heartbeat` in the
 * config is the deployed function's, and a CLI run on a laptop must not ping it.
 */
import { HeartbeatUrlSchema } from '../config.ts';
import type { CheckLogger } from '../logger.ts';
import type { CheckRun } from '../run-check.ts';
import { Heartbeat } from './heartbeat.ts';
import { heartbeatFailure } from './run-outcome.ts';

/** Writes the heartbeat's warnings to stderr as one line each (`warning: heartbeat ping failed …`). */
const stderrWarnings: CheckLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message, attributes) => console.error(`warning: ${message} (${[attributes?.signal, attributes?.host, attributes?.detail].filter(Boolean).join(', ')})`),
  error: (message) => console.error(`error: ${message}`),
};

/**
 * The heartbeat `--heartbeat` asks for, or `undefined` without the option.
 *
 * @param text - the option's value
 * @param usageError - makes the CLI's usage error from a problem (which never quotes the URL's path)
 * @throws what `usageError` returns, when the URL is not a ping URL
 */
export function heartbeatOption(text: string | undefined, usageError: (problem: string) => Error): Heartbeat | undefined {
  if (text === undefined) return undefined;
  const parsed = HeartbeatUrlSchema.safeParse(text);
  if (!parsed.success) throw usageError(`${parsed.error.issues[0]?.message ?? 'must be a ping URL'} (e.g. https://hc-ping.com/<uuid>)`);
  return new Heartbeat({ url: parsed.data, logger: stderrWarnings });
}

/**
 * Pings the end of a CLI run: the base URL when every alert was delivered and the state kept,
 * `/fail` with a one-line summary otherwise, or when the run threw. Never throws.
 */
export async function finishHeartbeat(heartbeat: Heartbeat | undefined, outcome: { readonly run?: CheckRun; readonly error?: unknown }): Promise<void> {
  if (heartbeat === undefined) return;
  const failure = heartbeatFailure(outcome);
  await (failure === undefined ? heartbeat.success() : heartbeat.fail(failure));
}
