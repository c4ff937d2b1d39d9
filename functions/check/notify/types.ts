/**
 * The vocabulary of notifications between runs: what the monitor remembers about a portal, and
 * the notice a run sends (firing, reminder, resolved). Alertmanager's and Healthchecks' habits:
 * notify on a change, remind at an interval, say "resolved", honour silences.
 */
import type { FindingCode, Status } from '../policy/types.ts';

/** Why a notice is sent; every message carries it as the `state` attribute, so subscriptions can filter. */
export const NoticeState = {
  /** The status or the set of finding codes changed (or a problem is seen for the first time). */
  FIRING: 'firing',
  /** Nothing changed, the portal is still not OK, and the reminder interval has passed. */
  REMINDER: 'reminder',
  /** The portal is back to OK after a notice about a problem. */
  RESOLVED: 'resolved',
} as const;
export type NoticeState = (typeof NoticeState)[keyof typeof NoticeState];

/** What the monitor remembers about one portal between runs (one record per portal). */
export interface PortalMemory {
  readonly portal: string;
  /** The portal's status in the last run. */
  readonly status: Status;
  /** The finding codes of the last run, sorted, without repeats. */
  readonly codes: readonly FindingCode[];
  /** When this status and these codes were first seen (ISO-8601). */
  readonly since: string;
  /** What the last notice was about: the status and codes not silenced then (`OK` and `[]` when nothing is outstanding). */
  readonly notifiedStatus: Status;
  readonly notifiedCodes: readonly FindingCode[];
  /** The severity of what is outstanding (absent when nothing is): a `resolved` notice carries it, so it reaches the phones that got the problem. */
  readonly notifiedSeverity?: 'critical' | 'warning';
  /** When the last notice was sent (ISO-8601). */
  readonly lastNotifiedAt?: string;
  /** Runs since the last notice at the problem's own severity (a change sent as a mere warning does not count), for the reminder interval. */
  readonly runsSinceNotice: number;
  /**
   * The run that wrote this record: the Scheduler's scheduled time, or the invocation's request id.
   * A second delivery of the same run finds it here and sends nothing.
   */
  readonly lastRunKey: string;
  /**
   * When the schedule was first seen never dispatched (`NEVER_RAN`), kept while it still is (or
   * could not be read), ISO-8601; absent otherwise. See notify/escalation.ts.
   */
  readonly neverRanSince?: string;
  /** Consecutive runs, the last one included, that could not evaluate the portal; absent when the last run could. */
  readonly uncheckedRuns?: number;
  /** When that streak of runs began (ISO-8601); absent with `uncheckedRuns`. */
  readonly uncheckedSince?: string;
  /**
   * Someone acknowledged the outstanding problem (`docspace-backup-monitor ack`): no reminders
   * while the notified status and codes stay as acknowledged. Dropped when they change.
   */
  readonly ack?: Acknowledgement;
}

/**
 * An acknowledgement of a portal's outstanding problem: reminders stop until the status or the
 * codes alerted change (then the portal alerts again and the acknowledgement ends).
 */
export interface Acknowledgement {
  /** The status acknowledged: the last notice's (`PortalMemory.notifiedStatus`). */
  readonly status: Status;
  /** The codes acknowledged (`PortalMemory.notifiedCodes`), sorted. */
  readonly codes: readonly FindingCode[];
  /** Who acknowledged: the caller's AWS identity (ARN) or the local user name. */
  readonly by: string;
  /** When (ISO-8601). */
  readonly at: string;
  /** Why, shown in the report, the digest and the alert that ends it. */
  readonly reason: string;
}

/** A status change since the last notice: the `flip` of Healthchecks. */
export interface Flip {
  readonly from: Status;
  readonly to: Status;
  /** Codes that are new since the last notice. */
  readonly added: readonly FindingCode[];
  /** Codes that were in the last notice and are gone. */
  readonly cleared: readonly FindingCode[];
}

/** A finding that is not alerted because a silence matches it. */
export interface SilencedFinding {
  readonly code: FindingCode;
  readonly until: string;
  readonly reason: string;
  /** The id of the run-time silence (`silence add`) that mutes it; absent for a silence in the config. */
  readonly id?: string;
  /** Who added the run-time silence; absent for a silence in the config. */
  readonly by?: string;
}

/** What one portal's run sends, if anything. */
export interface Notice {
  readonly state: NoticeState;
  /** The status the notice is about: the portal's, or for `resolved` the one that was resolved. */
  readonly severity: 'critical' | 'warning';
  /** What changed since the last notice; absent for a first notice of a portal never seen before. */
  readonly flip?: Flip;
  /** Whether phones get it too (subject to the subscription's severity filter). */
  readonly sms: boolean;
}

/**
 * Where the memory lives: DynamoDB when deployed, a JSON file for the CLI (`check --state FILE`).
 * Every write is keyed by portal and conditional on the run, so a duplicate delivery sends nothing.
 */
export interface StateStore {
  /** The records of these portals; a portal never seen has none. */
  load(portals: readonly string[]): Promise<Map<string, PortalMemory>>;
  /**
   * Writes `next` unless the portal's record already has `next.lastRunKey` (a duplicate delivery
   * of the same run).
   *
   * @returns `false` for a duplicate: the caller must send nothing for this portal
   */
  claim(next: PortalMemory): Promise<boolean>;
  /**
   * Puts `previous` back (or deletes the record when there was none) after the claimed run's notice
   * could not be delivered, so that a retry of the same run sends it. Only when the record still
   * holds `claimed.lastRunKey`.
   */
  release(claimed: PortalMemory, previous: PortalMemory | undefined): Promise<void>;
}
