import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalStorage, type LocalStorageHandle, type LocalStorageOptions } from '@switchyard/local';

/** Local storage in a temporary directory, its handler served on a free localhost port. */
export async function startLocalStorage(options: Partial<LocalStorageOptions> = {}): Promise<{
  storage: LocalStorageHandle;
  directory: string;
  /** Where the handler is mounted. */
  baseUrl: string;
  stop(): Promise<void>;
}> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'sy-storage-')));
  let storage: LocalStorageHandle | undefined;
  const server = createServer((req, res) => {
    void storage?.handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/_storage`;
  storage = await createLocalStorage({ ...options, directory, baseUrl });
  return {
    storage,
    directory,
    baseUrl,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.directory) await rm(directory, { recursive: true, force: true });
    },
  };
}
