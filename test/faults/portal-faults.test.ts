/**
 * The fault matrix, portal side (docs/RELIABILITY.md, rows P01-P27): whole runs of `runCheck`
 * over real loopback HTTP, one portal misbehaving, three healthy ones next to it. Each row shows
 * the faulty portal's finding, that the other portals come out as usual with their alerts
 * delivered (nothing lost), and that no key leaked.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckFailedCause, EvidenceSource, Severity, Status } from '../../functions/check/policy/types.ts';
import { useFakeAwsEnvironment } from '../support/aws-env.ts';
import { docspaceError, envelope, problemResponse, startSimulatedPortals, type SimulatedPortal } from '../support/simulated-portal.ts';
import {
  checkFailedOf,
  codesOf,
  compliantSchedule,
  expectNothingLeaked,
  expectNothingLost,
  requestsTo,
  runWithFault,
  scenarioPortal,
  startAwsFakes,
  stopAwsFakes,
  verdictOf,
  type AwsFakes,
  type FaultRun,
  type FaultRunOptions,
  type VictimFault,
} from './harness.ts';

const SCHEDULE_PATH = 'api/2.0/backup/getbackupschedule';
const HTML_PAGE = '<!DOCTYPE html><html><head><title>Bad Gateway</title></head><body><h1>nginx secret-page-text</h1></body></html>';

let aws: AwsFakes;
let restoreAws: () => void;

beforeAll(async () => {
  aws = await startAwsFakes();
  restoreAws = useFakeAwsEnvironment({ ssm: aws.ssm.endpoint, sns: aws.sns.endpoint });
});

afterAll(async () => {
  restoreAws();
  await stopAwsFakes(aws);
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The prefix that keeps the portal names of a row apart: its id, lowercase. */
function prefixOf(row: string): string {
  return row.slice(0, 3).toLowerCase();
}

/** The schedule answer with enough padding that a trickle at 100 B/s takes far longer than the deadline. */
function paddedSchedule(): unknown {
  return envelope({ ...compliantSchedule(), padding: 'x'.repeat(4_000) });
}

/** A row whose faulty portal cannot be evaluated: one `CHECK_FAILED` with this cause. */
interface FailingRow {
  readonly row: string;
  readonly fault: VictimFault;
  readonly options?: FaultRunOptions;
  readonly status: Status;
  readonly cause: CheckFailedCause;
  readonly source: EvidenceSource;
  readonly severity: Severity;
  /** Text the finding's message holds. */
  readonly says: string | RegExp;
  /** How many requests the faulty endpoint got: the attempts. */
  readonly attempts: number;
  /** Text from the portal that must not reach any output. */
  readonly never?: readonly string[];
}

const scheduleFault = (schedule: SimulatedPortal['schedule']): VictimFault => ({ portal: { schedule } });

const FAILING_ROWS: readonly FailingRow[] = [
  {
    row: 'P02 connection reset mid-body on every attempt: CHECK_FAILED NETWORK',
    fault: scheduleFault({ body: envelope(compliantSchedule()), resetAfterBytes: 40 }),
    status: 'UNKNOWN',
    cause: 'NETWORK',
    source: 'schedule',
    severity: 'warning',
    says: /getbackupschedule: connection [a-z ]+ \([A-Z_]+\) after 3 attempts/,
    attempts: 3,
  },
  {
    row: 'P04 headers that never arrive: CHECK_FAILED TIMEOUT',
    // Only the limit the row is about can end the call, however late a busy machine runs the timers.
    options: { smallLimits: true, client: { requestTimeoutMs: 10_000 } },
    fault: scheduleFault({ body: envelope(compliantSchedule()), delayMs: 60_000 }),
    status: 'UNKNOWN',
    cause: 'TIMEOUT',
    source: 'schedule',
    severity: 'warning',
    says: 'getbackupschedule: no answer within 400 ms',
    attempts: 1,
  },
  {
    row: 'P05 a body that stalls after its first bytes: CHECK_FAILED TIMEOUT',
    options: { smallLimits: true, client: { requestTimeoutMs: 10_000 } },
    // One byte every 2 s: silent for longer than the 400 ms body timeout, well within the (here 10 s) deadline.
    fault: scheduleFault({ body: envelope(compliantSchedule()), trickleBytesPerSecond: 0.5 }),
    status: 'UNKNOWN',
    cause: 'TIMEOUT',
    source: 'schedule',
    severity: 'warning',
    says: 'getbackupschedule: the answer stalled (no data for 400 ms)',
    attempts: 1,
  },
  {
    row: 'P06 a body that trickles in slowly: CHECK_FAILED TIMEOUT',
    options: { smallLimits: true, client: { bodyTimeoutMs: 10_000 } },
    // Ten bytes every 100 ms: never silent long enough for the (here 10 s) body timeout; the 2 s deadline ends it.
    fault: scheduleFault({ body: paddedSchedule(), trickleBytesPerSecond: 100 }),
    status: 'UNKNOWN',
    cause: 'TIMEOUT',
    source: 'schedule',
    severity: 'warning',
    says: 'getbackupschedule: no complete answer within 2 s',
    attempts: 1,
  },
  {
    row: 'P09 429 with Retry-After in seconds beyond the cap: CHECK_FAILED RATE_LIMITED',
    fault: scheduleFault({ status: 429, headers: { 'retry-after': '3600' } }),
    status: 'UNKNOWN',
    cause: 'RATE_LIMITED',
    source: 'schedule',
    severity: 'warning',
    says: 'HTTP 429 from getbackupschedule: rate limited; the portal asks to retry after 3600 s, longer than the 10 s this check waits',
    attempts: 1,
  },
  {
    row: 'P10 429 with Retry-After as an HTTP date beyond the cap: CHECK_FAILED RATE_LIMITED',
    fault: scheduleFault({ status: 429, headers: { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() } }),
    status: 'UNKNOWN',
    cause: 'RATE_LIMITED',
    source: 'schedule',
    severity: 'warning',
    says: /HTTP 429 from getbackupschedule: rate limited; the portal asks to retry after \d+(\.\d)? s, longer than the 10 s this check waits/,
    attempts: 1,
  },
  {
    row: 'P11 429 without Retry-After on every attempt: CHECK_FAILED RATE_LIMITED',
    fault: scheduleFault({ status: 429 }),
    status: 'UNKNOWN',
    cause: 'RATE_LIMITED',
    source: 'schedule',
    severity: 'warning',
    says: 'HTTP 429 from getbackupschedule after 3 attempts: rate limited by the portal',
    attempts: 3,
  },
  {
    row: 'P12 500 with DocSpace error JSON: CHECK_FAILED SERVER_ERROR',
    fault: scheduleFault({
      status: 500,
      body: docspaceError(500, 'Unable to connect to any of the specified MySQL hosts.\r\n   at MySqlConnector.Core.ServerSession.ConnectAsync()'),
    }),
    status: 'UNKNOWN',
    cause: 'SERVER_ERROR',
    source: 'schedule',
    severity: 'warning',
    says: 'HTTP 500 from getbackupschedule after 3 attempts: server error (DocSpace says: "Unable to connect to any of the specified MySQL hosts.")',
    attempts: 3,
    never: ['ConnectAsync', 'AuthorizingException'],
  },
  {
    row: 'P13 502 with an HTML body: CHECK_FAILED SERVER_ERROR',
    fault: scheduleFault({ status: 502, body: HTML_PAGE, headers: { 'content-type': 'text/html' } }),
    status: 'UNKNOWN',
    cause: 'SERVER_ERROR',
    source: 'schedule',
    severity: 'warning',
    says: 'HTTP 502 from getbackupschedule after 3 attempts: server error',
    attempts: 3,
    never: ['secret-page-text', '<html'],
  },
  {
    row: 'P14 503 with an HTML body: CHECK_FAILED SERVER_ERROR',
    fault: scheduleFault({ status: 503, body: HTML_PAGE, headers: { 'content-type': 'text/html' } }),
    status: 'UNKNOWN',
    cause: 'SERVER_ERROR',
    source: 'schedule',
    severity: 'warning',
    says: 'HTTP 503 from getbackupschedule after 3 attempts: server error',
    attempts: 3,
    never: ['secret-page-text', '<html'],
  },
  {
    row: 'P15 504 with an HTML body: CHECK_FAILED SERVER_ERROR',
    fault: scheduleFault({ status: 504, body: HTML_PAGE, headers: { 'content-type': 'text/html' } }),
    status: 'UNKNOWN',
    cause: 'SERVER_ERROR',
    source: 'schedule',
    severity: 'warning',
    says: 'HTTP 504 from getbackupschedule after 3 attempts: server error',
    attempts: 3,
    never: ['secret-page-text', '<html'],
  },
  {
    row: 'P16 200 with an HTML body: CHECK_FAILED BAD_RESPONSE',
    fault: scheduleFault({ body: HTML_PAGE, headers: { 'content-type': 'text/html; charset=utf-8' } }),
    status: 'UNKNOWN',
    cause: 'BAD_RESPONSE',
    source: 'schedule',
    severity: 'warning',
    says: "HTTP 200 from getbackupschedule: the body is an HTML or XML page, not DocSpace JSON: is the URL the portal's address?",
    attempts: 1,
    never: ['secret-page-text', '<html'],
  },
  {
    row: 'P17 200 with truncated JSON: CHECK_FAILED BAD_RESPONSE',
    fault: scheduleFault({
      body: JSON.stringify(envelope(compliantSchedule())).slice(0, 60),
      headers: { 'content-type': 'application/json' },
    }),
    status: 'UNKNOWN',
    cause: 'BAD_RESPONSE',
    source: 'schedule',
    severity: 'warning',
    says: 'HTTP 200 from getbackupschedule: the body is not valid JSON (cut short?)',
    attempts: 1,
  },
  {
    row: 'P18 200 with a body over the size cap: CHECK_FAILED BAD_RESPONSE',
    fault: { portal: { history: { body: envelope([{ id: 'a', fileName: 'y'.repeat(100 * 1024), storageType: 0, createdOn: '2026-03-02T01:19:00' }]) } } },
    options: { client: { maxResponseBytes: 64 * 1024 } },
    status: 'WARNING',
    cause: 'BAD_RESPONSE',
    source: 'history',
    severity: 'warning',
    says: 'getbackuphistory: body larger than 64 KiB',
    attempts: 1,
    never: ['yyyyyyyyyy'],
  },
  {
    row: 'P19 200 with wrong member types: CHECK_FAILED BAD_RESPONSE',
    fault: scheduleFault({ ...compliantSchedule(), cronParams: { period: 0, hour: 'two', day: 0 }, lastBackupTime: 'yesterday' } as never),
    status: 'UNKNOWN',
    cause: 'BAD_RESPONSE',
    source: 'schedule',
    severity: 'warning',
    says: 'HTTP 200 from getbackupschedule: unexpected body: cronParams.hour: expected number; lastBackupTime: not a timestamp: "yesterday"',
    attempts: 1,
  },
  {
    row: 'P23 401 with an empty body (the key was revoked or rotated): CHECK_FAILED AUTH_REJECTED',
    fault: { portal: { apiKey: 'sk-canary-the-key-the-portal-now-wants-0000' } },
    status: 'UNKNOWN',
    cause: 'AUTH_REJECTED',
    source: 'schedule',
    severity: 'critical',
    says: 'HTTP 401 from getbackupschedule: the API key was rejected (revoked, expired or mistyped)',
    attempts: 1,
  },
  {
    row: 'P24 402 with problem+json: CHECK_FAILED PAYMENT_REQUIRED',
    fault: scheduleFault(problemResponse(402, 'Payment Required')),
    status: 'UNKNOWN',
    cause: 'PAYMENT_REQUIRED',
    source: 'schedule',
    severity: 'critical',
    says: "HTTP 402 from getbackupschedule: payment required: the portal's subscription is unpaid",
    attempts: 1,
    never: ['0af7651916cd43dd8448eb211c80319c'],
  },
  {
    row: 'P25 404 with problem+json: CHECK_FAILED PORTAL_NOT_FOUND',
    fault: scheduleFault(problemResponse(404, 'Not Found')),
    status: 'UNKNOWN',
    cause: 'PORTAL_NOT_FOUND',
    source: 'schedule',
    severity: 'critical',
    says: 'HTTP 404 from getbackupschedule: not found: the portal is unknown, suspended or pending removal',
    attempts: 1,
    never: ['0af7651916cd43dd8448eb211c80319c'],
  },
  {
    row: 'P26 403 with DocSpace error JSON: CHECK_FAILED FORBIDDEN',
    fault: scheduleFault({ status: 403, body: docspaceError(403, 'Access denied') }),
    status: 'UNKNOWN',
    cause: 'FORBIDDEN',
    source: 'schedule',
    severity: 'critical',
    says: 'HTTP 403 from getbackupschedule: access denied: the key\'s user must be the portal owner or a DocSpace admin and the key needs the *:read permission (or the portal is being restored or migrated, or an IP restriction blocks this monitor) (DocSpace says: "Access denied")',
    attempts: 1,
    never: ['AuthorizingException', 'hresult'],
  },
  {
    row: 'P27 403 with an empty body: CHECK_FAILED FORBIDDEN',
    fault: scheduleFault({ status: 403 }),
    status: 'UNKNOWN',
    cause: 'FORBIDDEN',
    source: 'schedule',
    severity: 'critical',
    says: /^Could not read the backup schedule: HTTP 403 from getbackupschedule: access denied: .*IP restriction blocks this monitor\); the portal's backups were not judged$/,
    attempts: 1,
  },
];

/** The faulty portal could not be evaluated, and only for the reason of its row. */
function expectCheckFailed(result: FaultRun, row: Omit<FailingRow, 'row' | 'fault' | 'options'>): void {
  const verdict = verdictOf(result.run, result.victim);
  expect(verdict.status).toBe(row.status);
  const failed = checkFailedOf(verdict);
  expect(failed).toMatchObject({ cause: row.cause, source: row.source, severity: row.severity });
  if (typeof row.says === 'string') expect(failed.message).toContain(row.says);
  else expect(failed.message).toMatch(row.says);
  const endpoint = row.source === 'history' ? 'history' : 'schedule';
  expect(requestsTo(result.server, result.victim, endpoint)).toHaveLength(row.attempts);
}

describe('runCheck under portal faults', () => {
  it('P01 connection refused gives that portal CHECK_FAILED NETWORK after the retries; the others are unaffected', async () => {
    // Prepare
    const port = await closedPort();

    // Act
    const result = await runWithFault(aws, 'p01', { url: `http://127.0.0.1:${port}/` });

    // Assess
    const verdict = verdictOf(result.run, result.victim);
    expect(verdict.status).toBe('UNKNOWN');
    expect(checkFailedOf(verdict)).toMatchObject({ cause: 'NETWORK', source: 'schedule', severity: 'warning' });
    expect(checkFailedOf(verdict).message).toContain('getbackupschedule: connection refused (ECONNREFUSED) after 3 attempts');
    expectNothingLost(result);
    expectNothingLeaked(result);
  });

  for (const { row, fault, options, never, ...expected } of FAILING_ROWS) {
    it(`${row} for that portal only; the others are unaffected`, async () => {
      // Act
      const result = await runWithFault(aws, prefixOf(row), fault, options);

      // Assess
      expectCheckFailed(result, expected);
      expectNothingLost(result);
      expectNothingLeaked(result);
      const everything = JSON.stringify(result.run.verdicts) + result.snsRequests.join('') + result.logs.join('');
      for (const text of never ?? []) expect(everything).not.toContain(text);
    });
  }

  it('P03 a connection reset mid-body once is retried, and the portal is judged as usual', async () => {
    // Act
    const result = await runWithFault(aws, 'p03', scheduleFault({ sequence: [{ body: envelope(compliantSchedule()), resetAfterBytes: 40 }, compliantSchedule() as never] }));

    // Assess
    expect(verdictOf(result.run, result.victim).status).toBe('OK');
    expect(requestsTo(result.server, result.victim, 'schedule')).toHaveLength(2);
    expectNothingLost(result);
    expectNothingLeaked(result);
  });

  it('P07 429 with Retry-After in seconds is waited out, then the portal is judged as usual', async () => {
    // Act
    const result = await runWithFault(aws, 'p07', scheduleFault({ sequence: [{ status: 429, headers: { 'retry-after': '1' } }, compliantSchedule() as never] }));

    // Assess
    expect(verdictOf(result.run, result.victim).status).toBe('OK');
    expect(result.waits).toEqual([1_000]);
    expect(requestsTo(result.server, result.victim, 'schedule')).toHaveLength(2);
    expectNothingLost(result);
    expectNothingLeaked(result);
  });

  it('P08 429 with Retry-After as an HTTP date is waited out, then the portal is judged as usual', async () => {
    // Prepare
    const at = new Date(Date.now() + 3_000).toUTCString();

    // Act
    const result = await runWithFault(aws, 'p08', scheduleFault({ sequence: [{ status: 429, headers: { 'retry-after': at } }, compliantSchedule() as never] }));

    // Assess
    expect(verdictOf(result.run, result.victim).status).toBe('OK');
    expect(result.waits).toHaveLength(1);
    // The date has whole seconds: between 2 and 3 s ahead when it was written.
    expect(result.waits[0]).toBeGreaterThan(1_000);
    expect(result.waits[0]).toBeLessThanOrEqual(3_000);
    expectNothingLost(result);
    expectNothingLeaked(result);
  });

  it('P20 unknown extra members and enum names are accepted, and the portal is judged as usual', async () => {
    // Prepare
    const schedule = {
      ...compliantSchedule(),
      storageType: 'Documents',
      storageParams: { folderId: '5182', module: 'Documents', region: null },
      cronParams: { period: 'EveryDay', hour: 2, day: null, extra: true },
      newInVersion4: { nested: [1, 2, 3] },
    };

    // Act
    const result = await runWithFault(aws, 'p20', {
      portal: {
        schedule: schedule as never,
        progress: { isCompleted: true, progress: 100, error: '', backupProgressEnum: 'Backup', status: 'Done', tenantId: 1, link: null } as never,
      },
    });

    // Assess
    const verdict = verdictOf(result.run, result.victim);
    expect([verdict.status, codesOf(verdict)]).toEqual(['OK', []]);
    expectNothingLost(result);
    expectNothingLeaked(result);
  });

  it('P21 a redirect to another origin is not followed and the key is never sent there: CHECK_FAILED BAD_RESPONSE', async () => {
    // Prepare
    const elsewhere = await startSimulatedPortals({});
    try {
      // Act
      const result = await runWithFault(aws, 'p21', scheduleFault({ status: 301, redirectTo: `${elsewhere.baseUrl}/p21-victim/${SCHEDULE_PATH}?ticket=abc123` }));

      // Assess
      expectCheckFailed(result, {
        status: 'UNKNOWN',
        cause: 'BAD_RESPONSE',
        source: 'schedule',
        severity: 'warning',
        says: 'HTTP 301 from getbackupschedule: redirects to another origin; not followed, so the API key is not sent there',
        attempts: 1,
      });
      expect(elsewhere.requests).toEqual([]);
      expect(JSON.stringify(result.run.verdicts)).not.toContain('ticket');
      expectNothingLost(result);
      expectNothingLeaked(result);
    } finally {
      await elsewhere.close();
    }
  });

  it('P22 a redirect to the same origin is followed with the key, and the portal is judged as usual', async () => {
    // Act
    const result = await runWithFault(
      aws,
      'p22',
      scheduleFault({ status: 308, redirectTo: `/p22-moved/${SCHEDULE_PATH}?dump=true` }),
      // The schedule now lives under another path of the same origin, for the same key.
      { alsoServe: (key) => ({ 'p22-moved': { ...scenarioPortal('compliant', key).portal } }) },
    );

    // Assess
    expect(verdictOf(result.run, result.victim).status).toBe('OK');
    const followed = result.server.requests.filter((request) => request.portal === 'p22-moved');
    expect(followed.map((request) => [request.path, request.query])).toEqual([[`/p22-moved/${SCHEDULE_PATH}`, {}]]);
    expect(followed[0]?.headers.authorization).toBe(`Bearer ${result.portals[0]!.key}`);
    expectNothingLost(result);
    expectNothingLeaked(result);
  });
});
