/**
 * A real DocSpaceClient against the simulated portal, with the small helpers the edge tests of
 * the client share: quick timeouts, recorded backoff waits, and unwrapping of `Fetched`.
 */
import { readFileSync } from 'node:fs';
import { DocSpaceClient, type DocSpaceClientOptions, type PortalTarget } from '../../../functions/check/docspace/client.ts';
import type { EvidenceFailure, Fetched } from '../../../functions/check/docspace/evidence.ts';
import { FAKE_STACK_MARKER, type SimulatedPortals } from '../../support/simulated-portal.ts';

/** The key the simulated portals accept in these tests. */
export const API_KEY = 'sk-test-7c1e9a04b2d85f36e0a1';

/** A client with short timeouts that records its backoff waits instead of sleeping. */
export function quickClient(waits: number[], options: DocSpaceClientOptions = {}): DocSpaceClient {
  return new DocSpaceClient({
    connectTimeoutMs: 2_000,
    headersTimeoutMs: 2_000,
    bodyTimeoutMs: 2_000,
    requestTimeoutMs: 5_000,
    random: () => 0.5,
    sleep: async (ms, signal) => {
      waits.push(ms);
      signal.throwIfAborted();
    },
    ...options,
  });
}

/** The target of portal `name` on `docspace`. */
export function targetOf(docspace: SimulatedPortals, name: string, overrides: Partial<PortalTarget> = {}): PortalTarget {
  return { name, url: docspace.urlOf(name), apiKey: API_KEY, ...overrides };
}

/** The envelope's `response` of a fixture under test/fixtures/docspace, as wire data. */
export function wireFixture(name: string): never {
  const json = JSON.parse(readFileSync(new URL(`../../fixtures/docspace/${name}.json`, import.meta.url), 'utf8')) as { response?: unknown };
  return (json.response ?? null) as never;
}

/** The failure of a result that must have failed. */
export function failureOf<T>(result: Fetched<T>): EvidenceFailure {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.failure;
}

/** The value of a result that must have succeeded. */
export function valueOf<T>(result: Fetched<T>): T {
  if (!result.ok) throw new Error(`expected a value, got ${JSON.stringify(result.failure)}`);
  return result.value;
}

/** True when nothing secret or server-internal is in the text. */
export function isSafeText(text: string, apiKey: string = API_KEY): boolean {
  return !text.includes(apiKey) && !text.includes('Bearer') && !text.includes(FAKE_STACK_MARKER);
}
