/**
 * The heartbeat against a local ping endpoint over real HTTP: each ping's path, method and body,
 * the one retry, the time bound, and failures that are counted and logged but never thrown.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../functions/check/config.ts';
import { Heartbeat, HeartbeatSignal, MAX_FAIL_SUMMARY_LENGTH, oneLine } from '../../../functions/check/heartbeat/heartbeat.ts';
import { heartbeatUrl } from '../../../functions/check/heartbeat/heartbeat-url.ts';
import type { CheckLogger } from '../../../functions/check/logger.ts';
import { FAKE_PING_UUID, startFakeHeartbeat, type FakeHeartbeat } from '../../support/fake-heartbeat.ts';
import { SsmErrors, startFakeSsm, type FakeSsm } from '../../support/fake-ssm.ts';

/** Short bounds, so the timeout cases run in well under a second; nothing asserts on elapsed time. */
const FAST = { timeoutMs: 300, retryDelayMs: 10 } as const;

interface LoggedLine {
  readonly level: string;
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

function recordingLogger(): { logger: CheckLogger; lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const at = (level: string) => (message: string, attributes?: Record<string, unknown>) => void lines.push({ level, message, attributes: attributes ?? {} });
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

let endpoint: FakeHeartbeat;

beforeEach(async () => {
  endpoint = await startFakeHeartbeat();
});

afterEach(async () => {
  await endpoint.close().catch(() => undefined);
});

describe('Heartbeat', () => {
  it('pings <url>/start, then <url> on success, each a POST with an empty body', async () => {
    // Prepare
    const heartbeat = new Heartbeat({ url: endpoint.url, ...FAST });

    // Act
    const started = await heartbeat.start();
    const succeeded = await heartbeat.success();

    // Assess
    expect(started).toEqual({ signal: HeartbeatSignal.START, ok: true, attempts: 1 });
    expect(succeeded).toEqual({ signal: HeartbeatSignal.SUCCESS, ok: true, attempts: 1 });
    expect(endpoint.pings).toEqual([
      { method: 'POST', signal: '/start', body: '', contentType: 'text/plain; charset=utf-8' },
      { method: 'POST', signal: '', body: '', contentType: 'text/plain; charset=utf-8' },
    ]);
    expect(heartbeat.failedPings).toBe(0);
  });

  it('pings <url>/fail with the one-line summary as its body', async () => {
    // Prepare
    const heartbeat = new Heartbeat({ url: endpoint.url, ...FAST });

    // Act
    const result = await heartbeat.fail('run failed:\n2 alert(s) could not be published\tand 1 state not kept');

    // Assess
    expect(result.ok).toBe(true);
    expect(endpoint.pings).toEqual([expect.objectContaining({ signal: '/fail', body: 'run failed: 2 alert(s) could not be published and 1 state not kept' })]);
  });

  it('retries once after a 500 and reports the ping delivered', async () => {
    // Prepare
    endpoint.answer({ status: 500 }, { times: 1 });
    const heartbeat = new Heartbeat({ url: endpoint.url, ...FAST });

    // Act
    const result = await heartbeat.success();

    // Assess
    expect(result).toEqual({ signal: 'success', ok: true, attempts: 2 });
    expect(endpoint.pings.map((ping) => ping.signal)).toEqual(['', '']);
    expect(heartbeat.failedPings).toBe(0);
  });

  it.each([
    ['a 503 on every attempt', { status: 503 } as const, 2, 'HTTP 503'],
    ['a 429 on every attempt', { status: 429 } as const, 2, 'HTTP 429'],
    ['a 404 (no such check): not retried', { status: 404 } as const, 1, 'HTTP 404'],
    ['a redirect: not followed', { status: 302 } as const, 1, 'HTTP 302'],
    ['a reset connection', 'reset' as const, 2, /^(ECONNRESET|UND_ERR_SOCKET|network error)$/],
    ['no answer at all', 'hang' as const, 2, 'no answer within 300 ms'],
  ])('counts and logs a failed ping after %s, without the URL\'s secret path, and never throws', async (_case, answer, attempts, detail) => {
    // Prepare
    endpoint.answer(answer);
    const { logger, lines } = recordingLogger();
    const heartbeat = new Heartbeat({ url: endpoint.url, ...FAST, logger });

    // Act
    const result = await heartbeat.start();

    // Assess
    expect(result).toMatchObject({ signal: 'start', ok: false, attempts });
    expect(result.detail).toEqual(typeof detail === 'string' ? detail : expect.stringMatching(detail));
    expect(endpoint.pings).toHaveLength(attempts);
    expect(heartbeat.failedPings).toBe(1);
    expect(lines).toEqual([
      { level: 'warn', message: 'heartbeat ping failed; the run goes on', attributes: { signal: 'start', host: new URL(endpoint.url).host, attempts, detail: result.detail } },
    ]);
    expect(JSON.stringify(lines)).not.toContain(FAKE_PING_UUID);
  });

  it('fails with ECONNREFUSED when nothing listens, after one retry', async () => {
    // Prepare
    const closed = new URL(endpoint.url);
    await endpoint.close();
    const heartbeat = new Heartbeat({ url: closed.href, ...FAST });

    // Act
    const result = await heartbeat.fail('run failed');

    // Assess
    expect(result).toEqual({ signal: 'fail', ok: false, attempts: 2, detail: 'ECONNREFUSED' });
    expect(heartbeat.failedPings).toBe(1);
  });

  it('counts each failed ping of a run', async () => {
    // Prepare
    endpoint.answer({ status: 404 });
    const heartbeat = new Heartbeat({ url: endpoint.url, ...FAST });

    // Act
    await heartbeat.start();
    await heartbeat.fail('run failed');

    // Assess
    expect(heartbeat.failedPings).toBe(2);
  });
});

describe('oneLine', () => {
  it.each([
    ['line breaks and tabs', 'a\nb\r\n\tc', 'a b c'],
    ['characters outside printable ASCII', 'naïve ✓', 'na?ve ?'],
    ['leading and trailing space', '  a  ', 'a'],
    ['exactly the limit', 'x'.repeat(MAX_FAIL_SUMMARY_LENGTH), 'x'.repeat(MAX_FAIL_SUMMARY_LENGTH)],
    ['one over the limit', 'x'.repeat(MAX_FAIL_SUMMARY_LENGTH + 1), `${'x'.repeat(MAX_FAIL_SUMMARY_LENGTH - 3)}...`],
  ])('makes one short printable line of %s', (_case, text, expected) => {
    // Act
    const line = oneLine(text);

    // Assess
    expect(line).toBe(expected);
    expect(line.length).toBeLessThanOrEqual(MAX_FAIL_SUMMARY_LENGTH);
  });
});

describe('heartbeatUrl', () => {
  let ssm: FakeSsm;
  let client: SSMClient;
  const PARAMETER = '/docspace/monitor/heartbeat-url';

  beforeEach(async () => {
    ssm = await startFakeSsm();
    client = new SSMClient({ endpoint: ssm.endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' }, maxAttempts: 1 });
  });

  afterEach(async () => {
    client.destroy();
    await ssm.close();
  });

  it('takes the URL written in the config as it is', () => {
    // Prepare
    const config = parseConfig({ portals: [{ name: 'a', url: 'https://a.example', apiKey: { env: 'K' } }], heartbeat: { url: 'https://hc-ping.com/abc/' } });

    // Act
    const url = heartbeatUrl(config.heartbeat!, () => client);

    // Assess
    expect(url).toBe('https://hc-ping.com/abc');
  });

  it('reads the URL from SSM with decryption once, and pings it', async () => {
    // Prepare
    ssm.putParameter(PARAMETER, `${endpoint.url}/`, 'SecureString');
    const heartbeat = new Heartbeat({ url: heartbeatUrl({ ssmParameter: PARAMETER }, () => client), ...FAST });

    // Act
    await heartbeat.start();
    await heartbeat.success();

    // Assess
    expect(ssm.callsOf('GetParameter')).toEqual([expect.objectContaining({ body: { Name: PARAMETER, WithDecryption: true } })]);
    expect(endpoint.pings.map((ping) => ping.signal)).toEqual(['/start', '']);
  });

  it.each([
    ['the parameter cannot be read', () => ssm.failParameter(PARAMETER, SsmErrors.accessDenied), `ping URL not read (SSM parameter ${PARAMETER}: AccessDeniedException)`],
    ['the parameter holds no URL', () => ssm.putParameter(PARAMETER, 'not a url sk-secret-value'), `ping URL not read (SSM parameter ${PARAMETER} does not hold a ping URL: must be an absolute URL such as "https://hc-ping.com/<uuid>")`],
    ['the parameter holds a plain-http URL', () => ssm.putParameter(PARAMETER, 'http://hc-ping.com/abc'), `ping URL not read (SSM parameter ${PARAMETER} does not hold a ping URL: must use https (http is allowed only for loopback hosts))`],
  ])('counts a failed ping, sending nothing, when %s', async (_case, inject, detail) => {
    // Prepare
    inject();
    const heartbeat = new Heartbeat({ url: heartbeatUrl({ ssmParameter: PARAMETER }, () => client), ...FAST });

    // Act
    const result = await heartbeat.start();

    // Assess
    expect(result).toEqual({ signal: 'start', ok: false, attempts: 0, detail });
    expect(heartbeat.failedPings).toBe(1);
    expect(endpoint.pings).toHaveLength(0);
  });
});
