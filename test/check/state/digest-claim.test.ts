import { describe, expect, it, vi } from 'vitest';
import type { CheckLogger } from '../../../functions/check/logger.ts';
import type { StateStore } from '../../../functions/check/notify/types.ts';
import { claimDigest, DIGEST_RECORD, digestMemory } from '../../../functions/check/state/digest-claim.ts';
import { MemoryStateStore } from '../../../functions/check/state/memory-state-store.ts';

const NOW = new Date('2026-03-02T08:00:05Z');
const RUN = '2026-03-02T08:00:00Z';

function logger() {
  return { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() } satisfies CheckLogger;
}

describe('claimDigest', () => {
  it('claims the run once: a second delivery of the same run is a duplicate', async () => {
    // Prepare
    const state = new MemoryStateStore();

    // Act
    const first = await claimDigest(state, RUN, 'CRITICAL', NOW, logger());
    const second = await claimDigest(state, RUN, 'CRITICAL', NOW, logger());

    // Assess
    expect([first.duplicate, second.duplicate]).toEqual([false, true]);
    expect(state.get(DIGEST_RECORD)).toEqual(digestMemory(RUN, 'CRITICAL', NOW));
  });

  it('puts the previous run back on release, so a retry of the run sends the digest', async () => {
    // Prepare
    const yesterday = digestMemory('2026-03-01T08:00:00Z', 'OK', new Date('2026-03-01T08:00:05Z'));
    const state = new MemoryStateStore([yesterday]);
    const claim = await claimDigest(state, RUN, 'WARNING', NOW, logger());

    // Act
    await claim.release();
    const retry = await claimDigest(state, RUN, 'WARNING', NOW, logger());

    // Assess
    expect(retry.duplicate).toBe(false);
    expect(state.get(DIGEST_RECORD)?.lastRunKey).toBe(RUN);
  });

  it('sends anyway, and logs, when the store cannot be written', async () => {
    // Prepare
    const broken: StateStore = { load: async () => new Map(), claim: () => Promise.reject(new Error('down')), release: async () => undefined };
    const log = logger();

    // Act
    const claim = await claimDigest(broken, RUN, 'OK', NOW, log);

    // Assess
    expect(claim.duplicate).toBe(false);
    expect(log.error).toHaveBeenCalledWith('digest run not remembered; sending it anyway', { error: 'state could not be saved: Error' });
  });

  it('claims nothing without a store', async () => {
    // Act & Assess
    expect((await claimDigest(undefined, RUN, 'OK', NOW, logger())).duplicate).toBe(false);
  });
});
