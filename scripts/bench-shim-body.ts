/**
 * Used by the bench comparison bench-shim-node-http.ts: the errors undici throws, by code, and
 * a response body with undici's body timeout, size cap, `dump()` and `destroy()`. Not used by
 * the monitor.
 */
import { Readable } from 'node:stream';

/** Error codes the client's `classifyTransportError` branches on. */
export const UndiciCode = {
  CONNECT_TIMEOUT: 'UND_ERR_CONNECT_TIMEOUT',
  HEADERS_TIMEOUT: 'UND_ERR_HEADERS_TIMEOUT',
  BODY_TIMEOUT: 'UND_ERR_BODY_TIMEOUT',
  TOO_LARGE: 'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  SOCKET: 'UND_ERR_SOCKET',
} as const;

/** An error carrying one of undici's codes, so the client classifies it as it does undici's. */
export class TransportCodeError extends Error {
  public readonly code: string;

  public constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransportCodeError';
    this.code = code;
  }
}

/** The limits a body is read with. */
export interface BodyLimits {
  /** Longest silence between two chunks, in ms. */
  readonly bodyTimeoutMs: number;
  /** Largest body, in bytes; -1 for none. */
  readonly maxResponseBytes: number;
}

/** A response body as the client reads undici's: async-iterable chunks, `dump()` and `destroy()`. */
export type ResponseBody = Readable & { dump(): Promise<void> };

/** How much of a body `dump()` reads before it gives up on reusing the connection. */
const DUMP_LIMIT_BYTES = 128 * 1024;

/**
 * Wraps a source of chunks (a Node response, or a web stream made Readable) with a body
 * timeout that restarts on every chunk and a byte cap; both end the body with undici's code.
 *
 * @param source - the raw body
 * @param limits - the timeout and cap
 */
export function limitedBody(source: Readable, limits: BodyLimits): ResponseBody {
  let received = 0;
  let timer: NodeJS.Timeout | undefined;
  const body = new Readable({
    read() {
      source.resume();
    },
    destroy(error, callback) {
      clearTimeout(timer);
      source.destroy();
      callback(error);
    },
  }) as ResponseBody;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(
      () => body.destroy(new TransportCodeError(UndiciCode.BODY_TIMEOUT, `no body data for ${limits.bodyTimeoutMs} ms`)),
      limits.bodyTimeoutMs,
    );
  };
  arm();
  source.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (limits.maxResponseBytes >= 0 && received > limits.maxResponseBytes) {
      body.destroy(new TransportCodeError(UndiciCode.TOO_LARGE, `the body exceeds ${limits.maxResponseBytes} bytes`));
      return;
    }
    arm();
    if (!body.push(chunk)) source.pause();
  });
  source.once('end', () => {
    clearTimeout(timer);
    body.push(null);
  });
  source.once('error', (error) => body.destroy(error));
  source.once('close', () => {
    if (!source.readableEnded && !body.destroyed)
      body.destroy(new TransportCodeError(UndiciCode.SOCKET, 'the connection closed before the body ended', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) }));
  });
  body.dump = async () => {
    let read = 0;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        read += chunk.length;
        if (read > DUMP_LIMIT_BYTES) break;
      }
    } finally {
      body.destroy();
    }
  };
  return body;
}
