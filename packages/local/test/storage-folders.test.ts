import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStorage } from './storage-server.js';

// The storage remembers which folders exist to skip mkdir on every put; that memory must never
// turn into a failed write when the folders disappear underneath it.
describe('LocalStorage folders removed behind its back', () => {
  let started: Awaited<ReturnType<typeof startLocalStorage>>;

  beforeAll(async () => {
    started = await startLocalStorage();
  });

  afterAll(async () => {
    await started?.stop();
  });

  it('still writes after the whole data folder was emptied', async () => {
    await started.storage.put('albums/2026/one.txt', 'one');
    await rm(started.directory, { recursive: true, force: true });
    await started.storage.put('albums/2026/two.txt', 'two');
    expect(await (await started.storage.get('albums/2026/two.txt')).text()).toBe('two');
    expect(await started.storage.head('albums/2026/one.txt')).toBeNull();
  });
});
