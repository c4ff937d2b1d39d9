import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKeyReader } from '../../../functions/check/api-keys/api-key-reader.ts';
import { CompositeKeyReader, createKeyReader } from '../../../functions/check/api-keys/composite-key-reader.ts';
import { EnvKeyReader } from '../../../functions/check/api-keys/env-key-reader.ts';
import type { PortalConfig } from '../../../functions/check/config.ts';
import { useFakeAwsEnvironment } from '../../support/aws-env.ts';
import { startFakeSsm, type FakeSsm } from '../../support/fake-ssm.ts';
import { envPortal, ssmPortal } from './portals.ts';

/** A reader that answers every portal it is asked about with a key naming itself, and records the asks. */
function recordingReader(label: string, asked: string[][]): ApiKeyReader {
  return {
    async readKeys(portals: readonly PortalConfig[]) {
      asked.push(portals.map((portal) => portal.name));
      return new Map(portals.map((portal) => [portal.name, { ok: true as const, key: `${label}-${portal.name}` }]));
    },
  };
}

describe('CompositeKeyReader', () => {
  describe('readKeys', () => {
    it('sends each portal to the reader for its source and keeps one entry per portal', async () => {
      // Prepare
      const ssmAsked: string[][] = [];
      const envAsked: string[][] = [];
      const reader = new CompositeKeyReader({ ssm: recordingReader('ssm', ssmAsked), env: recordingReader('env', envAsked) });

      // Act
      const keys = await reader.readKeys([ssmPortal('a', '/a'), envPortal('b', 'B_KEY'), ssmPortal('c', '/c')]);

      // Assess
      expect(ssmAsked).toEqual([['a', 'c']]);
      expect(envAsked).toEqual([['b']]);
      expect([...keys]).toEqual([
        ['a', { ok: true, key: 'ssm-a' }],
        ['b', { ok: true, key: 'env-b' }],
        ['c', { ok: true, key: 'ssm-c' }],
      ]);
    });

    it('passes the run deadline on to each reader', async () => {
      // Prepare
      const signals: (AbortSignal | undefined)[] = [];
      const spy: ApiKeyReader = {
        async readKeys(portals, options) {
          signals.push(options?.signal);
          return new Map(portals.map((portal) => [portal.name, { ok: true as const, key: `key-${portal.name}` }]));
        },
      };
      const deadline = new AbortController();

      // Act
      await new CompositeKeyReader({ ssm: spy, env: spy }).readKeys([ssmPortal('a', '/a'), envPortal('b', 'B')], { signal: deadline.signal });

      // Assess
      expect(signals).toEqual([deadline.signal, deadline.signal]);
    });

    it('fails an SSM portal with a clear detail when no SSM reader is configured', async () => {
      // Prepare
      const reader = new CompositeKeyReader({ env: new EnvKeyReader({ env: { B_KEY: 'sk-b' } }) });

      // Act
      const keys = await reader.readKeys([ssmPortal('a', '/docspace/a/api-key'), envPortal('b', 'B_KEY')]);

      // Assess
      expect(keys.get('a')).toEqual({
        ok: false,
        detail: 'SSM parameter /docspace/a/api-key cannot be read: no SSM access is configured for this run',
      });
      expect(keys.get('b')).toEqual({ ok: true, key: 'sk-b' });
    });

    it('fails only the portals of a reader that throws against its contract', async () => {
      // Prepare
      const throwing: ApiKeyReader = {
        readKeys: () => Promise.reject(new TypeError('sk-leaked-in-a-message')),
      };
      const reader = new CompositeKeyReader({ ssm: throwing, env: new EnvKeyReader({ env: { B_KEY: 'sk-b' } }) });

      // Act
      const keys = await reader.readKeys([ssmPortal('a', '/a'), envPortal('b', 'B_KEY')]);

      // Assess
      expect(keys.get('a')).toEqual({ ok: false, detail: 'API key could not be read: TypeError' });
      expect(keys.get('b')).toEqual({ ok: true, key: 'sk-b' });
    });
  });
});

describe('createKeyReader', () => {
  let ssm: FakeSsm;
  let restoreEnvironment: () => void;

  beforeEach(async () => {
    ssm = await startFakeSsm();
    restoreEnvironment = useFakeAwsEnvironment({ ssm: ssm.endpoint });
  });

  afterEach(async () => {
    restoreEnvironment();
    await ssm.close();
  });

  it('reads SSM and environment keys with the default readers', async () => {
    // Prepare
    ssm.putParameter('/docspace/a/api-key', 'sk-a-secret');
    const reader = createKeyReader({ env: { env: { B_KEY: 'sk-b-secret' } } });

    // Act
    const keys = await reader.readKeys([ssmPortal('a', '/docspace/a/api-key'), envPortal('b', 'B_KEY')]);

    // Assess
    expect(keys.get('a')).toEqual({ ok: true, key: 'sk-a-secret' });
    expect(keys.get('b')).toEqual({ ok: true, key: 'sk-b-secret' });
  });

  it('does not call SSM when every portal takes its key from the environment', async () => {
    // Prepare
    const reader = createKeyReader({ env: { env: { B_KEY: 'sk-b-secret' } } });

    // Act
    await reader.readKeys([envPortal('b', 'B_KEY')]);

    // Assess
    expect(ssm.requests).toHaveLength(0);
  });

  it('runs without SSM when told to', async () => {
    // Prepare
    ssm.putParameter('/docspace/a/api-key', 'sk-a-secret');
    const reader = createKeyReader({ ssm: false });

    // Act
    const keys = await reader.readKeys([ssmPortal('a', '/docspace/a/api-key')]);

    // Assess
    expect(keys.get('a')?.ok).toBe(false);
    expect(ssm.requests).toHaveLength(0);
  });
});
