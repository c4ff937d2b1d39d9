import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OriginPools } from '../../../functions/check/docspace/origin-pools.ts';
import { request, type Dispatcher } from '../../../functions/check/docspace/undici.ts';
import { recordOpenedSockets, type OpenedSockets } from './opened-sockets.ts';

let server: Server;
let origin: string;
let opened: OpenedSockets;

beforeEach(async () => {
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  opened = recordOpenedSockets(port);
});

afterEach(async () => {
  opened.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** One GET whose body is read to the end. */
async function get(dispatcher: Dispatcher): Promise<string> {
  const response = await request(new URL('/x', origin), { dispatcher });
  return response.body.text();
}

describe('OriginPools', () => {
  describe('withPool', () => {
    it("closes the origin's connection when its only call ends", async () => {
      // Prepare
      const pools = new OriginPools();

      // Act
      const body = await pools.withPool(origin, get);

      // Assess
      expect(body).toBe('ok');
      expect(opened.sockets).toHaveLength(1);
      expect(opened.open()).toEqual([]);
    });

    it('keeps the pool, and its idle connection, while another call to the origin is in flight', async () => {
      // Prepare
      const pools = new OriginPools();
      let openWhileHeld = -1;

      // Act
      await pools.withPool(origin, async () => {
        await pools.withPool(origin, get);
        openWhileHeld = opened.open().length;
      });

      // Assess
      expect(opened.sockets).toHaveLength(1);
      expect(openWhileHeld).toBe(1);
      expect(opened.open()).toEqual([]);
    });

    it('makes a new pool for a call that comes after the origin was closed', async () => {
      // Prepare
      const pools = new OriginPools();
      await pools.withPool(origin, get);

      // Act
      const body = await pools.withPool(origin, get);

      // Assess
      expect(body).toBe('ok');
      expect(opened.sockets).toHaveLength(2);
      expect(opened.open()).toEqual([]);
    });

    it('closes the pool when the call rejects, and rejects as it did', async () => {
      // Prepare
      const pools = new OriginPools();
      const failure = new Error('the call failed');

      // Act
      const outcome = pools.withPool(origin, async (dispatcher) => {
        await get(dispatcher);
        throw failure;
      });

      // Assess
      await expect(outcome).rejects.toBe(failure);
      expect(opened.open()).toEqual([]);
    });

    it('builds every pool with the options it was given (a 1-byte size limit here)', async () => {
      // Prepare
      const pools = new OriginPools({ maxResponseSize: 1 });

      // Act
      const outcome = pools.withPool(origin, get);

      // Assess
      await expect(outcome).rejects.toMatchObject({ code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' });
    });
  });

  describe('close', () => {
    it('destroys the pool of a call still in flight', async () => {
      // Prepare
      const pools = new OriginPools();
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let answered: () => void = () => undefined;
      const gotAnswer = new Promise<void>((resolve) => {
        answered = resolve;
      });
      const call = pools.withPool(origin, async (dispatcher) => {
        await get(dispatcher);
        answered();
        await held;
      });
      await gotAnswer;

      // Act
      await pools.close();
      const openAfterClose = opened.open().length;
      release();
      await call;

      // Assess
      expect(opened.sockets).toHaveLength(1);
      expect(openAfterClose).toBe(0);
    });
  });
});
