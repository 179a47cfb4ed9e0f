import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Something with a Node request handler that resolves false for requests it does not answer (as local storage's handle). */
export interface WithHandler {
  handler(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export interface ServedHandler<T extends WithHandler> {
  /** What `create` made. */
  served: T;
  /** The working directory `create` was given. */
  directory: string;
  /** Where the handler is mounted. */
  baseUrl: string;
  /** Closes the server, and removes the directory when it was a temporary one. */
  stop(): Promise<void>;
}

/**
 * Serves the handler of what `create` makes on a free 127.0.0.1 port, with a working directory
 * (a fresh temporary one unless `options.directory` is given). `create` is given the base URL
 * because the links its handler answers must name it; anything it does not handle answers 404.
 */
export async function serveHandler<T extends WithHandler>(
  create: (place: { directory: string; baseUrl: string }) => Promise<T>,
  options: { directory?: string; path?: string } = {},
): Promise<ServedHandler<T>> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'sy-served-')));
  let served: T | undefined;
  const server = createServer((req, res) => {
    void served?.handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}${options.path ?? ''}`;
  served = await create({ directory, baseUrl });
  return {
    served,
    directory,
    baseUrl,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.directory) await rm(directory, { recursive: true, force: true });
    },
  };
}
