/**
 * The notifier contract: a notifier sends one portal's alert. Rendering is separate from
 * sending (see render-alert.ts); a notifier only delivers what it is given.
 */
import type { Verdict } from '../policy/types.ts';

/** Message attributes every alert carries, so subscriptions can filter (SMS only for critical, say). */
export interface AlertAttributes {
  /** The worst finding severity: `critical` or `warning`. */
  readonly severity: 'critical' | 'warning';
  /** The portal's status: `WARNING`, `CRITICAL` or `UNKNOWN`. */
  readonly status: string;
  readonly portal: string;
  /** The finding codes, comma-separated, e.g. `BACKUP_OVERDUE,ARCHIVE_MISSING`. */
  readonly codes: string;
}

/** One portal's alert, rendered for every channel. */
export interface Alert {
  /** At most 100 printable ASCII characters. */
  readonly subject: string;
  /** The full text, for e-mail. */
  readonly email: string;
  /** At most 160 GSM-7 characters: one SMS segment. */
  readonly sms: string;
  /** The portal's result as JSON, for machines (SNS `default`). */
  readonly json: string;
  readonly attributes: AlertAttributes;
}

/** Delivers alerts. */
export interface Notifier {
  /**
   * Sends one alert.
   *
   * @throws AlertPublishError when it could not be delivered after retries
   */
  send(alert: Alert, verdict: Verdict): Promise<void>;
}
