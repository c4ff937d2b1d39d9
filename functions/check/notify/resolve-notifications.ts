/**
 * The notification settings with their defaults filled in, resolved once from the config.
 */
import { DEFAULT_ESCALATE_UNCHECKED_AFTER_RUNS, DEFAULT_REMIND_EVERY_RUNS, type NotificationsConfig } from '../config.ts';

/** `MonitorConfig.notifications` with every default applied. */
export interface NotificationSettings {
  /** An unchanged problem is repeated every N runs, by its worst severity; 0 never repeats it. */
  readonly remindEveryRuns: { readonly critical: number; readonly warning: number };
  /** Whether the `resolved` notice is texted as well as e-mailed. */
  readonly smsResolved: boolean;
  /** Consecutive runs that could not evaluate a portal before its transient `CHECK_FAILED` turns critical; 0 never. */
  readonly escalateUncheckedAfterRuns: number;
}

/**
 * Fills in the defaults of `notifications`: reminders every `{ critical: 1, warning: 7 }` runs
 * ({@link DEFAULT_REMIND_EVERY_RUNS}), `resolved` notices by e-mail only, a portal unevaluated
 * in 3 consecutive runs escalated to critical ({@link DEFAULT_ESCALATE_UNCHECKED_AFTER_RUNS}).
 *
 * @param config - `MonitorConfig.notifications`, if set
 * @example
 * resolveNotifications({ remindEveryRuns: { warning: 3 } });
 * // { remindEveryRuns: { critical: 1, warning: 3 }, smsResolved: false, escalateUncheckedAfterRuns: 3 }
 */
export function resolveNotifications(config: NotificationsConfig = {}): NotificationSettings {
  return {
    remindEveryRuns: {
      critical: config.remindEveryRuns?.critical ?? DEFAULT_REMIND_EVERY_RUNS.critical,
      warning: config.remindEveryRuns?.warning ?? DEFAULT_REMIND_EVERY_RUNS.warning,
    },
    smsResolved: config.smsResolved ?? false,
    escalateUncheckedAfterRuns: config.escalateUncheckedAfterRuns ?? DEFAULT_ESCALATE_UNCHECKED_AFTER_RUNS,
  };
}
