/**
 * `runCheck`'s `signal` (the CLI's SIGINT and SIGTERM): the run stops as at its deadline,
 * publishing included, and still returns its report.
 */
import { describe, expect, it } from 'vitest';
import type { Notifier } from '../../functions/check/alerts/notifier.ts';
import type { ApiKeyReader } from '../../functions/check/api-keys/api-key-reader.ts';
import { parseConfig } from '../../functions/check/config.ts';
import type { CheckDependencies } from '../../functions/check/run-check.ts';
import { runCheck } from '../../functions/check/run-check.ts';
import { MemoryStateStore } from '../../functions/check/state/memory-state-store.ts';

const NOW = new Date('2026-03-02T09:00:00Z');
const config = parseConfig({
  portals: ['acme', 'beta'].map((name) => ({ name, url: `https://${name}.example`, apiKey: { env: 'NOT_SET_IN_THIS_TEST' } })),
  policy: { schedule: { period: 'EveryDay', hour: 2 } },
});

/** No key is read, so each portal is judged `CHECK_FAILED` / `API_KEY_UNAVAILABLE` without a request. */
const noKeys: ApiKeyReader = { readKeys: async () => new Map() };
const unreachable = new Proxy({}, { get: () => () => Promise.reject(new Error('no portal may be asked in this test')) }) as CheckDependencies['docspace'];

describe('runCheck with a signal', () => {
  it('asks no portal, claims and sends nothing when the signal is already aborted, and reports each portal as not checked', async () => {
    // Prepare
    const state = new MemoryStateStore();
    const sent: string[] = [];
    const notifier: Notifier = { send: async (_alert, verdict) => void sent.push(verdict.portal) };

    // Act
    const run = await runCheck({ docspace: unreachable, keys: noKeys, notifier, state }, config, { now: NOW, signal: AbortSignal.abort() });

    // Assess
    for (const verdict of run.verdicts) {
      expect(verdict.findings.map((finding) => [finding.code, finding.cause])).toEqual([['CHECK_FAILED', 'TIMEOUT']]);
      expect(verdict.findings[0]?.message).toContain('not checked: the run was stopped (interrupted) before this portal was checked');
    }
    expect(run.verdicts.map((verdict) => verdict.portal)).toEqual(['acme', 'beta']);
    expect(sent).toEqual([]);
    expect([state.get('acme'), state.get('beta')]).toEqual([undefined, undefined]);
    expect(run.publishFailures.map((failure) => failure.portal)).toEqual(['acme', 'beta']);
  });

  it('aborts an alert in flight when the signal aborts, and releases its claim so the next run sends it', async () => {
    // Prepare
    const state = new MemoryStateStore();
    const stop = new AbortController();
    const signals: (AbortSignal | undefined)[] = [];
    const notifier: Notifier = {
      send: (_alert, _verdict, signal) =>
        new Promise((_resolve, reject) => {
          signals.push(signal);
          signal?.addEventListener('abort', () => reject(new Error('aborted')));
          stop.abort();
        }),
    };

    // Act
    const run = await runCheck({ docspace: unreachable, keys: noKeys, notifier, state }, config, { now: NOW, portals: ['acme'], signal: stop.signal });

    // Assess
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(state.get('acme')).toBeUndefined();
    expect(run.publishFailures.map((failure) => failure.portal)).toEqual(['acme']);
    expect(run.notifications.get('acme')).toMatchObject({ notice: 'firing', delivered: false });
  });
});
