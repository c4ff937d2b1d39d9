import { describe, expect, it } from 'vitest';
import type { Alert, Notifier } from '../../../functions/check/alerts/notifier.ts';
import { AlertPublishError } from '../../../functions/check/errors.ts';
import { silentLogger } from '../../../functions/check/logger.ts';
import { notifyPortal, type NotifyContext } from '../../../functions/check/notify/notify-portal.ts';
import { resolveNotifications } from '../../../functions/check/notify/resolve-notifications.ts';
import { MemoryStateStore } from '../../../functions/check/state/memory-state-store.ts';
import { NOW, OVERDUE, PORTAL, verdict } from './verdict-builder.ts';

/** A notifier whose delivery hangs until the signal aborts it (an SNS endpoint that does not answer). */
function hangingNotifier(): Notifier & { attempts: number } {
  const notifier = {
    attempts: 0,
    send(_alert: Alert, _verdict: unknown, signal?: AbortSignal): Promise<void> {
      notifier.attempts += 1;
      return new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(new AlertPublishError(`alert for ${PORTAL} could not be published: AbortError`, PORTAL)));
      });
    },
  };
  return notifier;
}

function recordingNotifier(): Notifier & { sent: string[] } {
  const sent: string[] = [];
  return { sent, send: async (alert) => void sent.push(alert.attributes.state) };
}

function contextOf(changes: Partial<NotifyContext> & Pick<NotifyContext, 'notifier' | 'state'>): NotifyContext {
  return {
    memories: new Map(),
    notifications: resolveNotifications(),
    silences: [],
    runKey: 'run-1',
    now: NOW,
    logger: silentLogger,
    publishFailures: [],
    stateFailures: [],
    ...changes,
  };
}

describe('notifyPortal', () => {
  it('aborts a delivery at the publish deadline and releases the claim, so a retry of the run sends the alert', async () => {
    // Prepare
    const state = new MemoryStateStore();
    const stop = new AbortController();
    const stuck = contextOf({ notifier: hangingNotifier(), state, publishSignal: stop.signal });

    // Act
    const pending = notifyPortal(stuck, verdict('CRITICAL', OVERDUE));
    setImmediate(() => stop.abort());
    const first = await pending;
    const retryNotifier = recordingNotifier();
    const retry = await notifyPortal(contextOf({ notifier: retryNotifier, state }), verdict('CRITICAL', OVERDUE));

    // Assess
    expect(first).toMatchObject({ notice: 'firing', delivered: false, duplicate: false });
    expect(stuck.publishFailures).toHaveLength(1);
    expect(retry).toMatchObject({ notice: 'firing', delivered: true, duplicate: false });
    expect(retryNotifier.sent).toEqual(['firing']);
  });

  it('neither claims nor sends once the publish deadline has passed, and fails the run', async () => {
    // Prepare
    const state = new MemoryStateStore();
    const notifier = hangingNotifier();
    const late = contextOf({ notifier, state, publishSignal: AbortSignal.abort() });

    // Act
    const outcome = await notifyPortal(late, verdict('CRITICAL', OVERDUE));

    // Assess
    expect(outcome).toMatchObject({ notice: 'firing', delivered: false });
    expect(notifier.attempts).toBe(0);
    expect(state.get(PORTAL)).toBeUndefined();
    expect(late.publishFailures.map((failure) => failure.message)).toEqual([`alert for ${PORTAL} was not sent: the run's time was up`]);
  });

  it('sends nothing and claims nothing for a portal that needs no notice, even after the deadline', async () => {
    // Prepare
    const state = new MemoryStateStore();
    const late = contextOf({ notifier: hangingNotifier(), state, publishSignal: AbortSignal.abort() });

    // Act
    const outcome = await notifyPortal(late, verdict('OK'));

    // Assess: no write either, so a queue of portals after the stop cannot outlast the run
    expect(outcome).toMatchObject({ delivered: false, duplicate: false });
    expect(outcome.notice).toBeUndefined();
    expect(state.get(PORTAL)).toBeUndefined();
    expect(late.publishFailures).toEqual([]);
  });
});
