/**
 * The vocabulary of run-time silences and acknowledgements: what `silence add` stores next to the
 * run's state (the DynamoDB table, or the `--state` file), and what a store of them does. The
 * deployed function reads them every run, so muting a known problem needs no deploy.
 */
import type { FindingCode } from '../policy/types.ts';
import type { PortalMemory } from '../notify/types.ts';

/**
 * A silence added at run time (`docspace-backup-monitor silence add`): mutes the portal's matching
 * findings until `until`, or until someone expires it early. It stays listed for
 * {@link SILENCE_KEPT_AFTER_END_MS} after it ended, then it goes.
 */
export interface Silence {
  /** Short and unique (`s-` and 8 hex digits), for `silence expire ID`. */
  readonly id: string;
  readonly portal: string;
  /** The codes muted; absent: every code of the portal. */
  readonly codes?: readonly FindingCode[];
  /** When it ends by itself (ISO-8601). */
  readonly until: string;
  /** Why; shown in the report, the alerts and the digest. */
  readonly reason: string;
  /** Who added it: the caller's AWS identity (ARN) or the local user name. */
  readonly createdBy: string;
  /** When it was added (ISO-8601). */
  readonly createdAt: string;
  /** When someone ended it early with `silence expire` (ISO-8601); absent while it runs its course. */
  readonly expiredAt?: string;
  /** Who ended it early. */
  readonly expiredBy?: string;
}

/** How long a silence stays listed after it ended: 7 days. Then the next change drops it. */
export const SILENCE_KEPT_AFTER_END_MS = 7 * 24 * 60 * 60 * 1000;

/** What a run reads: the silences kept, in force or recently ended. */
export interface SilenceReader {
  /** Every silence stored: in force, and ended ones until a change drops them (`keptSilences` says which are still worth listing). */
  listSilences(): Promise<Silence[]>;
}

/**
 * Where run-time silences and acknowledgements live: the state table (its own item) or the state
 * file (its `silences` section); acknowledgements live in the portal's memory. Every change is a
 * read-modify-write that cannot lose a concurrent one (a conditional write in DynamoDB). Read
 * failures and write failures are `StateStoreError`s; a refused change (an unknown id, nothing to
 * acknowledge) is a `SilenceError`.
 */
export interface SilenceStore extends SilenceReader {
  /** Adds `silence` and drops the silences ended more than {@link SILENCE_KEPT_AFTER_END_MS} before `now`. */
  addSilence(silence: Silence, now: Date): Promise<void>;
  /**
   * Ends the silence `id` at `now`, recording who; an ended one is returned as it was.
   *
   * @throws SilenceError when no silence has that id
   */
  expireSilence(id: string, by: string, now: Date): Promise<Silence>;
  /**
   * Acknowledges the portal's outstanding problem (the last notice's status and codes).
   *
   * @returns the portal's memory with the acknowledgement
   * @throws SilenceError when no run has checked the portal yet, or nothing is outstanding
   */
  acknowledge(portal: string, by: string, reason: string, now: Date): Promise<PortalMemory>;
  /** Whether a run has checked the portal (the store holds its memory): a silence for a name no run knows is likely a typo. */
  hasPortalMemory(portal: string): Promise<boolean>;
}
