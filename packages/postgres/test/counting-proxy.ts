import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that counts network round trips: the times the client sends
 * after having received something (statements written together count once).
 */
export interface CountingProxy {
  port: number;
  readonly roundTrips: number;
  close(): Promise<void>;
}

export async function startCountingProxy(target: { host: string; port: number }): Promise<CountingProxy> {
  let roundTrips = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(target);
    sockets.add(client).add(upstream);
    let serverSpokeLast = true;
    client.on('data', (chunk: Buffer) => {
      if (serverSpokeLast) roundTrips++;
      serverSpokeLast = false;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      serverSpokeLast = true;
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
    get roundTrips() {
      return roundTrips;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
