import { createLocalStorage, type LocalStorageOptions } from '@switchyard/local';
import { serveHandler } from '@switchyard/test-peers/http';

/** Local storage in a temporary directory (or `options.directory`), its handler served on a free localhost port. */
export async function startLocalStorage(options: Partial<LocalStorageOptions> = {}) {
  const { served, ...rest } = await serveHandler((place) => createLocalStorage({ ...options, ...place }), {
    directory: options.directory,
    path: '/_storage',
  });
  return { storage: served, ...rest };
}
