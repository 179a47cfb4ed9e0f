import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { KeySetFault } from '../fixtures.js';

/** A JWKS endpoint for tests that counts its downloads and can be made to fail (see `KeySetFault`). */
export interface KeySetServer {
  /** Serves the key set at any path under this origin. */
  readonly url: string;
  set(mode: KeySetFault): Promise<void>;
  /** Requests received so far, answered or not (a refused connection never arrives). */
  fetches(): number;
  close(): Promise<void>;
}

/**
 * Starts a key-set server on 127.0.0.1 whose answer is `keys()` at request time (so a rotation at
 * the source shows at once). `refuse` closes the listening socket, so connections are refused as
 * from a host that is down; `error` answers 500; `hang` accepts and never answers.
 */
export async function startKeySetServer(keys: () => Promise<readonly object[]>): Promise<KeySetServer> {
  let mode: KeySetFault = 'pass';
  let count = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => {
    count++;
    if (mode === 'error') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('key set unavailable');
    if (mode === 'hang') return;
    keys().then(
      (list) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: list })),
      (error: unknown) => res.writeHead(502).end(String(error)),
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const stop = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  };
  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async set(next) {
      if (next === 'refuse' && server.listening) await stop();
      if (next !== 'refuse' && !server.listening) await listen(port);
      // Requests left hanging by a previous `hang` end with the fault.
      if (mode === 'hang' && next !== 'hang') for (const socket of sockets) socket.destroy();
      mode = next;
    },
    fetches: () => count,
    close: stop,
  };
}
