import { randomBytes } from 'node:crypto';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import type { StoragePort } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage, type S3StorageOptions } from '../src/s3/index.js';
import { type S3rver, startS3rver } from './s3-server.js';

const MiB = 1024 * 1024;
const id = () => randomBytes(4).toString('hex');

function bytes(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

/** A stream of `body` in 64 KiB chunks that does not say how long it is. */
function streamOf(body: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= body.byteLength) return controller.close();
      controller.enqueue(body.slice(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

describe('S3Storage put on s3rver', () => {
  let server: S3rver;
  const opened: StoragePort[] = [];
  const open = async (extra: Partial<S3StorageOptions> = {}) => {
    const storage = await createS3Storage(server.options(extra));
    opened.push(storage);
    return storage;
  };
  /** Object requests the gate saw since `from` (`METHOD /bucket/key?query`). */
  const requestsSince = (from: number) => server.requests.slice(from);

  beforeAll(async () => {
    server = await startS3rver();
  });
  afterAll(async () => {
    await Promise.all(opened.map((storage) => storage.close()));
    await server?.stop();
  });

  // With the SDK's default checksums a streamed body travels aws-chunked: Ceph RGW answers 411,
  // s3rver stores the chunk framing as if it were the object.
  for (const checksums of ['when_supported', 'when_required'] as const) {
    it(`stores a stream of declared length byte for byte in one PutObject (checksums: ${checksums})`, async () => {
      const storage = await open({ checksums });
      const key = `stream-${id()}/body.bin`;
      const body = bytes(3 * MiB + 7, 3);
      const before = server.requests.length;
      const info = await storage.put(key, streamOf(body), { contentLength: body.byteLength, contentType: 'video/mp4' });
      expect(info.size).toBe(body.byteLength);
      expect(requestsSince(before).filter((line) => line.includes(key))).toHaveLength(1);
      const stored = await storage.get(key);
      expect(stored.info.size).toBe(body.byteLength);
      expect(Buffer.from(await stored.bytes()).equals(Buffer.from(body))).toBe(true);
    });
  }

  it('streams a Blob with its own size and type in one PutObject', async () => {
    const storage = await open();
    const key = `blob-${id()}/photo.gif`;
    const body = bytes(200_000, 9);
    const before = server.requests.length;
    const info = await storage.put(key, new File([body], 'photo.gif', { type: 'image/gif' }));
    expect(info).toMatchObject({ size: body.byteLength, contentType: 'image/gif' });
    expect(requestsSince(before).filter((line) => line.includes(key))).toEqual([expect.stringMatching(/^PUT /)]);
    expect(Buffer.from(await (await storage.get(key)).bytes()).equals(Buffer.from(body))).toBe(true);
  });

  it('refuses a batch holding a key with a lone surrogate before any request, deleting nothing', async () => {
    const storage = await open();
    const good = `surrogate-${id()}/a\uFFFDb`;
    await storage.put(good, 'keep me');
    const before = server.requests.length;
    await expectSwitchyardError(storage.delete([good, `surrogate-${id()}/a\uD800b`]), 'INVALID_INPUT');
    await expectSwitchyardError(storage.delete(`surrogate-${id()}/a\uDC00`), 'INVALID_INPUT');
    expect(requestsSince(before)).toEqual([]);
    expect(await (await storage.get(good)).text()).toBe('keep me');
  });

  it('refuses a body that is no Body with INVALID_INPUT before any request', async () => {
    const storage = await open();
    const before = server.requests.length;
    await expectSwitchyardError(storage.put(`bad-${id()}`, 42 as unknown as Uint8Array), 'INVALID_INPUT');
    await expectSwitchyardError(storage.put(`bad-${id()}`, { length: 3 } as unknown as Uint8Array), 'INVALID_INPUT');
    expect(requestsSince(before)).toEqual([]);
  });
});
