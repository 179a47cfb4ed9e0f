import { type BackfillStorageProgress, backfillStorage } from '@switchyard/core';
import { SwitchyardError } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from './memory-ports.js';

async function seeded(keys: string[], etags: 'md5' | 'opaque' = 'md5'): Promise<MemoryStorage> {
  const storage = new MemoryStorage('old', etags);
  for (const key of keys) {
    await storage.put(key, `bytes of ${key}`, { contentType: 'image/png', cacheControl: 'max-age=60', metadata: { owner: key } });
  }
  return storage;
}

describe('backfillStorage', () => {
  it('copies every missing object with its body, content type, cache control and metadata', async () => {
    const from = await seeded(['a/1', 'a/2', 'b/1', 'c/1', 'c/2']);
    const to = new MemoryStorage('new');
    const result = await backfillStorage({ from, to });
    expect(result).toEqual({ examined: 5, copied: 5, skipped: 0, keptNewer: 0, failed: [] });
    const copied = to.objects.get('c/2')!;
    expect(new TextDecoder().decode(copied.bytes)).toBe('bytes of c/2');
    expect(copied.info).toMatchObject({ contentType: 'image/png', cacheControl: 'max-age=60', metadata: { owner: 'c/2' } });
  });

  it('is idempotent: a second run copies nothing, even when the etags cannot be compared', async () => {
    for (const etags of ['md5', 'opaque'] as const) {
      const from = await seeded(['a', 'b', 'c'], etags);
      const to = new MemoryStorage('new', etags);
      await backfillStorage({ from, to });
      const again = await backfillStorage({ from, to });
      expect(again).toEqual({ examined: 3, copied: 0, skipped: 3, keptNewer: 0, failed: [] });
      expect(to.puts).toEqual(['a', 'b', 'c']);
    }
  });

  it('copies again an object the target holds in an older, different version, and never deletes', async () => {
    const from = await seeded(['same', 'size', 'etag']);
    const to = new MemoryStorage('new');
    to.clock = () => new Date(Date.now() - 60_000);
    await to.put('same', 'bytes of same', { contentType: 'image/png', cacheControl: 'max-age=60', metadata: { owner: 'same' } });
    await to.put('size', 'shorter');
    await to.put('etag', 'bytes of xxxx');
    await to.put('only-there', 'kept');
    const result = await backfillStorage({ from, to });
    expect(result).toMatchObject({ copied: 2, skipped: 1, keptNewer: 0 });
    expect(new TextDecoder().decode(to.objects.get('etag')!.bytes)).toBe('bytes of etag');
    expect(to.objects.has('only-there')).toBe(true);
  });

  it('never replaces a version the target got after the source (a write during the run)', async () => {
    const from = await seeded(['photo']);
    from.clock = () => new Date(Date.now() - 60_000);
    await from.put('photo', 'old version');
    const to = new MemoryStorage('new');
    await to.put('photo', 'new version written by the app');
    const result = await backfillStorage({ from, to });
    expect(result).toMatchObject({ copied: 0, keptNewer: 1 });
    expect(new TextDecoder().decode(to.objects.get('photo')!.bytes)).toBe('new version written by the app');
  });

  for (const conditional of [true, false]) {
    it(`loses the race to an app write that lands while it copies (${conditional ? 'conditional put' : 'etag checked again'})`, async () => {
      const from = await seeded(['photo']);
      const to = new MemoryStorage('new');
      to.capabilities.conditionalPut = conditional;
      to.clock = () => new Date(Date.now() - 60_000);
      await to.put('photo', 'stale');
      to.clock = () => new Date();
      // The app overwrites the target after the backfill looked at it and while it reads the source.
      from.beforeGet = () => {
        void to.put('photo', 'written by the app meanwhile');
      };
      const result = await backfillStorage({ from, to });
      expect(result).toMatchObject({ copied: 0, keptNewer: 1 });
      expect(new TextDecoder().decode(to.objects.get('photo')!.bytes)).toBe('written by the app meanwhile');
    });
  }

  it('limits itself to a prefix', async () => {
    const from = await seeded(['avatars/1', 'avatars/2', 'docs/1']);
    const to = new MemoryStorage('new');
    expect(await backfillStorage({ from, to, prefix: 'avatars/' })).toMatchObject({ examined: 2, copied: 2 });
    expect([...to.objects.keys()]).toEqual(['avatars/1', 'avatars/2']);
  });

  it('goes on past a failing key, reports it, and a later run copies it', async () => {
    const from = await seeded(['a', 'b', 'c']);
    const to = new MemoryStorage('new');
    to.failPut.add('b');
    const first = await backfillStorage({ from, to, concurrency: 1 });
    expect(first.copied).toBe(2);
    expect(first.failed.map((f) => f.key)).toEqual(['b']);
    expect(SwitchyardError.hasCode(first.failed[0]!.error, 'UNAVAILABLE')).toBe(true);
    expect(await backfillStorage({ from, to })).toMatchObject({ copied: 1, skipped: 2, failed: [] });
  });

  it('counts an object deleted at the source after listing as skipped', async () => {
    const from = await seeded(['a', 'b']);
    from.beforeGet = (key) => {
      if (key === 'b') from.objects.delete('b');
    };
    const to = new MemoryStorage('new');
    expect(await backfillStorage({ from, to })).toEqual({ examined: 2, copied: 1, skipped: 1, keptNewer: 0, failed: [] });
  });

  it('reports progress per page with a cursor that resumes the listing', async () => {
    const from = await seeded(['a', 'b', 'c', 'd', 'e']);
    const to = new MemoryStorage('new');
    const progress: BackfillStorageProgress[] = [];
    await backfillStorage({ from, to, onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => [p.examined, p.copied, p.cursor])).toEqual([
      [2, 2, '2'],
      [4, 4, '4'],
      [5, 5, undefined],
    ]);
    const resumed = new MemoryStorage('resumed');
    expect(await backfillStorage({ from, to: resumed, cursor: progress[0]!.cursor! })).toMatchObject({ examined: 3, copied: 3 });
    expect([...resumed.objects.keys()]).toEqual(['c', 'd', 'e']);
  });

  it('copies with at most `concurrency` objects in flight', async () => {
    const from = await seeded(['a', 'b', 'c', 'd']);
    const to = new MemoryStorage('new');
    let inFlight = 0;
    let most = 0;
    const put = to.put.bind(to);
    to.put = async (...args) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return put(...args);
    };
    await backfillStorage({ from, to, concurrency: 2 });
    expect(most).toBe(2);
  });

  it('refuses a bad concurrency or the same storage on both sides before any I/O', async () => {
    const from = await seeded(['a']);
    const to = new MemoryStorage('new');
    await expect(backfillStorage({ from, to, concurrency: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(backfillStorage({ from, to: from })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(to.puts).toEqual([]);
  });
});
