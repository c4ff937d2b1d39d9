/**
 * How a CLI run is stopped: by SIGINT or SIGTERM (Ctrl-C, cron's `timeout`, a Nagios check
 * timeout, `systemctl stop`) or by its own time limit (`--timeout`). Either aborts the run's
 * signal, so checks and alerts in flight stop and their claims are released (see `runCheck`'s
 * `signal`); the run then writes its state, reports and exits. Should that take longer than a
 * few seconds, or a second signal come, the process exits at once with UNKNOWN (3), after the
 * `onExit` clean-up (the lock).
 */

/** How long a stopped run may take to release its claims and report before the process exits anyway. */
export const STOP_GRACE_MS = 8_000;

/** The exit code of a run that was stopped from outside: UNKNOWN, the monitoring-plugins way. */
export const STOPPED_EXIT_CODE = 3;

/** The signals that stop a run. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** What stopped a run. */
export type StopReason = (typeof STOP_SIGNALS)[number] | 'time limit';

/** Options for {@link startRunStop}. */
export interface RunStopOptions {
  /** When the run's own time is up, in ms from now. @default - no time limit */
  readonly timeoutMs?: number;
  /** Runs just before a forced exit (a second signal, or the grace ran out): release the lock here. */
  readonly onExit: () => void;
  /** Told once, when the run is stopped: a line for stderr. */
  readonly onStop: (reason: StopReason) => void;
  /** @default STOP_GRACE_MS */
  readonly graceMs?: number;
}

/** A run's stop: its signal, and why it was stopped. */
export interface RunStop {
  /** Aborts when the run must stop. */
  readonly signal: AbortSignal;
  /** Why the run was stopped; `undefined` while it was not. */
  readonly reason: StopReason | undefined;
  /** Whether a signal (not the time limit) stopped it: the run then exits UNKNOWN (3). */
  readonly interrupted: boolean;
  /**
   * Stops listening for signals and clears the time limit; call when the run is over. A stopped
   * run's grace timer stays (it does not keep the process alive): the exit stays bounded.
   */
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM and starts the run's time limit.
 *
 * @example
 * const stop = startRunStop({ timeoutMs: 120_000, onExit: () => lock.releaseSync(), onStop: (why) => console.error(`stopping: ${why}`) });
 * try { await runCheck(deps, config, { now, signal: stop.signal }); } finally { stop.dispose(); }
 */
export function startRunStop(options: RunStopOptions): RunStop {
  const controller = new AbortController();
  let reason: StopReason | undefined;
  let grace: NodeJS.Timeout | undefined;

  const forceExit = () => {
    options.onExit();
    process.exit(STOPPED_EXIT_CODE);
  };
  const stop = (why: StopReason) => {
    if (reason !== undefined) {
      // A second signal: the user insists.
      if (why !== 'time limit') forceExit();
      return;
    }
    reason = why;
    options.onStop(why);
    controller.abort();
    grace = setTimeout(forceExit, options.graceMs ?? STOP_GRACE_MS);
    grace.unref();
  };
  const onSignal = (signal: NodeJS.Signals) => stop(signal as StopReason);
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  const limit = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('time limit'), options.timeoutMs);
  limit?.unref();

  return {
    signal: controller.signal,
    get reason() {
      return reason;
    },
    get interrupted() {
      return reason !== undefined && reason !== 'time limit';
    },
    dispose() {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      clearTimeout(limit);
    },
  };
}
