import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that counts, whatever the driver does:
 * - request cycles: ReadyForQuery ('Z') messages, one per simple query or extended-protocol Sync;
 * - round trips: times the client sends after having received something, i.e. the waits on the
 *   network (pipelined statements sent together count once).
 */
export interface CountingProxy {
  port: number;
  readonly cycles: number;
  readonly roundTrips: number;
  close(): Promise<void>;
}

export async function startCountingProxy(target: { host: string; port: number }): Promise<CountingProxy> {
  let cycles = 0;
  let roundTrips = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(target);
    sockets.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    let serverSpokeLast = true;
    client.on('data', (chunk: Buffer) => {
      if (serverSpokeLast) roundTrips++;
      serverSpokeLast = false;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      serverSpokeLast = true;
      // Server messages are all framed as type byte + int32 length (which counts itself).
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5) {
        const length = pending.readInt32BE(1) + 1;
        if (pending.length < length) break;
        if (pending[0] === 0x5a) cycles++;
        pending = pending.subarray(length);
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy did not bind');
  return {
    port: address.port,
    get cycles() {
      return cycles;
    },
    get roundTrips() {
      return roundTrips;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
