/**
 * What a run does with one portal's verdict: decide the notice (firing, reminder, resolved or
 * none), claim the run in the state store so a second delivery of the same run sends nothing,
 * send, and put the memory back when the notice could not be delivered so a retry sends it.
 */
import type { Notifier } from '../alerts/notifier.ts';
import { renderAlert } from '../alerts/render-alert.ts';
import { AlertPublishError } from '../errors.ts';
import type { CheckLogger } from '../logger.ts';
import type { Verdict } from '../policy/types.ts';
import { errorName } from '../error-name.ts';
import { asStateStoreError, StateOperation, type StateStoreError } from '../state/errors.ts';
import { nextEscalationFacts } from './escalation.ts';
import { decideNotice } from './notice-policy.ts';
import type { NotificationSettings } from './resolve-notifications.ts';
import type { ActiveSilence } from './silences.ts';
import type { Acknowledgement, NoticeState, PortalMemory, SilencedFinding, StateStore } from './types.ts';

/** What happened to one portal's notification in a run. */
export interface PortalNotification {
  /** The notice sent (or attempted), if any. */
  readonly notice?: NoticeState;
  /** Whether the notice was delivered. */
  readonly delivered: boolean;
  /** Findings not alerted because a silence matches them. */
  readonly silenced: readonly SilencedFinding[];
  /** The state store says this run was already handled for this portal: nothing was sent. */
  readonly duplicate: boolean;
  /** The acknowledgement holding back the portal's reminders after this run; absent when none. */
  readonly acknowledged?: Acknowledgement;
}

/** The run-wide part of notifying: shared by every portal of the run. */
export interface NotifyContext {
  readonly notifier?: Notifier;
  /** Absent: stateless (every portal that is not OK fires each run). */
  readonly state?: StateStore;
  readonly memories: ReadonlyMap<string, PortalMemory>;
  readonly notifications: NotificationSettings;
  /** Every silence: configured, and run-time ones in force. */
  readonly silences: readonly ActiveSilence[];
  readonly runKey: string;
  readonly now: Date;
  /** Aborts when the run must stop publishing (just before Lambda's timeout); absent: no limit. */
  readonly publishSignal?: AbortSignal;
  readonly logger: CheckLogger;
  /** Collected failures: the run fails, loudly, after every portal was handled. */
  readonly publishFailures: AlertPublishError[];
  readonly stateFailures: StateStoreError[];
}

/**
 * Decides, claims and sends one portal's notice. Never throws: failures are collected in the
 * context. A state store that cannot be written does not stop the alert (a duplicate beats a
 * missed alert), but fails the run.
 */
export async function notifyPortal(context: NotifyContext, verdict: Verdict): Promise<PortalNotification> {
  const { state, logger } = context;
  const previous = context.memories.get(verdict.portal);
  const decided = decideNotice({
    previous,
    verdict,
    notifications: context.notifications,
    silences: context.silences,
    runKey: context.runKey,
    now: context.now,
  });
  // The memory also keeps what escalation needs next run; a second delivery of this run keeps the record as it is.
  const isDuplicate = previous !== undefined && previous.lastRunKey === context.runKey;
  const decision = isDuplicate ? decided : { ...decided, next: { ...decided.next, ...nextEscalationFacts(previous, verdict, context.now) } };
  const outcome = {
    silenced: decision.silenced,
    duplicate: false,
    delivered: false,
    ...(decision.acknowledged === undefined ? {} : { acknowledged: decision.acknowledged }),
  };

  const notice = decision.notice;
  if (notice !== undefined && context.notifier && context.publishSignal?.aborted) {
    // Too late to send: nothing is claimed, so a retry of this run sends it; the run fails loudly.
    const failure = new AlertPublishError(`alert for ${verdict.portal} was not sent: the run's time was up`, verdict.portal);
    context.publishFailures.push(failure);
    logger.error('alert not sent: time is up', { portal: verdict.portal });
    return { ...outcome, notice: notice.state };
  }

  let claimed = false;
  // Without a notifier nothing is sent, so nothing may be remembered as sent: the state is only read.
  // After the publish stop nothing is written either: a queue of writes could outlast the run.
  if (state && context.notifier && !context.publishSignal?.aborted) {
    try {
      claimed = await state.claim(decision.next);
      if (!claimed) {
        logger.info('run already handled for this portal; nothing sent', { portal: verdict.portal, runKey: context.runKey });
        return { ...outcome, duplicate: true };
      }
    } catch (error) {
      const failure = asStateStoreError(error, StateOperation.CLAIM, verdict.portal);
      context.stateFailures.push(failure);
      logger.error('state not saved; alerting anyway', { portal: verdict.portal, error: failure.message });
    }
  }

  if (notice === undefined || context.notifier === undefined) return { ...outcome, ...(notice ? { notice: notice.state } : {}) };
  try {
    await context.notifier.send(renderAlert(verdict, notice, decision.silenced, previous ?? {}), verdict, context.publishSignal);
    return { ...outcome, notice: notice.state, delivered: true };
  } catch (error) {
    const failure =
      error instanceof AlertPublishError ? error : new AlertPublishError(`alert for ${verdict.portal} could not be sent: ${errorName(error)}`, verdict.portal);
    context.publishFailures.push(failure);
    logger.error('alert not delivered', { portal: verdict.portal, error: failure.message });
    // Forget this run, so that a retry of the same run (Lambda retries a failed invocation) sends it.
    if (claimed && state) await state.release(decision.next, previous).catch((releaseError: unknown) => context.stateFailures.push(asStateStoreError(releaseError, StateOperation.RELEASE, verdict.portal)));
    return { ...outcome, notice: notice.state };
  }
}

