import { SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiKeyResult } from '../../../functions/check/api-keys/api-key-reader.ts';
import { DEFAULT_SSM_CACHE_TTL_MS, DEFAULT_SSM_MAX_ATTEMPTS, MAX_GET_PARAMETERS_IN_FLIGHT, SsmKeyReader } from '../../../functions/check/api-keys/ssm-key-reader.ts';
import { useFakeAwsEnvironment } from '../../support/aws-env.ts';
import { fastRetries } from '../../support/fast-aws-retries.ts';
import { SsmErrors, startFakeSsm, type FakeSsm, type SsmError } from '../../support/fake-ssm.ts';
import { ssmPortal } from './portals.ts';

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

const keyOf = (name: string) => `sk-${name.replace(/\W/g, '')}-0123456789`;

function details(keys: Map<string, ApiKeyResult>): string[] {
  return [...keys.values()].flatMap((result) => (result.ok ? [] : [result.detail]));
}

describe('SsmKeyReader', () => {
  describe('readKeys', () => {
    it('reads 25 portals with 3 GetParameters calls, each name once, decrypted, through AWS_ENDPOINT_URL_SSM', async () => {
      // Prepare: 25 portals, 22 distinct parameters (three pairs share one)
      const portals = Array.from({ length: 25 }, (_, index) => {
        const parameter = `/docspace/p${index < 6 ? Math.floor(index / 2) : index}/api-key`;
        ssm.putParameter(parameter, keyOf(parameter));
        return ssmPortal(`portal-${index}`, parameter);
      });
      const reader = new SsmKeyReader();

      // Act
      const keys = await reader.readKeys(portals);

      // Assess
      const calls = ssm.callsOf('GetParameters');
      expect(calls).toHaveLength(3);
      expect(ssm.requests).toHaveLength(3);
      const asked = calls.flatMap((call) => call.body.Names as string[]);
      expect(asked).toHaveLength(22);
      expect(new Set(asked).size).toBe(22);
      expect(calls.map((call) => (call.body.Names as string[]).length).sort()).toEqual([10, 10, 2]);
      expect(calls.every((call) => call.body.WithDecryption === true)).toBe(true);
      expect(keys.size).toBe(25);
      for (const portal of portals) {
        const parameter = (portal.apiKey as { ssmParameter: string }).ssmParameter;
        expect(keys.get(portal.name)).toEqual({ ok: true, key: keyOf(parameter) });
      }
      expect(calls[0]!.headers.authorization).toContain('Credential=AKIAFAKEFAKEFAKEFAKE/');
    });

    it(`sends at most ${MAX_GET_PARAMETERS_IN_FLIGHT} GetParameters calls at once, for 250 parameters (25 batches)`, async () => {
      // Prepare
      const portals = Array.from({ length: 250 }, (_, index) => {
        const parameter = `/docspace/p${index}/api-key`;
        ssm.putParameter(parameter, keyOf(parameter));
        return ssmPortal(`portal-${index}`, parameter);
      });
      const client = new SSMClient({ endpoint: ssm.endpoint });
      let inFlight = 0;
      let maxInFlight = 0;
      client.middlewareStack.add(
        (next) => async (args) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          try {
            return await next(args);
          } finally {
            inFlight -= 1;
          }
        },
        { step: 'initialize', name: 'countCallsInFlight' },
      );
      const reader = new SsmKeyReader({ client });

      // Act
      const keys = await reader.readKeys(portals);

      // Assess
      expect(ssm.callsOf('GetParameters')).toHaveLength(25);
      expect(maxInFlight).toBe(MAX_GET_PARAMETERS_IN_FLIGHT);
      expect([...keys.values()].every((result) => result.ok)).toBe(true);
    });

    it('reports a parameter SSM lists as invalid as not found, and reads the others', async () => {
      // Prepare
      ssm.putParameter('/docspace/acme/api-key', 'sk-acme-secret');
      const reader = new SsmKeyReader();

      // Act
      const keys = await reader.readKeys([ssmPortal('acme', '/docspace/acme/api-key'), ssmPortal('beta', '/docspace/beta/api-key')]);

      // Assess
      expect(keys.get('acme')).toEqual({ ok: true, key: 'sk-acme-secret' });
      expect(keys.get('beta')).toEqual({ ok: false, detail: 'SSM parameter /docspace/beta/api-key not found' });
      expect(ssm.callsOf('GetParameter')).toHaveLength(0);
    });

    it.each<[string, SsmError, string]>([
      ['AccessDeniedException', SsmErrors.accessDenied, 'could not be read: AccessDeniedException'],
      ['ThrottlingException', SsmErrors.throttling, 'could not be read: ThrottlingException'],
      ['a KMS access denial', SsmErrors.kmsAccessDenied, 'could not be read: AccessDeniedException'],
      ['InvalidKeyId', SsmErrors.invalidKeyId, 'could not be read: InvalidKeyId'],
      ['ParameterNotFound', SsmErrors.parameterNotFound, 'not found'],
    ])('isolates %s to the affected parameter by asking for each name alone', async (_case, error, detail) => {
      // Prepare
      for (const name of ['acme', 'beta', 'gamma']) ssm.putParameter(`/docspace/${name}/api-key`, keyOf(name));
      ssm.failParameter('/docspace/beta/api-key', error);
      // The SDK's retries with a 5 ms backoff: throttling is still retried, just not for seconds.
      const reader = new SsmKeyReader({ clientConfig: { retryStrategy: fastRetries(DEFAULT_SSM_MAX_ATTEMPTS) } });

      // Act
      const keys = await reader.readKeys(['acme', 'beta', 'gamma'].map((name) => ssmPortal(name, `/docspace/${name}/api-key`)));

      // Assess
      expect(keys.get('acme')).toEqual({ ok: true, key: keyOf('acme') });
      expect(keys.get('gamma')).toEqual({ ok: true, key: keyOf('gamma') });
      expect(keys.get('beta')).toEqual({ ok: false, detail: `SSM parameter /docspace/beta/api-key ${detail}` });
      expect(ssm.callsOf('GetParameter').map((call) => call.body)).toEqual(
        expect.arrayContaining(['acme', 'beta', 'gamma'].map((name) => ({ Name: `/docspace/${name}/api-key`, WithDecryption: true }))),
      );
    });

    it('never puts a value in a failure detail', async () => {
      // Prepare
      ssm.putParameter('/docspace/acme/api-key', 'sk-acme-very-secret');
      ssm.putParameter('/docspace/beta/api-key', '   ');
      ssm.failParameter('/docspace/acme/api-key', SsmErrors.kmsAccessDenied);
      const reader = new SsmKeyReader();

      // Act
      const keys = await reader.readKeys([ssmPortal('acme', '/docspace/acme/api-key'), ssmPortal('beta', '/docspace/beta/api-key')]);

      // Assess
      expect(details(keys)).toEqual([
        'SSM parameter /docspace/acme/api-key could not be read: AccessDeniedException',
        'SSM parameter /docspace/beta/api-key is empty',
      ]);
      expect(details(keys).join('\n')).not.toContain('sk-acme');
    });

    it('reuses keys within the cache TTL and asks SSM again after it', async () => {
      // Prepare
      let now = 1_000_000;
      ssm.putParameter('/docspace/acme/api-key', 'sk-acme-1');
      const reader = new SsmKeyReader({ now: () => now });
      const portals = [ssmPortal('acme', '/docspace/acme/api-key')];
      await reader.readKeys(portals);
      ssm.putParameter('/docspace/acme/api-key', 'sk-acme-2');

      // Act
      now += DEFAULT_SSM_CACHE_TTL_MS - 1;
      const cached = await reader.readKeys(portals);
      const callsWithinTtl = ssm.requests.length;
      now += 1;
      const fresh = await reader.readKeys(portals);

      // Assess
      expect(cached.get('acme')).toEqual({ ok: true, key: 'sk-acme-1' });
      expect(callsWithinTtl).toBe(1);
      expect(fresh.get('acme')).toEqual({ ok: true, key: 'sk-acme-2' });
      expect(ssm.requests).toHaveLength(2);
    });

    it('does not cache failures', async () => {
      // Prepare
      const reader = new SsmKeyReader({ now: () => 0 });
      const portals = [ssmPortal('acme', '/docspace/acme/api-key')];
      const first = await reader.readKeys(portals);
      ssm.putParameter('/docspace/acme/api-key', 'sk-acme-now-there');

      // Act
      const second = await reader.readKeys(portals);

      // Assess
      expect(first.get('acme')?.ok).toBe(false);
      expect(second.get('acme')).toEqual({ ok: true, key: 'sk-acme-now-there' });
      expect(ssm.requests).toHaveLength(2);
    });

    it('asks only for names missing from the cache', async () => {
      // Prepare
      for (const name of ['acme', 'beta']) ssm.putParameter(`/docspace/${name}/api-key`, keyOf(name));
      const reader = new SsmKeyReader({ now: () => 0 });
      await reader.readKeys([ssmPortal('acme', '/docspace/acme/api-key')]);

      // Act
      await reader.readKeys([ssmPortal('acme', '/docspace/acme/api-key'), ssmPortal('beta', '/docspace/beta/api-key')]);

      // Assess
      expect(ssm.callsOf('GetParameters').map((call) => call.body.Names)).toEqual([['/docspace/acme/api-key'], ['/docspace/beta/api-key']]);
    });

    it('builds no client and sends nothing when no portal uses SSM', async () => {
      // Prepare
      const reader = new SsmKeyReader();

      // Act
      const keys = await reader.readKeys([{ name: 'acme', url: 'https://acme.onlyoffice.com/', apiKey: { env: 'ACME_KEY' } }]);

      // Assess
      expect(keys.get('acme')).toEqual({ ok: false, detail: 'portal acme does not take its API key from SSM' });
      expect(ssm.requests).toHaveLength(0);
    });

    it('uses the client it is given', async () => {
      // Prepare
      ssm.putParameter('/docspace/acme/api-key', 'sk-acme-secret');
      ssm.failCalls(SsmErrors.throttling, { times: 1 });
      const reader = new SsmKeyReader({ client: new SSMClient({ endpoint: ssm.endpoint, maxAttempts: 1 }) });

      // Act
      const keys = await reader.readKeys([ssmPortal('acme', '/docspace/acme/api-key')]);

      // Assess: one failed GetParameters (no retry with maxAttempts 1), then the fallback
      expect(ssm.requests.map((request) => request.operation)).toEqual(['GetParameters', 'GetParameter']);
      expect(keys.get('acme')).toEqual({ ok: true, key: 'sk-acme-secret' });
    });
  });

  describe('readKeys with the run deadline', () => {
    it('aborts the calls of an SSM that never answers at the deadline and fails each name saying so, without waiting on the SDK timeouts', async () => {
      // Prepare: 12 names, two batches; the SDK alone would wait 10 s per attempt, 4 attempts a call
      const portals = Array.from({ length: 12 }, (_, index) => ssmPortal(`portal-${index}`, `/docspace/p${index}/api-key`));
      ssm.hangCalls();
      const deadline = new AbortController();
      const reader = new SsmKeyReader();
      setTimeout(() => deadline.abort(), 200);

      // Act
      const started = Date.now();
      const keys = await reader.readKeys(portals, { signal: deadline.signal });

      // Assess
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(details(keys)).toEqual(portals.map((_, index) => `SSM parameter /docspace/p${index}/api-key: the key was not read before the run's deadline`));
      // Neither the SDK's retries nor the name-by-name fallback ran after the deadline.
      expect(ssm.callsOf('GetParameters')).toHaveLength(2);
      expect(ssm.callsOf('GetParameter')).toEqual([]);
    });

    it('asks nothing when the deadline has passed already', async () => {
      // Prepare
      ssm.putParameter('/docspace/acme/api-key', keyOf('acme'));
      const reader = new SsmKeyReader();

      // Act
      const keys = await reader.readKeys([ssmPortal('acme', '/docspace/acme/api-key')], { signal: AbortSignal.abort() });

      // Assess
      expect(keys.get('acme')).toEqual({ ok: false, detail: "SSM parameter /docspace/acme/api-key: the key was not read before the run's deadline" });
      expect(ssm.requests).toEqual([]);
    });

    it('stops the name-by-name fallback at the deadline: names read before it keep their keys', async () => {
      // Prepare: the batch fails, then one name is read and the next one hangs
      ssm.putParameter('/docspace/a/api-key', keyOf('a'));
      ssm.putParameter('/docspace/b/api-key', keyOf('b'));
      ssm.failCalls(SsmErrors.accessDenied, { operation: 'GetParameters' });
      ssm.hangCalls({ operation: 'GetParameter', name: '/docspace/b/api-key' });
      const reader = new SsmKeyReader();
      const deadline = new AbortController();
      const portals = [ssmPortal('a', '/docspace/a/api-key'), ssmPortal('b', '/docspace/b/api-key')];
      const reading = reader.readKeys(portals, { signal: deadline.signal });
      await vi.waitFor(() => expect(ssm.callsOf('GetParameter')).toHaveLength(2));

      // Act
      deadline.abort();
      const keys = await reading;

      // Assess
      expect(keys.get('a')).toEqual({ ok: true, key: keyOf('a') });
      expect(keys.get('b')).toEqual({ ok: false, detail: "SSM parameter /docspace/b/api-key: the key was not read before the run's deadline" });
    });

    it('gives up on a hanging SSM by the client timeouts when there is no deadline (short ones here: the defaults are 10 s an attempt)', async () => {
      // Prepare
      ssm.hangCalls();
      const reader = new SsmKeyReader({ clientConfig: { maxAttempts: 1, requestHandler: { requestTimeout: 150, throwOnRequestTimeout: true } } });

      // Act
      const keys = await reader.readKeys([ssmPortal('acme', '/docspace/acme/api-key')]);

      // Assess
      expect(details(keys)).toEqual([expect.stringMatching(/^SSM parameter \/docspace\/acme\/api-key could not be read: \w+$/)]);
      expect(details(keys)[0]).not.toContain('deadline');
    });
  });

  describe('constructor', () => {
    it('fails when given both a client and a client config', () => {
      // Prepare
      const options = { client: new SSMClient({}), clientConfig: {} } as unknown as ConstructorParameters<typeof SsmKeyReader>[0];

      // Act & Assess
      expect(() => new SsmKeyReader(options)).toThrow('SsmKeyReader got both client and clientConfig: pass one of them');
    });

    it('fails when the cache TTL is negative', () => {
      // Act & Assess
      expect(() => new SsmKeyReader({ cacheTtlMs: -1 })).toThrow('SsmKeyReader cacheTtlMs must be 0 or more milliseconds, got -1');
    });
  });
});
