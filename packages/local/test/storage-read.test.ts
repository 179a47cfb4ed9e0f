import { createHash, randomBytes } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStorage } from './storage-server.js';

/** Every byte of `body` read back, whole and through ranges, matches. */
async function expectRoundTrip(storage: Awaited<ReturnType<typeof startLocalStorage>>['storage'], key: string, body: Buffer) {
  const whole = await storage.get(key);
  expect(whole.info.size).toBe(body.length);
  expect(Buffer.from(await whole.bytes()).equals(body)).toBe(true);
  const last = body.length - 1;
  const ranges = [
    { start: 0, end: 0 },
    { start: 1, end: 1000 },
    { start: last - 100, end: last },
    { start: Math.floor(body.length / 3), end: Math.floor((2 * body.length) / 3) },
    // Crosses the last 64 KiB, which the first read already brought into memory.
    { start: Math.max(0, body.length - 70_000), end: Math.max(0, body.length - 60_000) },
    { start: 5 },
  ];
  for (const range of ranges) {
    const object = await storage.get(key, { range });
    const end = range.end ?? last;
    expect(object.range).toEqual({ start: range.start, end });
    const bytes = Buffer.from(await object.bytes());
    expect(bytes.equals(body.subarray(range.start, end + 1)), JSON.stringify(range)).toBe(true);
  }
}

describe('LocalStorage reads', () => {
  let started: Awaited<ReturnType<typeof startLocalStorage>>;

  beforeAll(async () => {
    started = await startLocalStorage();
  });

  afterAll(async () => {
    await started?.stop();
  });

  it('round-trips a 4 KiB object, whole and in ranges', async () => {
    const body = randomBytes(4096);
    await started.storage.put('read/small', body, { metadata: { kind: 'small' } });
    await expectRoundTrip(started.storage, 'read/small', body);
    expect((await started.storage.get('read/small')).info.metadata).toEqual({ kind: 'small' });
  });

  it('round-trips an 8 MiB object, whole and in ranges, streamed in chunks', async () => {
    const body = randomBytes(8 * 1024 * 1024);
    await started.storage.put('read/large', body);
    await expectRoundTrip(started.storage, 'read/large', body);
    let chunks = 0;
    for await (const _ of (await started.storage.get('read/large')).body as unknown as AsyncIterable<Uint8Array>) chunks++;
    expect(chunks).toBeGreaterThan(1);
  });

  // A get reads the first 16 KiB before it knows the size (a whole file up to there, no stat) and
  // the last 64 KiB with the trailer: files ending just before, at and after both edges.
  it('round-trips objects whose files end around the first read and the tail read', async () => {
    const fileOf = (key: string) => {
      const hash = createHash('sha256').update(key).digest('hex');
      return join(started.directory, 'objects', hash.slice(0, 2), `${hash}.obj`);
    };
    for (const fileSize of [16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 80 * 1024 + 7]) {
      const key = `read/edge-${fileSize}`;
      // The description holds the size: measured with a body of as many digits.
      const probe = fileSize - 300;
      await started.storage.put(key, new Uint8Array(probe));
      const trailer = (await stat(fileOf(key))).size - probe;
      const body = randomBytes(fileSize - trailer);
      await started.storage.put(key, body);
      expect((await stat(fileOf(key))).size).toBe(fileSize);
      await expectRoundTrip(started.storage, key, body);
    }
    await started.storage.put('read/empty', new Uint8Array(0));
    expect((await (await started.storage.get('read/empty')).bytes()).length).toBe(0);
  });

  it('hands out a small body that shares no memory with other objects', async () => {
    await started.storage.put('read/a', 'aaaa');
    await started.storage.put('read/b', 'bbbb');
    const a = await (await started.storage.get('read/a')).bytes();
    await (await started.storage.get('read/b')).bytes();
    expect(Buffer.from(a.buffer).toString()).not.toContain('bbbb');
  });

  // The first read's buffer is reused from get to get: what a body hands out must never reach the
  // bytes an earlier get left in it.
  it('hands out no bytes of an object read before, whatever the sizes', async () => {
    await started.storage.put('read/medium', 'm'.repeat(12 * 1024));
    await started.storage.put('read/tiny', 't');
    await started.storage.put('read/big', 'L'.repeat(100 * 1024));
    for (let round = 0; round < 3; round++) {
      expect(await (await started.storage.get('read/medium')).text()).toHaveLength(12 * 1024);
      const tiny = await (await started.storage.get('read/tiny')).bytes();
      expect(Buffer.from(tiny.buffer).toString()).not.toContain('mmmm');
      await (await started.storage.get('read/medium')).bytes();
      const reader = (await started.storage.get('read/big')).body.getReader();
      const first = (await reader.read()).value as Uint8Array;
      await reader.cancel();
      expect(Buffer.from(first.buffer).toString()).not.toContain('m');
      expect(Buffer.from(first).toString()).toBe('L'.repeat(first.length));
    }
  });

  it('stops reading a large object when its stream is cancelled, and can read it again', async () => {
    const body = randomBytes(1024 * 1024);
    await started.storage.put('read/cancelled', body);
    const object = await started.storage.get('read/cancelled');
    const reader = object.body.getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    await expectRoundTrip(started.storage, 'read/cancelled', body);
  });

  it('reads an object whose description is longer than the first read', async () => {
    // Written by hand: the API caps metadata well below this, but the file format does not.
    const key = 'read/long-trailer';
    const hash = createHash('sha256').update(key).digest('hex');
    const path = join(started.directory, 'objects', hash.slice(0, 2), `${hash}.obj`);
    const body = randomBytes(3000);
    const json = Buffer.from(
      JSON.stringify({
        key,
        contentType: 'application/octet-stream',
        metadata: { note: 'x'.repeat(100_000) },
        etag: '"e"',
        lastModified: new Date(0).toISOString(),
      }),
    );
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, Buffer.concat([body, json, length]));
    expect((await started.storage.head(key))?.metadata.note).toHaveLength(100_000);
    await expectRoundTrip(started.storage, key, body);
  });
});
