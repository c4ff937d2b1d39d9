/**
 * The digest's own record in the state store, so that a second delivery of one digest run sends
 * nothing (EventBridge Scheduler delivers at least once). It is a {@link PortalMemory} under a
 * reserved name no portal can have (portal names are lowercase letters, digits and "-"), so every
 * store keeps it with the same claim and release rules as a portal's record.
 */
import type { CheckLogger } from '../logger.ts';
import type { PortalMemory, StateStore } from '../notify/types.ts';
import type { Status } from '../policy/types.ts';
import { asStateStoreError, StateOperation } from './errors.ts';

/** The reserved record name of the digest. */
export const DIGEST_RECORD = '#digest';

/** The reserved record name of the monthly compliance report, claimed the same way. */
export const MONTHLY_REPORT_RECORD = '#monthly-report';

/** A digest run's claim: whether it is a duplicate, and how to take it back. */
export interface DigestClaim {
  /** The run was already sent: send nothing. */
  readonly duplicate: boolean;
  /** Forgets the claim (the digest could not be sent), so that a retry of the run sends it. */
  release(): Promise<void>;
}

/** The record a digest run writes: the run's key and the fleet's status. */
export function digestMemory(runKey: string, status: Status, now: Date, record: string = DIGEST_RECORD): PortalMemory {
  const at = now.toISOString();
  return { portal: record, status, codes: [], since: at, notifiedStatus: status, notifiedCodes: [], lastNotifiedAt: at, runsSinceNotice: 0, lastRunKey: runKey };
}

/**
 * Claims a digest run in the state store. Without a store, or when the store fails, the digest
 * is sent anyway (a duplicate beats a missed digest) and the failure is logged.
 *
 * @param state - the store, if the monitor keeps state
 * @param runKey - the run's name: the Scheduler's scheduled time, or the invocation's request id
 * @param status - the fleet's status, kept in the record
 * @param record - the reserved record: {@link DIGEST_RECORD}, or {@link MONTHLY_REPORT_RECORD} for the monthly report
 * @example
 * const claim = await claimDigest(stateStore, runKey, run.status, now, logger);
 * if (!claim.duplicate) await notifier.send(alert, verdict).catch(async (error) => { await claim.release(); throw error; });
 */
export async function claimDigest(
  state: StateStore | undefined,
  runKey: string,
  status: Status,
  now: Date,
  logger: CheckLogger,
  record: string = DIGEST_RECORD,
): Promise<DigestClaim> {
  const notClaimed: DigestClaim = { duplicate: false, release: async () => undefined };
  if (state === undefined) return notClaimed;
  const next = digestMemory(runKey, status, now, record);
  let previous: PortalMemory | undefined;
  try {
    previous = (await state.load([record])).get(record);
    if (!(await state.claim(next))) return { duplicate: true, release: async () => undefined };
  } catch (error) {
    logger.error(`${record.slice(1)} run not remembered; sending it anyway`, { error: asStateStoreError(error, StateOperation.CLAIM).message });
    return notClaimed;
  }
  return {
    duplicate: false,
    release: () =>
      state.release(next, previous).catch((error: unknown) => {
        logger.error(`${record.slice(1)} claim not released; a retry of this run sends nothing`, { error: asStateStoreError(error, StateOperation.RELEASE).message });
      }),
  };
}
