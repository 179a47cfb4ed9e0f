import { randomBytes } from 'node:crypto';
import { expectSwitchyardError, patternBytes } from '@switchyard/contract-tests';
import type { OperationEvent, SwitchyardEvent } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { sameBytes, streamOf } from './s3-bodies.js';
import { s3rverForSuite } from './s3-server.js';

const MiB = 1024 * 1024;
const id = () => randomBytes(4).toString('hex');

describe('S3Storage', () => {
  const suite = s3rverForSuite();
  const open = suite.open;
  /** The S3 calls the gate saw for `key` since `from`, as `METHOD ?query-names`. */
  const callsFor = (key: string, from: number) =>
    suite
      .server()
      .requests.slice(from)
      .filter((line) => line.includes(`/${key}`))
      .map((line) => {
        const [method, url = ''] = line.split(' ');
        const query = new URLSearchParams(url.split('?')[1] ?? '');
        return `${method} ?${[...query.keys()].filter((name) => name !== 'x-id').join('&')}`;
      });

  describe('put', () => {
    it('streams a body of unknown length over the threshold as a multipart upload', async () => {
      const storage = await open({ multipartThreshold: 5 * MiB, partSize: 5 * MiB, queueSize: 2 });
      const key = `multipart/${id()}.bin`;
      const body = patternBytes(11 * MiB + 123);
      const before = suite.server().requests.length;
      const info = await storage.put(key, streamOf(body), { contentType: 'video/mp4', metadata: { owner: 'u1' } });
      expect(info.size).toBe(body.byteLength);
      const calls = callsFor(key, before);
      expect(calls[0]).toBe('POST ?uploads');
      expect(calls.filter((call) => call === 'PUT ?partNumber&uploadId')).toHaveLength(3);
      expect(calls.at(-1)).toBe('POST ?uploadId');
      const object = await storage.get(key);
      expect(object.info).toMatchObject({ size: body.byteLength, contentType: 'video/mp4', metadata: { owner: 'u1' } });
      expect(sameBytes(await object.bytes(), body)).toBe(true);
    });

    it('sends bytes over the threshold as multipart and bytes under it as one PutObject', async () => {
      const storage = await open({ multipartThreshold: 5 * MiB, partSize: 5 * MiB });
      const big = `multipart/${id()}.bin`;
      const small = `single/${id()}.bin`;
      const before = suite.server().requests.length;
      await storage.put(big, patternBytes(6 * MiB));
      await storage.put(small, patternBytes(5 * MiB));
      expect(callsFor(big, before)).toEqual(['POST ?uploads', 'PUT ?partNumber&uploadId', 'PUT ?partNumber&uploadId', 'POST ?uploadId']);
      expect(callsFor(small, before)).toEqual(['PUT ?']);
      expect(sameBytes(await (await storage.get(big)).bytes(), patternBytes(6 * MiB))).toBe(true);
    });

    it('streams a body of declared length under the threshold in one PutObject', async () => {
      const storage = await open();
      const key = `single/${id()}.bin`;
      const body = patternBytes(3 * MiB + 7);
      const before = suite.server().requests.length;
      const info = await storage.put(key, streamOf(body), { contentLength: body.byteLength });
      expect(info.size).toBe(body.byteLength);
      expect(callsFor(key, before)).toEqual(['PUT ?']);
      expect(sameBytes(await (await storage.get(key)).bytes(), body)).toBe(true);
    });

    it('refuses a stream whose length differs from contentLength and stores nothing', async () => {
      const storage = await open();
      const short = `single/${id()}.bin`;
      const long = `single/${id()}.bin`;
      await expectSwitchyardError(storage.put(short, streamOf(patternBytes(1000)), { contentLength: 2000 }), 'INVALID_INPUT');
      await expectSwitchyardError(storage.put(long, streamOf(patternBytes(3000)), { contentLength: 2000 }), 'INVALID_INPUT');
      expect(await storage.head(short)).toBeNull();
      expect(await storage.head(long)).toBeNull();
    });

    it('stops reading a stream at the first chunk past contentLength and cancels it', async () => {
      const storage = await open();
      const key = `single/${id()}.bin`;
      let pulled = 0;
      let cancelled = false;
      // Endless: read to its end, it would never finish (or fill the memory).
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(new Uint8Array(1024));
        },
        cancel() {
          cancelled = true;
        },
      });
      await expectSwitchyardError(storage.put(key, endless, { contentLength: 4096 }), 'INVALID_INPUT');
      expect(pulled).toBeLessThanOrEqual(8);
      expect(cancelled).toBe(true);
      expect(await storage.head(key)).toBeNull();
    });
  });

  describe('get', () => {
    it('reports the whole object size for a range read', async () => {
      const storage = await open();
      const key = `range/${id()}.bin`;
      await storage.put(key, patternBytes(1000), { contentType: 'application/pdf' });
      const part = await storage.get(key, { range: { start: 100, end: 199 } });
      expect(part.range).toEqual({ start: 100, end: 199 });
      expect(part.info.size).toBe(1000);
      expect(part.info.contentType).toBe('application/pdf');
      expect(sameBytes(await part.bytes(), patternBytes(1000).subarray(100, 200))).toBe(true);
    });
  });

  describe('delete', () => {
    it('deletes more than 1,000 keys in batches of at most 1,000', async () => {
      const storage = await open();
      const folder = `batch-${id()}/`;
      const keys = Array.from({ length: 2500 }, (_, i) => `${folder}k${String(i).padStart(4, '0')}`);
      const stored = [keys[0]!, keys[999]!, keys[1000]!, keys[2499]!];
      await Promise.all(stored.map((key) => storage.put(key, key)));
      const before = suite.server().requests.length;
      await storage.delete(keys);
      const batches = suite
        .server()
        .requests.slice(before)
        .filter((line) => /^POST \/[^/?]+\/?\?delete/.test(line));
      expect(batches).toHaveLength(3);
      for (const key of stored) expect(await storage.head(key)).toBeNull();
      expect((await storage.list({ prefix: folder })).items).toEqual([]);
    });

    it('does nothing for an empty list', async () => {
      const storage = await open();
      const before = suite.server().requests.length;
      await storage.delete([]);
      expect(suite.server().requests.length).toBe(before);
    });
  });

  describe('list', () => {
    it('turns continuation tokens into URL-safe cursors and back', async () => {
      const storage = await open();
      const folder = `cursor-${id()}/`;
      const keys = ['a', 'b', 'c', 'd', 'e'].map((name) => `${folder}${name}`);
      await Promise.all(keys.map((key) => storage.put(key, key)));
      const first = await storage.list({ prefix: folder, limit: 2 });
      expect(first.items.map((item) => item.key)).toEqual(keys.slice(0, 2));
      expect(first.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      const second = await storage.list({ prefix: folder, limit: 2, cursor: first.cursor! });
      expect(second.items.map((item) => item.key)).toEqual(keys.slice(2, 4));
      const last = await storage.list({ prefix: folder, limit: 2, cursor: second.cursor! });
      expect(last.items.map((item) => item.key)).toEqual(keys.slice(4));
      expect(last.cursor).toBeUndefined();
    });
  });

  describe('copy', () => {
    // s3rver decodes x-amz-copy-source with decodeURI, which leaves %2B, %26, %3F… encoded, so
    // keys with those characters are covered against the exact header in s3-errors.test.ts.
    it('copies keys with spaces and unicode', async () => {
      const storage = await open();
      const from = `copy-${id()}/фото/été 2026/😀 (1).txt`;
      const to = `copy-${id()}/to 😀/x y.txt`;
      await storage.put(from, 'special', { contentType: 'text/plain', metadata: { tag: 'x' } });
      await storage.copy(from, to);
      const object = await storage.get(to);
      expect(await object.text()).toBe('special');
      expect(object.info.metadata).toEqual({ tag: 'x' });
    });

    it('treats a copy onto itself as done, and NOT_FOUND when it does not exist', async () => {
      const storage = await open();
      const key = `copy-${id()}/self.txt`;
      await storage.put(key, 'self');
      await storage.copy(key, key);
      expect(await (await storage.get(key)).text()).toBe('self');
      await expectSwitchyardError(storage.copy(`${key}.missing`, `${key}.missing`), 'NOT_FOUND');
    });
  });

  describe('events', () => {
    it('reports each call, with the error when it fails', async () => {
      const events: SwitchyardEvent[] = [];
      const storage = await open({ onEvent: (event) => events.push(event) });
      const key = `events-${id()}/x`;
      await storage.put(key, 'x');
      await storage.get(`${key}.missing`).catch(() => undefined);
      const operations = events.filter((event): event is OperationEvent => event.type === 'operation');
      expect(operations.map((event) => [event.operation, event.error?.code])).toEqual([
        ['put', undefined],
        ['get', 'NOT_FOUND'],
      ]);
      expect(operations[0]).toMatchObject({ port: 'storage', provider: 'aws' });
      expect(operations[0]?.durationMs).toBeGreaterThanOrEqual(0);
    });
  });
});
