import { createServer, type Server } from 'node:http';

/** Serves JSON documents (key sets) at fixed paths on a free port; counts the requests. */
export interface JwksServer {
  origin: string;
  readonly requests: number;
  close(): Promise<void>;
}

export async function startJwksServer(documents: Record<string, unknown>): Promise<JwksServer> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    const document = documents[new URL(req.url ?? '/', 'http://x').pathname];
    res.writeHead(document ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(document ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('JWKS server did not bind');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
