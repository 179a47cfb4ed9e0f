import { createLocalStorage } from '@switchyard/local';
import { serveHandler } from '@switchyard/test-peers/http';

/** `@switchyard/local` storage in a temporary directory, its handler served on a free localhost port. */
export async function startLocalStorage() {
  const { served: storage, stop } = await serveHandler((place) => createLocalStorage(place), { path: '/_storage' });
  return { storage, stop };
}
