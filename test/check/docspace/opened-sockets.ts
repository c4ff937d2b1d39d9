/**
 * Records the TCP connections this process opens to one port, from Node's `net.client.socket`
 * diagnostics channel, so a test can tell whether a client left them open. Shared by the
 * DocSpace client's tests and origin-pools' tests.
 */
import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/** Connections opened while recording. */
export interface OpenedSockets {
  /** The connections to the port, in the order they connected. */
  readonly sockets: readonly Socket[];
  /** Those not destroyed yet: still open, or idle and kept alive. */
  open(): Socket[];
  /** Stops recording. */
  stop(): void;
}

/**
 * Starts recording connections to `port` on this process.
 *
 * @param port - the server's port (other connections are ignored)
 */
export function recordOpenedSockets(port: number): OpenedSockets {
  const sockets: Socket[] = [];
  const onSocket = (message: unknown): void => {
    const { socket } = message as { socket: Socket };
    socket.once('connect', () => {
      if (socket.remotePort === port) sockets.push(socket);
    });
  };
  diagnostics.subscribe('net.client.socket', onSocket);
  return {
    sockets,
    open: () => sockets.filter((socket) => !socket.destroyed),
    stop: () => diagnostics.unsubscribe('net.client.socket', onSocket),
  };
}
