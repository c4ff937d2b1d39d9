/**
 * The SDK clients' default timeouts: an AWS endpoint that accepts the connection and never
 * answers fails the call in seconds instead of holding the run until Lambda's timeout.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, it, vi } from 'vitest';
import { SnsNotifier } from '../../functions/check/alerts/sns-notifier.ts';
import { SsmKeyReader } from '../../functions/check/api-keys/ssm-key-reader.ts';
import { AWS_REQUEST_HANDLER_TIMEOUTS } from '../../functions/check/aws-client-timeouts.ts';
import { parseConfig } from '../../functions/check/config.ts';
import { DynamoDbStateStore, STATE_WRITE_TIMEOUT_MS } from '../../functions/check/state/dynamodb-state-store.ts';
import { StateStoreError } from '../../functions/check/state/errors.ts';
import { okVerdict } from './alerts/sample-verdicts.ts';
import { renderAlert } from '../../functions/check/alerts/render-alert.ts';

let server: Server;
let endpoint: string;
const sockets = new Set<Socket>();

/** `x-amz-target`s of the requests the client gave up on (closed before an answer). */
const abandoned: string[] = [];

beforeAll(async () => {
  // Never answers, except an SSM GetParameter (the reader's per-name fallback after a failed
  // batch), which is refused at once: a key read then costs one request timeout, not two.
  server = createServer((request, response) => {
    const target = String(request.headers['x-amz-target'] ?? request.url);
    if (target === 'AmazonSSM.GetParameter') {
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'AccessDeniedException', message: 'no' }));
      return;
    }
    response.on('close', () => {
      if (!response.writableEnded) abandoned.push(target);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Only the endpoint, the region, fake credentials and one attempt: the timeouts stay the defaults. */
function clientConfig() {
  return { endpoint, region: 'eu-central-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } };
}

// Concurrent: the three waits below are real (the deployed defaults, 10 s and 5 s) and overlap.
describe.concurrent('AWS client timeouts', () => {
  it('keeps a request timeout well inside a run', ({ expect }) => {
    expect(AWS_REQUEST_HANDLER_TIMEOUTS.requestTimeout).toBeLessThanOrEqual(10_000);
    expect(AWS_REQUEST_HANDLER_TIMEOUTS.connectionTimeout).toBeLessThanOrEqual(5_000);
  });

  it('fails a Publish, a key read and a state read that get no answer, instead of waiting forever', async ({ expect }) => {
    // Prepare
    const notifier = new SnsNotifier({ topicArn: 'arn:aws:sns:eu-central-1:123456789012:alerts', clientConfig: clientConfig() });
    const keys = new SsmKeyReader({ clientConfig: clientConfig() });
    const state = new DynamoDbStateStore({ tableName: 'state', clientConfig: clientConfig() });
    const portals = parseConfig({ portals: [{ name: 'acme', url: 'https://acme.example', apiKey: { ssmParameter: '/docspace/acme' } }] }).portals;

    // Act
    const [published, read, loaded] = await Promise.allSettled([
      notifier.send(renderAlert(okVerdict), okVerdict),
      keys.readKeys(portals),
      state.load(['acme']),
    ]);

    // Assess
    expect(published.status).toBe('rejected');
    expect(String((published as PromiseRejectedResult).reason.message)).toMatch(/TimeoutError|RequestTimeout/);
    // The batch timed out (the client closed it unanswered), then the name alone was refused.
    expect(read.status === 'fulfilled' && read.value.get('acme')).toMatchObject({ ok: false, detail: 'SSM parameter /docspace/acme could not be read: AccessDeniedException' });
    // The server sees a request closed a moment after the client gave up on it.
    await vi.waitFor(() => expect(abandoned).toEqual(expect.arrayContaining(['AmazonSSM.GetParameters', 'DynamoDB_20120810.BatchGetItem'])), { timeout: 10_000 });
    expect(loaded.status).toBe('rejected');
    expect((loaded as PromiseRejectedResult).reason).toBeInstanceOf(StateStoreError);
  }, 60_000);

  it('aborts a Publish that hangs when the run says its time is up', async ({ expect }) => {
    // Prepare
    const notifier = new SnsNotifier({ topicArn: 'arn:aws:sns:eu-central-1:123456789012:alerts', clientConfig: clientConfig() });
    const stop = new AbortController();

    // Act
    const sent = notifier.send(renderAlert(okVerdict), okVerdict, stop.signal);
    setTimeout(() => stop.abort(), 50);

    // Assess
    await expect(sent).rejects.toThrow(/could not be published to arn:aws:sns:eu-central-1:123456789012:alerts: AbortError/);
  });

  it('gives up a state claim after STATE_WRITE_TIMEOUT_MS, retries included, with the deployed attempt count', async ({ expect }) => {
    // Prepare: only the endpoint, region and credentials; attempts and timeouts stay the defaults.
    const { maxAttempts: _one, ...deployedDefaults } = clientConfig();
    const state = new DynamoDbStateStore({ tableName: 'state', clientConfig: deployedDefaults });
    const claim = state.claim({
      portal: 'acme',
      status: 'CRITICAL',
      codes: ['BACKUP_OVERDUE'],
      since: '2026-03-02T07:00:00.000Z',
      notifiedStatus: 'CRITICAL',
      notifiedCodes: ['BACKUP_OVERDUE'],
      runsSinceNotice: 0,
      lastRunKey: 'run-1',
    });

    // Act
    const outcome = await claim.then(
      () => 'claimed',
      (error: unknown) => error,
    );

    // Assess
    expect(outcome).toBeInstanceOf(StateStoreError);
    // The test's own limit is the bound: without it the SDK alone would take 4 x 10 s.
  }, STATE_WRITE_TIMEOUT_MS + 15_000);
});
