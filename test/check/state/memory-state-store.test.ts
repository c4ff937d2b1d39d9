import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../functions/check/state/memory-state-store.ts';
import { memoryOf, okMemoryOf, runKey } from './portal-memories.ts';

describe('MemoryStateStore', () => {
  describe('constructor', () => {
    it('starts with the records it is given, as if earlier runs had written them', async () => {
      // Prepare
      const store = new MemoryStateStore([memoryOf('acme'), okMemoryOf('beta')]);

      // Act
      const memories = await store.load(['acme', 'beta', 'gamma']);

      // Assess
      expect(memories).toEqual(
        new Map([
          ['acme', memoryOf('acme')],
          ['beta', okMemoryOf('beta')],
        ]),
      );
      expect(await store.claim(memoryOf('acme'))).toBe(false);
    });
  });

  describe('get', () => {
    it('returns the portal’s record after a claim, and nothing for a portal never seen', async () => {
      // Prepare
      const store = new MemoryStateStore([memoryOf('acme')]);
      const next = okMemoryOf('acme', { lastRunKey: runKey(3) });

      // Act
      await store.claim(next);

      // Assess
      expect(store.get('acme')).toEqual(next);
      expect(store.get('beta')).toBeUndefined();
    });
  });
});
