import { Agent } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DocSpaceClient, PortalTarget } from '../../../functions/check/docspace/client.ts';
import type { Fetched } from '../../../functions/check/docspace/evidence.ts';
import { startSimulatedPortals, type SimulatedPortals } from '../../support/simulated-portal.ts';
import { makeTestCertificates, type TestCertificates } from '../../support/test-certificates.ts';
import { API_KEY, failureOf, isSafeText, quickClient, targetOf, valueOf, wireFixture } from './portal-harness.ts';

let docspace: SimulatedPortals | undefined;
let client: DocSpaceClient | undefined;
let dispatcher: Agent | undefined;
let waits: number[];

afterEach(async () => {
  await client?.close();
  await dispatcher?.close();
  await docspace?.close();
  client = dispatcher = docspace = undefined;
});

function askAll(target: PortalTarget): Promise<Fetched<unknown>[]> {
  return Promise.all([client!.getSchedule(target), client!.getProgress(target), client!.getHistory(target), client!.getSettings(target)]);
}

describe('a key that cannot go into an HTTP header is an API-key problem', () => {
  it.each([
    { name: "the README's placeholder (sk- and an ellipsis)", key: 'sk-…', problem: "the README's placeholder" },
    { name: 'a tab inside', key: 'sk-test-7c1e9a04\tb2d85f36e0a1', problem: 'a tab, a line break or a run of spaces' },
    { name: 'a line break and a second header', key: 'sk-test-7c1e9a04b2d8\r\nX-Injected: 1', problem: 'a tab, a line break or a run of spaces' },
    { name: 'a run of spaces inside', key: 'sk-test-7c1e9a04   b2d85f36e0a1', problem: 'a tab, a line break or a run of spaces' },
    { name: 'a no-break space inside', key: 'sk-test-7c1e9a04\u00a0b2d85f36e0a1', problem: 'a character that is not ASCII' },
    { name: 'a control character', key: 'sk-test-7c1e9a04\u0000b2d85f36e0a1', problem: 'a control character' },
    { name: 'a non-ASCII letter', key: 'sk-test-7c1e9a04b2d85f36é0a1', problem: 'a character that is not ASCII' },
    { name: 'a zero-width space', key: 'sk-test-7c1e9a04\u200bb2d85f36e0a1', problem: 'a character that is not ASCII' },
    { name: 'nothing but spaces', key: '   ', problem: 'empty' },
  ])('reports API_KEY_INVALID for $name on every endpoint, before any request, without echoing it', async ({ key, problem }) => {
    // Prepare
    waits = [];
    docspace = await startSimulatedPortals({ acme: { apiKey: API_KEY, schedule: wireFixture('schedule-daily') } });
    client = quickClient(waits);

    // Act
    const results = await askAll(targetOf(docspace, 'acme', { apiKey: key }));

    // Assess
    for (const result of results) {
      const failure = failureOf(result);
      expect(failure).toMatchObject({ cause: 'API_KEY_INVALID', source: 'apiKey' });
      expect(failure.detail).toContain(problem);
      if (key.trim().length > 4) expect(JSON.stringify(failure)).not.toContain(key.trim().slice(0, 12));
    }
    expect(docspace.requests).toEqual([]);
  });

  it('sends a token with a single space inside: a header can carry it, and the portal judges it', async () => {
    // Prepare
    docspace = await startSimulatedPortals({ acme: { apiKey: 'tok 4f0c2b9e7a1d635c8e20', schedule: wireFixture('schedule-daily') } });
    client = quickClient([]);

    // Act
    const schedule = valueOf(await client.getSchedule(targetOf(docspace, 'acme', { apiKey: 'tok 4f0c2b9e7a1d635c8e20', scheme: 'bearer' })));

    // Assess
    expect(schedule).not.toBeNull();
  });

  it('still sends a key with a line break at the end (as `echo` writes it), trimmed', async () => {
    // Prepare
    docspace = await startSimulatedPortals({ acme: { apiKey: API_KEY, schedule: wireFixture('schedule-daily') } });
    client = quickClient([]);

    // Act
    const schedule = valueOf(await client.getSchedule(targetOf(docspace, 'acme', { apiKey: `${API_KEY}\n` })));

    // Assess
    expect(schedule).not.toBeNull();
  });
});

describe('a TLS failure is its own critical cause, not a network blip', () => {
  let certificates: TestCertificates;

  beforeAll(() => {
    certificates = makeTestCertificates();
  });

  /** Serves acme over HTTPS with `certificate`; the client trusts the test CA unless `trustCa` is false. */
  async function serveTls(certificate: keyof Omit<TestCertificates, 'ca'>, trustCa = true): Promise<PortalTarget> {
    waits = [];
    docspace = await startSimulatedPortals({ acme: { apiKey: API_KEY, schedule: wireFixture('schedule-daily') } }, { tls: certificates[certificate] });
    dispatcher = trustCa ? new Agent({ connect: { ca: certificates.ca } }) : undefined;
    client = quickClient(waits, dispatcher === undefined ? {} : { dispatcher });
    return targetOf(docspace, 'acme');
  }

  it('reads the schedule over HTTPS with a valid certificate (the setup works)', async () => {
    // Prepare
    const target = await serveTls('valid');

    // Act
    const schedule = valueOf(await client!.getSchedule(target));

    // Assess
    expect(schedule?.cronParams).toEqual({ period: 0, hour: 2, day: 0 });
    expect(target.url.startsWith('https://127.0.0.1:')).toBe(true);
  });

  it.each([
    { name: 'an expired certificate', certificate: 'expired' as const, trustCa: true, words: 'the certificate has expired', code: 'CERT_HAS_EXPIRED' },
    { name: 'a self-signed certificate', certificate: 'selfSigned' as const, trustCa: false, words: 'self-signed', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
    { name: 'a certificate for another host', certificate: 'wrongHost' as const, trustCa: true, words: 'does not name this host', code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    { name: 'a certificate of an unknown issuer', certificate: 'valid' as const, trustCa: false, words: 'not trusted', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
  ])('reports TLS_FAILED for $name, on the first attempt, without the key', async ({ certificate, trustCa, words, code }) => {
    // Prepare
    const target = await serveTls(certificate, trustCa);

    // Act
    const failure = failureOf(await client!.getSchedule(target));

    // Assess
    expect(failure).toMatchObject({ cause: 'TLS_FAILED', source: 'schedule' });
    expect(failure.detail).toContain(words);
    expect(failure.detail).toContain(code);
    expect(isSafeText(JSON.stringify(failure))).toBe(true);
    expect(waits).toEqual([]);
    expect(docspace!.requests).toEqual([]);
  });

  it('reports TLS_FAILED when an https URL points at a plain HTTP port', async () => {
    // Prepare
    waits = [];
    docspace = await startSimulatedPortals({ acme: { apiKey: API_KEY } });
    client = quickClient(waits);
    const target = targetOf(docspace, 'acme', { url: docspace.urlOf('acme').replace('http://', 'https://') });

    // Act
    const failure = failureOf(await client.getSchedule(target));

    // Assess
    expect(failure).toMatchObject({ cause: 'TLS_FAILED', source: 'schedule' });
    expect(failure.detail).toContain('TLS handshake failed');
    expect(waits).toEqual([]);
  });
});
