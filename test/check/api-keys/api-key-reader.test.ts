import { describe, expect, it } from 'vitest';
import { keySourceOf, readKeysBefore, type ApiKeyReader, type ApiKeyResult, type ReadKeysOptions } from '../../../functions/check/api-keys/api-key-reader.ts';
import { envPortal, ssmPortal } from './portals.ts';

const PORTALS = [ssmPortal('acme', '/docspace/acme/api-key'), envPortal('globex', 'GLOBEX_KEY')];

/** A reader that answers after `ms` (never, for `undefined`), and records the options it got. */
function slowReader(ms: number | undefined, seen: ReadKeysOptions[] = []): ApiKeyReader {
  return {
    readKeys: (portals, options = {}) => {
      seen.push(options);
      return new Promise<Map<string, ApiKeyResult>>((resolve) => {
        if (ms !== undefined) setTimeout(() => resolve(new Map(portals.map((portal) => [portal.name, { ok: true, key: `key-of-${portal.name}` }]))), ms);
      });
    },
  };
}

describe('readKeysBefore', () => {
  it('gives every portal without an answer at the deadline a failure naming its source, even from a reader that ignores the signal', async () => {
    // Prepare
    const seen: ReadKeysOptions[] = [];
    const deadline = new AbortController();
    setTimeout(() => deadline.abort(), 50);

    // Act
    const keys = await readKeysBefore(slowReader(undefined, seen), PORTALS, deadline.signal);

    // Assess
    expect([...keys]).toEqual([
      ['acme', { ok: false, detail: "SSM parameter /docspace/acme/api-key: the key was not read before the run's deadline" }],
      ['globex', { ok: false, detail: "environment variable GLOBEX_KEY: the key was not read before the run's deadline" }],
    ]);
    expect(seen[0]?.signal).toBe(deadline.signal);
  });

  it('returns the reader answers when they come before the deadline', async () => {
    // Act
    const keys = await readKeysBefore(slowReader(5), PORTALS, new AbortController().signal);

    // Assess
    expect(keys.get('acme')).toEqual({ ok: true, key: 'key-of-acme' });
    expect(keys.get('globex')).toEqual({ ok: true, key: 'key-of-globex' });
  });

  it('fails every portal at once when the deadline has passed already', async () => {
    // Act
    const keys = await readKeysBefore(slowReader(undefined), PORTALS, AbortSignal.abort());

    // Assess
    expect([...keys.values()].map((result) => result.ok)).toEqual([false, false]);
  });

  it('costs only the portals of a reader that rejects against its contract, or answers for too few', async () => {
    // Prepare
    const rejecting: ApiKeyReader = { readKeys: () => Promise.reject(new Error('boom sk-never-shown-000')) };
    const partial: ApiKeyReader = { readKeys: () => Promise.resolve(new Map([['acme', { ok: true, key: 'key-of-acme' }]])) };

    // Act
    const [rejected, answered] = await Promise.all([readKeysBefore(rejecting, PORTALS, new AbortController().signal), readKeysBefore(partial, PORTALS, new AbortController().signal)]);

    // Assess
    expect([...rejected.values()]).toEqual([
      { ok: false, detail: 'API key could not be read: the reader gave no answer' },
      { ok: false, detail: 'API key could not be read: the reader gave no answer' },
    ]);
    expect(answered.get('acme')).toEqual({ ok: true, key: 'key-of-acme' });
    expect(answered.get('globex')).toEqual({ ok: false, detail: 'API key could not be read: the reader gave no answer' });
  });

  it('waits for the reader without a deadline', async () => {
    // Act
    const keys = await readKeysBefore(slowReader(5), PORTALS);

    // Assess
    expect(keys.size).toBe(2);
  });
});

describe('keySourceOf', () => {
  it('names the SSM parameter or the environment variable, never a value', () => {
    expect(PORTALS.map(keySourceOf)).toEqual(['SSM parameter /docspace/acme/api-key', 'environment variable GLOBEX_KEY']);
  });
});
