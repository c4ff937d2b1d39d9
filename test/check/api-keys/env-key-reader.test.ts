import { describe, expect, it } from 'vitest';
import { EnvKeyReader } from '../../../functions/check/api-keys/env-key-reader.ts';
import { envPortal, ssmPortal } from './portals.ts';

describe('EnvKeyReader', () => {
  describe('readKeys', () => {
    it.each([
      ['a set variable', { ACME_KEY: 'sk-acme' }, { ok: true, key: 'sk-acme' }],
      ['a variable with a trailing newline', { ACME_KEY: 'sk-acme\n' }, { ok: true, key: 'sk-acme' }],
      ['a missing variable', {}, { ok: false, detail: 'environment variable ACME_KEY is not set' }],
      ['an empty variable', { ACME_KEY: '' }, { ok: false, detail: 'environment variable ACME_KEY is not set' }],
      ['a blank variable', { ACME_KEY: '   ' }, { ok: false, detail: 'environment variable ACME_KEY is not set' }],
    ])('reads %s', async (_case, env, expected) => {
      // Prepare
      const reader = new EnvKeyReader({ env });

      // Act
      const keys = await reader.readKeys([envPortal('acme', 'ACME_KEY')]);

      // Assess
      expect(keys).toEqual(new Map([['acme', expected]]));
    });

    it('reads process.env when no record is given', async () => {
      // Prepare
      process.env.DOCSPACE_TEST_KEY_READER = 'sk-from-process-env';
      const reader = new EnvKeyReader();

      // Act
      const keys = await reader.readKeys([envPortal('acme', 'DOCSPACE_TEST_KEY_READER')]);
      delete process.env.DOCSPACE_TEST_KEY_READER;

      // Assess
      expect(keys.get('acme')).toEqual({ ok: true, key: 'sk-from-process-env' });
    });

    it('answers a portal with an SSM parameter with a failure, not a key', async () => {
      // Prepare
      const reader = new EnvKeyReader({ env: { '/docspace/acme/api-key': 'sk-wrong' } });

      // Act
      const keys = await reader.readKeys([ssmPortal('acme', '/docspace/acme/api-key')]);

      // Assess
      expect(keys.get('acme')).toEqual({ ok: false, detail: 'portal acme does not take its API key from an environment variable' });
    });
  });
});
