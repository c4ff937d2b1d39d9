import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool as IndexPool } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Pool, request } from '../../../functions/check/docspace/undici.ts';

/** What the loopback server saw of each request. */
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

let server: Server;
let origin: string;
let seen: Seen[];
let pool: InstanceType<typeof Pool> | undefined;

beforeEach(async () => {
  seen = [];
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (req.url === '/slow') return;
    res.writeHead(200, { 'content-type': 'application/json', 'x-answer': 'yes' }).end('{"status":0}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await pool?.destroy();
  pool = undefined;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function readJson(path: string): { version?: string; dependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version?: string; dependencies?: Record<string, string> };
}

describe('undici internal paths', () => {
  it('pins undici to an exact version in package.json, and that version is installed', () => {
    // Prepare
    const pinned = readJson('../../../package.json').dependencies?.undici;

    // Act
    const installed = readJson('../../../node_modules/undici/package.json').version;

    // Assess
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed).toBe(pinned);
  });
});

describe('Pool', () => {
  it("is undici's own Pool class (lib/dispatcher/pool.js is what its index exports)", () => {
    // Act & Assess
    expect(Pool).toBe(IndexPool);
  });

  it('has the methods the client calls', () => {
    // Prepare
    pool = new Pool(origin);

    // Act & Assess
    expect(typeof pool.dispatch).toBe('function');
    expect(typeof pool.destroy).toBe('function');
    expect(typeof pool.close).toBe('function');
  });
});

describe('request', () => {
  it('sends a GET with the path, query and headers through a pool and reads the answer', async () => {
    // Prepare
    pool = new Pool(origin);

    // Act
    const response = await request(new URL('/api/2.0/settings?x=1', origin), { dispatcher: pool, method: 'GET', headers: { accept: 'application/json' } });
    const body = await response.body.text();

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-answer']).toBe('yes');
    expect(body).toBe('{"status":0}');
    expect(seen).toEqual([expect.objectContaining({ method: 'GET', url: '/api/2.0/settings?x=1', headers: expect.objectContaining({ accept: 'application/json' }) })]);
  });

  it("fails with undici's error codes, which the client classifies (a headers timeout here)", async () => {
    // Prepare
    pool = new Pool(origin, { headersTimeout: 50 });

    // Act
    const outcome = request(new URL('/slow', origin), { dispatcher: pool });

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
  });

  it('fails with the abort reason when the signal aborts', async () => {
    // Prepare
    pool = new Pool(origin);
    const controller = new AbortController();
    const reason = new Error('stopped by the caller');

    // Act
    const outcome = request(new URL('/slow', origin), { dispatcher: pool, signal: controller.signal });
    controller.abort(reason);

    // Assess
    await expect(outcome).rejects.toBe(reason);
  });
});
