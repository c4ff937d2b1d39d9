/**
 * The notifier contract: a notifier sends one portal's alert. Rendering is separate from
 * sending (see render-alert.ts); a notifier only delivers what it is given.
 */
import { NoticeState } from '../notify/types.ts';
import type { Verdict } from '../policy/types.ts';

/**
 * Why a message is sent, as its `state` attribute: a notice's state (`firing`, `reminder`,
 * `resolved`) or the periodic `digest`. Subscriptions filter on it: the SMS filter policy lets
 * `digest` (and, unless `smsResolved`, `resolved`) through to e-mail only.
 */
export const AlertState = {
  ...NoticeState,
  /** The periodic listing of every portal's status (render-digest.ts). */
  DIGEST: 'digest',
  /** The monthly compliance report from the evidence archive (compliance/monthly-report.ts). */
  REPORT: 'report',
  /** A problem on the path from an alert to a person (delivery/): e-mail only, like the digest. */
  DELIVERY: 'delivery',
} as const;
export type AlertState = (typeof AlertState)[keyof typeof AlertState];

/** Message attributes every alert carries, so subscriptions can filter (SMS only for critical, say). */
export interface AlertAttributes {
  /** Why it is sent: `firing`, `reminder`, `resolved` or `digest`. */
  readonly state: AlertState;
  /**
   * The worst severity of the findings alerted (silenced ones left out): `critical` or `warning`.
   * For `resolved`, the severity of what was resolved, so the notice reaches the same phones.
   */
  readonly severity: 'critical' | 'warning';
  /** The status alerted: `WARNING`, `CRITICAL` or `UNKNOWN`; `OK` for `resolved`; the worst of all portals for `digest`. */
  readonly status: string;
  /** The portal's name; `*` for `digest`. */
  readonly portal: string;
  /**
   * The finding codes alerted, comma-separated, e.g. `BACKUP_OVERDUE,ARCHIVE_MISSING`; never a
   * silenced one. For `resolved`, the codes cleared; for `digest`, every code of every portal.
   */
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
   * @param signal - aborts the delivery (the run's time is up); it then fails
   * @throws AlertPublishError when it could not be delivered after retries, or was aborted
   */
  send(alert: Alert, verdict: Verdict, signal?: AbortSignal): Promise<void>;
}
