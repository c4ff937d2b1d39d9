import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DocSpaceClient, USER_AGENT, type DocSpaceClientOptions, type PortalTarget } from '../../../functions/check/docspace/client.ts';
import type { EvidenceFailure, Fetched } from '../../../functions/check/policy/types.ts';
import {
  docspaceError,
  envelope,
  FAKE_STACK_MARKER,
  problemResponse,
  startSimulatedPortals,
  type SimulatedPortal,
  type SimulatedPortals,
} from '../../support/simulated-portal.ts';
import { recordOpenedSockets } from './opened-sockets.ts';

const API_KEY = 'sk-test-4f9a1c2e7b8d0a3f5e6c';
const SCHEDULE_PATH = 'api/2.0/backup/getbackupschedule';

function fixture(name: string): { response?: unknown } {
  return JSON.parse(readFileSync(new URL(`../../fixtures/docspace/${name}.json`, import.meta.url), 'utf8')) as { response?: unknown };
}

/** The wire `response` of a fixture, served as data by the simulated portal. */
function wire(name: string): never {
  return (fixture(name).response ?? null) as never;
}

const HTML_PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx secret-page-text</h1></body></html>';

let docspace: SimulatedPortals;
let client: DocSpaceClient;
let waits: number[];

/**
 * A client with the deployed limits, so that a busy machine cannot time out an answer; the
 * timeout tests set the one limit they are about, small.
 */
function makeClient(options: DocSpaceClientOptions = {}): DocSpaceClient {
  return new DocSpaceClient({
    connectTimeoutMs: 5_000,
    headersTimeoutMs: 10_000,
    bodyTimeoutMs: 10_000,
    requestTimeoutMs: 20_000,
    random: () => 0.5,
    sleep: async (ms, signal) => {
      waits.push(ms);
      signal.throwIfAborted();
    },
    ...options,
  });
}

function target(name = 'acme', overrides: Partial<PortalTarget> = {}): PortalTarget {
  return { name, url: docspace.urlOf(name), apiKey: API_KEY, ...overrides };
}

async function serve(portal: Omit<SimulatedPortal, 'apiKey'>, name = 'acme'): Promise<void> {
  docspace.setPortal(name, { apiKey: API_KEY, ...portal });
}

function failureOf<T>(result: Fetched<T>): EvidenceFailure {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.failure;
}

function valueOf<T>(result: Fetched<T>): T {
  if (!result.ok) throw new Error(`expected a value, got ${JSON.stringify(result.failure)}`);
  return result.value;
}

/** Nothing secret or server-internal may reach a failure. */
function expectSafe(failure: EvidenceFailure): void {
  const text = JSON.stringify(failure);
  expect(text).not.toContain(API_KEY);
  expect(text).not.toContain('Bearer');
  expect(text).not.toContain(FAKE_STACK_MARKER);
  expect(text).not.toMatch(/\bat ASC\./);
}

beforeEach(async () => {
  waits = [];
  docspace = await startSimulatedPortals({});
  client = makeClient();
});

afterEach(async () => {
  await client.close();
  await docspace.close();
});

describe('DocSpaceClient', () => {
  describe('getSchedule', () => {
    it('reads a daily schedule', async () => {
      // Prepare
      await serve({ schedule: wire('schedule-daily') });

      // Act
      const schedule = valueOf(await client.getSchedule(target()));

      // Assess
      expect(schedule).toMatchObject({ storageType: 0, cronParams: { period: 0, hour: 2, day: 0 }, backupsStored: 7, dump: false });
      expect(schedule?.lastBackupTime).toEqual(new Date('2026-03-02T01:07:41Z'));
    });

    it('returns null when the envelope has no response (no schedule is not an error)', async () => {
      // Prepare
      await serve({ schedule: { body: fixture('schedule-none') } });

      // Act
      const result = await client.getSchedule(target());

      // Assess
      expect(result).toEqual({ ok: true, value: null });
    });

    it('returns null when the response is null', async () => {
      // Prepare
      await serve({ schedule: { body: { response: null, count: 0, status: 0, statusCode: 200 } } });

      // Act
      const result = await client.getSchedule(target());

      // Assess
      expect(result).toEqual({ ok: true, value: null });
    });

    it('reads a schedule that never ran as lastBackupTime null', async () => {
      // Prepare
      await serve({ schedule: wire('schedule-never-run') });

      // Act
      const schedule = valueOf(await client.getSchedule(target()));

      // Assess
      expect(schedule).not.toBeNull();
      expect(schedule?.lastBackupTime).toBeNull();
    });

    it('accepts unknown extra members and enum names', async () => {
      // Prepare
      const response = {
        storageType: 'ThirdPartyConsumer',
        storageParams: { module: 'S3', bucket: 'backups' },
        cronParams: { period: 'EveryWeek', hour: 22, day: 'Friday', minute: 0 },
        backupsStored: null,
        lastBackupTime: '2026-03-06T21:04:10.1234567Z',
        futureMember: { nested: [1, 2, 3] },
      };
      await serve({ schedule: { body: { ...envelope(response), total: 1, extra: 'x' } } });

      // Act
      const schedule = valueOf(await client.getSchedule(target()));

      // Assess
      expect(schedule).toMatchObject({ storageType: 5, storageModule: 'S3', cronParams: { period: 1, hour: 22, day: 6 }, backupsStored: null });
    });
  });

  describe('getProgress', () => {
    it('returns null when the portal has no backup task', async () => {
      // Prepare
      await serve({ progress: { body: fixture('progress-none') } });

      // Act
      const result = await client.getProgress(target());

      // Assess
      expect(result).toEqual({ ok: true, value: null });
    });

    it('reads a failed backup task with its error', async () => {
      // Prepare
      await serve({ progress: wire('progress-failed') });

      // Act
      const progress = valueOf(await client.getProgress(target()));

      // Assess
      expect(progress).toMatchObject({ isCompleted: true, error: 'The required folder was not found', kind: 'backup' });
    });
  });

  describe('getHistory', () => {
    it('reads the backup records', async () => {
      // Prepare
      await serve({ history: wire('history') });

      // Act
      const history = valueOf(await client.getHistory(target()));

      // Assess
      expect(history.records.map((record) => record.createdOn)).toEqual([new Date('2026-03-02T01:19:52Z'), new Date('2026-03-01T01:14:37Z')]);
    });

    it('reads an empty history as no records', async () => {
      // Prepare
      await serve({ history: { body: fixture('history-empty') } });

      // Act
      const history = valueOf(await client.getHistory(target()));

      // Assess
      expect(history).toEqual({ records: [], skippedRecords: 0 });
    });

    it('fails when the envelope has no response', async () => {
      // Prepare
      await serve({ history: null });

      // Act
      const failure = failureOf(await client.getHistory(target()));

      // Assess
      expect(failure).toMatchObject({ cause: 'BAD_RESPONSE', source: 'history', httpStatus: 200 });
      expect(failure.detail).toContain('expected array');
    });

    it('skips and counts a record that does not fit, instead of failing the history', async () => {
      // Prepare
      await serve({ history: { body: envelope([{ id: 'a', fileName: 'a.tar.gz', storageType: 0, createdOn: 'last tuesday' }]) } });

      // Act
      const history = valueOf(await client.getHistory(target()));

      // Assess
      expect(history).toEqual({ records: [], skippedRecords: 1 });
    });
  });

  describe('getSettings', () => {
    it('reads the portal time zone', async () => {
      // Prepare
      await serve({ settings: wire('settings') });

      // Act
      const settings = valueOf(await client.getSettings(target()));

      // Assess
      expect(settings).toMatchObject({ timezone: 'Europe/Berlin', utcOffset: '01:00:00', utcHoursOffset: 1 });
    });

    it('fails when the envelope has no response', async () => {
      // Prepare
      await serve({ settings: null });

      // Act
      const failure = failureOf(await client.getSettings(target()));

      // Assess
      expect(failure).toMatchObject({ cause: 'BAD_RESPONSE', source: 'settings' });
    });
  });

  describe('requests', () => {
    it('asks the four endpoints under the portal base URL, with no query (never dump)', async () => {
      // Prepare
      await serve({});

      // Act
      await client.getSchedule(target());
      await client.getProgress(target());
      await client.getHistory(target());
      await client.getSettings(target());

      // Assess
      expect(docspace.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
        'GET /acme/api/2.0/backup/getbackupschedule',
        'GET /acme/api/2.0/backup/getbackupprogress',
        'GET /acme/api/2.0/backup/getbackuphistory',
        'GET /acme/api/2.0/settings',
      ]);
      for (const request of docspace.requests) {
        expect(request.query).toEqual({});
        expect(request.headers).not.toHaveProperty('payment-info');
      }
    });

    it('joins the paths to a base URL given without its trailing slash', async () => {
      // Prepare
      await serve({});

      // Act
      const result = await client.getSchedule(target('acme', { url: docspace.urlOf('acme').replace(/\/$/, '') }));

      // Assess
      expect(result.ok).toBe(true);
      expect(docspace.requests[0]?.path).toBe('/acme/api/2.0/backup/getbackupschedule');
    });

    it('sends Accept application/json and the monitor User-Agent', async () => {
      // Prepare
      await serve({});
      const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

      // Act
      await client.getSchedule(target());

      // Assess
      expect(docspace.requests[0]?.headers.accept).toBe('application/json');
      expect(docspace.requests[0]?.headers['user-agent']).toBe(`docspace-backup-monitor/${version}`);
      expect(USER_AGENT).toBe(`docspace-backup-monitor/${version}`);
    });

    it.each([
      { scheme: undefined, apiKey: 'sk-abc123def456', sent: 'Bearer sk-abc123def456' },
      { scheme: 'auto' as const, apiKey: 'sk-abc123def456', sent: 'Bearer sk-abc123def456' },
      { scheme: undefined, apiKey: 'session-token-xyz', sent: 'session-token-xyz' },
      { scheme: 'bearer' as const, apiKey: 'session-token-xyz', sent: 'Bearer session-token-xyz' },
      { scheme: 'raw' as const, apiKey: 'sk-abc123def456', sent: 'sk-abc123def456' },
    ])('sends the key as "$sent" with scheme $scheme', async ({ scheme, apiKey, sent }) => {
      // Prepare
      await serve({});

      // Act
      await client.getSchedule(target('acme', { apiKey, scheme }));

      // Assess
      expect(docspace.requests[0]?.headers.authorization).toBe(sent);
    });

    it('explains a 401 for an sk- key sent raw', async () => {
      // Prepare
      await serve({});

      // Act
      const failure = failureOf(await client.getSchedule(target('acme', { scheme: 'raw' })));

      // Assess
      expect(failure.cause).toBe('AUTH_REJECTED');
      expect(failure.detail).toContain('sent raw');
      expect(failure.detail).not.toContain(API_KEY);
    });
  });

  describe('error statuses', () => {
    it('reports AUTH_REJECTED for a 401 with an empty body, without retrying', async () => {
      // Prepare
      await serve({});

      // Act
      const failure = failureOf(await client.getSchedule(target('acme', { apiKey: 'sk-wrong-key-000000' })));

      // Assess
      expect(failure).toEqual({
        cause: 'AUTH_REJECTED',
        source: 'schedule',
        httpStatus: 401,
        detail: 'HTTP 401 from getbackupschedule: the API key was rejected (revoked, expired or mistyped)',
      });
      expect(docspace.requests).toHaveLength(1);
      expect(failure.detail).not.toContain('sk-wrong-key');
    });

    it.each([
      { status: 402, answer: problemResponse(402, 'Payment Required'), cause: 'PAYMENT_REQUIRED', mentions: 'unpaid' },
      { status: 402, answer: { status: 402 }, cause: 'PAYMENT_REQUIRED', mentions: 'unpaid' },
      { status: 403, answer: { status: 403, body: docspaceError(403, 'Access denied') }, cause: 'FORBIDDEN', mentions: 'DocSpace says: "Access denied"' },
      { status: 403, answer: { status: 403 }, cause: 'FORBIDDEN', mentions: 'owner or a DocSpace admin' },
      { status: 403, answer: { status: 403, body: 'Forbidden by IP restriction' }, cause: 'FORBIDDEN', mentions: '*:read' },
      { status: 404, answer: problemResponse(404, 'Not Found'), cause: 'PORTAL_NOT_FOUND', mentions: 'suspended' },
      { status: 400, answer: { status: 400, body: docspaceError(400, 'Bad request') }, cause: 'BAD_RESPONSE', mentions: 'HTTP 400' },
      { status: 405, answer: { status: 405 }, cause: 'BAD_RESPONSE', mentions: 'HTTP 405' },
      { status: 409, answer: { status: 409 }, cause: 'BAD_RESPONSE', mentions: 'HTTP 409' },
    ])('reports $cause for HTTP $status without retrying', async ({ status, answer, cause, mentions }) => {
      // Prepare
      await serve({ schedule: answer });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure).toMatchObject({ cause, source: 'schedule', httpStatus: status });
      expect(failure.detail).toContain(`HTTP ${status} from getbackupschedule`);
      expect(failure.detail).toContain(mentions);
      expect(docspace.requests).toHaveLength(1);
      expect(waits).toEqual([]);
      expectSafe(failure);
    });

    it('reports PORTAL_NOT_FOUND for a portal the server does not know', async () => {
      // Act
      const failure = failureOf(await client.getSchedule(target('gone')));

      // Assess
      expect(failure).toMatchObject({ cause: 'PORTAL_NOT_FOUND', httpStatus: 404 });
    });

    it('reports SERVER_ERROR for a 500 with DocSpace error JSON, quoting the message and never the stack', async () => {
      // Prepare
      const body = docspaceError(500, 'Unable to connect to any of the specified MySQL hosts.\r\n   at MySqlConnector.Core.Connect()');
      await serve({ schedule: { status: 500, body } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure).toMatchObject({ cause: 'SERVER_ERROR', httpStatus: 500 });
      expect(failure.detail).toBe(
        'HTTP 500 from getbackupschedule after 3 attempts: server error (DocSpace says: "Unable to connect to any of the specified MySQL hosts.")',
      );
      expect(docspace.requests).toHaveLength(3);
      expectSafe(failure);
    });

    it.each([502, 503, 504])('reports SERVER_ERROR for a %i HTML page after the retries, without the page', async (status) => {
      // Prepare
      await serve({ schedule: { status, body: HTML_PAGE, headers: { 'content-type': 'text/html' } } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure).toEqual({
        cause: 'SERVER_ERROR',
        source: 'schedule',
        httpStatus: status,
        detail: `HTTP ${status} from getbackupschedule after 3 attempts: server error`,
      });
      expect(docspace.requests).toHaveLength(3);
    });
  });

  describe('rate limiting', () => {
    it('waits the Retry-After seconds, then reads the answer', async () => {
      // Prepare
      await serve({ schedule: { sequence: [{ status: 429, headers: { 'retry-after': '2' } }, wire('schedule-daily')] } });

      // Act
      const result = await client.getSchedule(target());

      // Assess
      expect(result.ok).toBe(true);
      expect(waits).toEqual([2_000]);
      expect(docspace.requests).toHaveLength(2);
    });

    it('waits until a Retry-After HTTP-date', async () => {
      // Prepare
      const at = new Date(Date.now() + 5_000).toUTCString();
      await serve({ schedule: { sequence: [{ status: 429, headers: { 'retry-after': at } }, null] } });

      // Act
      const result = await client.getSchedule(target());

      // Assess
      expect(result).toEqual({ ok: true, value: null });
      expect(waits).toHaveLength(1);
      expect(waits[0]).toBeGreaterThan(2_000);
      expect(waits[0]).toBeLessThanOrEqual(5_000);
    });

    it.each([
      { retryAfter: '60', shown: '60 s' },
      { retryAfter: new Date(Date.now() + 3_600_000).toUTCString(), shown: 'retry after' },
    ])('gives up with RATE_LIMITED at once when Retry-After ($retryAfter) is beyond the cap', async ({ retryAfter, shown }) => {
      // Prepare
      await serve({ schedule: { status: 429, headers: { 'retry-after': retryAfter } } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure).toMatchObject({ cause: 'RATE_LIMITED', httpStatus: 429 });
      expect(failure.detail).toContain(shown);
      expect(failure.detail).toContain('longer than the 10 s this check waits');
      expect(waits).toEqual([]);
      expect(docspace.requests).toHaveLength(1);
    });

    it('reports RATE_LIMITED after the retries when 429 persists', async () => {
      // Prepare
      await serve({ schedule: { status: 429 } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure).toMatchObject({ cause: 'RATE_LIMITED', httpStatus: 429 });
      expect(failure.detail).toContain('after 3 attempts');
      expect(docspace.requests).toHaveLength(3);
    });
  });

  describe('retries', () => {
    it('retries a 503 with jittered exponential backoff, then reads the answer', async () => {
      // Prepare
      await serve({ schedule: { sequence: [{ status: 503 }, { status: 502, body: HTML_PAGE }, wire('schedule-daily')] } });

      // Act
      const result = await client.getSchedule(target());

      // Assess
      expect(result.ok).toBe(true);
      expect(docspace.requests).toHaveLength(3);
      // random() = 0.5 of a 500 ms, then 1000 ms ceiling.
      expect(waits).toEqual([250, 500]);
    });

    it('makes only one attempt with maxRetries 0', async () => {
      // Prepare
      client = makeClient({ maxRetries: 0 });
      await serve({ schedule: { sequence: [{ status: 503 }, null] } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure).toMatchObject({ cause: 'SERVER_ERROR', detail: 'HTTP 503 from getbackupschedule: server error' });
      expect(docspace.requests).toHaveLength(1);
    });

    it('retries a connection reset mid-body, then reads the answer', async () => {
      // Prepare
      await serve({ schedule: { sequence: [{ body: fixture('schedule-daily'), resetAfterBytes: 40 }, wire('schedule-daily')] } });

      // Act
      const result = await client.getSchedule(target());

      // Assess
      expect(result.ok).toBe(true);
      expect(docspace.requests).toHaveLength(2);
    });

    it('reports NETWORK when every attempt is reset mid-body', async () => {
      // Prepare
      await serve({ schedule: { body: fixture('schedule-daily'), resetAfterBytes: 40 } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure.cause).toBe('NETWORK');
      expect(failure.detail).toMatch(/^getbackupschedule: connection .* after 3 attempts$/);
      expect(docspace.requests).toHaveLength(3);
    });

    it('reports NETWORK after the retries when the connection is refused', async () => {
      // Prepare
      const closedPort = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as { port: number };
          probe.close(() => resolve(port));
        });
      });

      // Act
      const failure = failureOf(await client.getSchedule({ name: 'nowhere', url: `http://127.0.0.1:${closedPort}/`, apiKey: API_KEY }));

      // Assess
      expect(failure).toEqual({ cause: 'NETWORK', source: 'schedule', detail: 'getbackupschedule: connection refused (ECONNREFUSED) after 3 attempts' });
      expect(waits).toHaveLength(2);
    });
  });

  describe('timeouts', () => {
    it('reports TIMEOUT without retrying when the headers do not come in time', async () => {
      // Prepare
      client = makeClient({ headersTimeoutMs: 150 });
      await serve({ schedule: { body: fixture('schedule-daily'), delayMs: 2_000 } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure).toEqual({ cause: 'TIMEOUT', source: 'schedule', detail: 'getbackupschedule: no answer within 150 ms' });
      expect(docspace.requests).toHaveLength(1);
    });

    it('reports TIMEOUT without retrying when the body stalls', async () => {
      // Prepare
      // undici checks body timeouts on a ~0.5 s tick: stall for 2 s after the first byte.
      client = makeClient({ bodyTimeoutMs: 150, requestTimeoutMs: 3_000 });
      await serve({ schedule: { body: fixture('schedule-daily'), trickleBytesPerSecond: 0.5 } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure).toMatchObject({ cause: 'TIMEOUT', detail: 'getbackupschedule: the answer stalled (no data for 150 ms)' });
      expect(docspace.requests).toHaveLength(1);
    });

    it('reports TIMEOUT when a trickling body passes the overall deadline', async () => {
      // Prepare
      client = makeClient({ requestTimeoutMs: 400, bodyTimeoutMs: 1_000 });
      await serve({ schedule: { body: fixture('schedule-daily'), trickleBytesPerSecond: 100 } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure).toEqual({ cause: 'TIMEOUT', source: 'schedule', detail: 'getbackupschedule: no complete answer within 400 ms' });
      expect(docspace.requests).toHaveLength(1);
    });

    it("reports TIMEOUT when the caller's signal aborts", async () => {
      // Prepare
      await serve({ schedule: { body: fixture('schedule-daily'), delayMs: 2_000 } });
      const run = new AbortController();
      setTimeout(() => run.abort(), 100);

      // Act
      const failure = failureOf(await client.getSchedule(target('acme', { signal: run.signal })));

      // Assess
      expect(failure).toMatchObject({ cause: 'TIMEOUT', detail: "getbackupschedule: stopped at the check's deadline before the portal answered" });
    });
  });

  describe('bodies', () => {
    it('reports BAD_RESPONSE for an HTML page with 200, without echoing it', async () => {
      // Prepare
      await serve({ schedule: { body: HTML_PAGE, headers: { 'content-type': 'text/html; charset=utf-8' } } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure).toMatchObject({ cause: 'BAD_RESPONSE', httpStatus: 200 });
      expect(failure.detail).toContain('HTML');
      // The Content-Type is never quoted: a portal can put anything, the key too, into it.
      expect(failure.detail).not.toContain('text/html');
      expect(failure.detail).not.toContain('secret-page-text');
      expect(docspace.requests).toHaveLength(1);
    });

    it('reports BAD_RESPONSE for truncated JSON', async () => {
      // Prepare
      const text = JSON.stringify(fixture('schedule-daily'));
      await serve({ schedule: { body: text.slice(0, text.length / 2), headers: { 'content-type': 'application/json' } } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure).toMatchObject({ cause: 'BAD_RESPONSE' });
      expect(failure.detail).toContain('not valid JSON');
      expect(failure.detail).not.toContain('storageType');
    });

    it.each([
      { body: '', problem: 'empty body' },
      { body: [1, 2], problem: 'not a DocSpace envelope' },
      { body: '"text"', problem: 'not a DocSpace envelope' },
      { body: { status: 1, statusCode: 200, error: { message: 'Oops' } }, problem: 'the envelope reports an error (status 1) (DocSpace says: "Oops")' },
    ])('reports BAD_RESPONSE for a 200 that is not a successful envelope ($problem)', async ({ body, problem }) => {
      // Prepare
      await serve({ schedule: { status: 200, body, headers: { 'content-type': 'application/json' } } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure.cause).toBe('BAD_RESPONSE');
      expect(failure.detail).toContain(problem);
    });

    it('reports BAD_RESPONSE for a body larger than the default 1 MiB', async () => {
      // Prepare
      await serve({ schedule: { body: envelope({ padding: 'x'.repeat(1024 * 1024 + 10) }) } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure).toEqual({ cause: 'BAD_RESPONSE', source: 'schedule', detail: 'getbackupschedule: body larger than 1 MiB' });
      expect(docspace.requests).toHaveLength(1);
    });

    it('caps the body through an injected dispatcher too', async () => {
      // Prepare
      const dispatcher = new Agent();
      client = makeClient({ dispatcher, maxResponseBytes: 1024 });
      await serve({ history: { body: envelope([{ fileName: 'y'.repeat(4096) }]) } });

      // Act
      const failure = failureOf(await client.getHistory(target()));
      await dispatcher.close();

      // Assess
      expect(failure).toMatchObject({ cause: 'BAD_RESPONSE', detail: 'getbackuphistory: body larger than 1 KiB' });
    });

    it.each([
      { member: { cronParams: { period: 0, hour: 'two', day: 0 } }, detail: 'cronParams.hour: expected number' },
      { member: { cronParams: { period: 0, hour: 24, day: 0 } }, detail: 'cronParams.hour: must be at most 23' },
      { member: { cronParams: { period: 1, hour: 2, day: 9 } }, detail: 'cronParams.day: day 9 does not fit a weekly (1-7) schedule' },
      { member: { lastBackupTime: '2026-02-30T01:00:00' }, detail: 'lastBackupTime: not a timestamp' },
    ])('reports BAD_RESPONSE naming the member path ($detail)', async ({ member, detail }) => {
      // Prepare
      const daily = fixture('schedule-daily').response as Record<string, unknown>;
      await serve({ schedule: { body: envelope({ ...daily, ...member }) } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure).toMatchObject({ cause: 'BAD_RESPONSE', httpStatus: 200 });
      expect(failure.detail).toContain(`HTTP 200 from getbackupschedule: unexpected body: ${detail}`);
      expect(docspace.requests).toHaveLength(1);
    });
  });

  describe('redirects', () => {
    it('does not follow a redirect to another origin, and the other server never sees the key', async () => {
      // Prepare
      const elsewhere = await startSimulatedPortals({ acme: { apiKey: API_KEY, schedule: wire('schedule-daily') } });
      await serve({ schedule: { status: 301, redirectTo: `${elsewhere.urlOf('acme')}${SCHEDULE_PATH}?ticket=abc123` } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));
      await elsewhere.close();

      // Assess
      expect(failure).toMatchObject({ cause: 'BAD_RESPONSE', httpStatus: 301 });
      expect(failure.detail).toBe(
        "HTTP 301 from getbackupschedule: redirects to another origin; not followed, so the API key is not sent there: configure the portal's canonical URL",
      );
      // The other origin is never quoted: a portal can put anything, the key too, into a host name.
      expect(failure.detail).not.toContain(elsewhere.baseUrl);
      expect(failure.detail).not.toContain('ticket');
      expect(elsewhere.requests).toEqual([]);
    });

    it('follows a same-origin redirect with the key, dropping a dump parameter', async () => {
      // Prepare
      docspace.setPortal('acme', { apiKey: API_KEY, schedule: wire('schedule-daily') });
      await serve({ schedule: { status: 308, redirectTo: `/acme/${SCHEDULE_PATH}?dump=true&DUMP=1` } }, 'old-name');

      // Act
      const schedule = valueOf(await client.getSchedule(target('old-name')));

      // Assess
      expect(schedule?.cronParams.hour).toBe(2);
      expect(docspace.requests.map((request) => request.path)).toEqual([`/old-name/${SCHEDULE_PATH}`, `/acme/${SCHEDULE_PATH}`]);
      expect(docspace.requests[1]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
      expect(docspace.requests[1]?.query).toEqual({});
    });

    it('gives up after three redirects', async () => {
      // Prepare
      await serve({ schedule: { redirectTo: `/acme/${SCHEDULE_PATH}` } });

      // Act
      const failure = failureOf(await client.getSchedule(target()));

      // Assess
      expect(failure).toMatchObject({ cause: 'BAD_RESPONSE', detail: 'HTTP 302 from getbackupschedule: more than 3 redirects' });
      expect(docspace.requests).toHaveLength(4);
    });
  });

  describe('connections', () => {
    it("keeps no connection to a portal's origin open once its calls are done", async () => {
      // Prepare
      await serve({ schedule: wire('schedule-daily'), history: wire('history'), settings: wire('settings') });
      const opened = recordOpenedSockets(Number(new URL(docspace.baseUrl).port));

      // Act
      const results = await Promise.all([
        client.getSchedule(target()),
        client.getProgress(target()),
        client.getHistory(target()),
        client.getSettings(target()),
      ]);
      opened.stop();

      // Assess
      expect(results.every((result) => result.ok)).toBe(true);
      expect(opened.sockets.length).toBeGreaterThan(0);
      expect(opened.open()).toEqual([]);
    });

    it('leaves the connections of an injected dispatcher to its owner', async () => {
      // Prepare
      const dispatcher = new Agent();
      client = makeClient({ dispatcher });
      await serve({});
      const opened = recordOpenedSockets(Number(new URL(docspace.baseUrl).port));

      // Act
      await client.getSchedule(target());
      await client.close();
      const openAfterClose = opened.open().length;
      await dispatcher.close();
      opened.stop();

      // Assess
      expect(openAfterClose).toBe(1);
      expect(opened.open()).toEqual([]);
    });
  });

  describe('robustness', () => {
    it('returns a failure instead of throwing for an unusable portal URL', async () => {
      // Act
      const failure = failureOf(await client.getSchedule({ name: 'broken', url: 'not a url', apiKey: API_KEY }));

      // Assess
      expect(failure).toMatchObject({ cause: 'NETWORK', source: 'schedule' });
      expectSafe(failure);
    });
  });
});
