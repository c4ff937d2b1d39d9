/**
 * A local Healthchecks.io-style ping endpoint on 127.0.0.1: records every ping (path, method,
 * body) and answers `OK`, or as a test tells it to (a status, no answer at all, a reset).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One ping received. */
export interface RecordedPing {
  readonly method: string;
  /** The path after the check's base path: `''`, `'/start'` or `'/fail'`. */
  readonly signal: string;
  readonly body: string;
  readonly contentType?: string;
}

/** How the fake answers a ping. */
export type PingAnswer = { readonly status: number } | 'hang' | 'reset';

/** A running fake ping endpoint. */
export interface FakeHeartbeat {
  /** The check's ping URL, e.g. `http://127.0.0.1:41234/ping/5f0c9d2e-…`. */
  readonly url: string;
  /** Every ping received, in order (retries included). */
  readonly pings: RecordedPing[];
  /** Answers the next `times` pings (or every one) this way. */
  answer(answer: PingAnswer, options?: { readonly times?: number }): void;
  close(): Promise<void>;
}

/** The secret part of the fake's URL: it must never show up in a log line. */
export const FAKE_PING_UUID = '5f0c9d2e-7a1b-4c3d-9e8f-canaryping001';

/**
 * Starts a fake ping endpoint on a random loopback port.
 *
 * @example
 * const heartbeat = await startFakeHeartbeat();
 * heartbeat.answer({ status: 500 }, { times: 1 });
 */
export async function startFakeHeartbeat(): Promise<FakeHeartbeat> {
  const pings: RecordedPing[] = [];
  const answers: { answer: PingAnswer; remaining: number }[] = [];
  const base = `/ping/${FAKE_PING_UUID}`;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      pings.push({
        method: request.method ?? '',
        signal: path.startsWith(base) ? path.slice(base.length) : `(unexpected path ${path})`,
        body: Buffer.concat(chunks).toString('utf8'),
        ...(request.headers['content-type'] === undefined ? {} : { contentType: request.headers['content-type'] }),
      });
      const next = answers.find((candidate) => candidate.remaining > 0);
      if (next) next.remaining -= 1;
      const answer = next?.answer ?? { status: 200 };
      if (answer === 'hang') return;
      if (answer === 'reset') {
        request.socket.destroy();
        return;
      }
      response.writeHead(answer.status, { 'content-type': 'text/plain' });
      response.end(answer.status === 200 ? 'OK' : 'not OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    pings,
    answer(answer, options = {}) {
      answers.push({ answer, remaining: options.times ?? Number.POSITIVE_INFINITY });
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
