import { randomBytes } from 'node:crypto';
import { expectSwitchyardError, patternBytes } from '@switchyard/contract-tests';
import { describe, expect, it } from 'vitest';
import { sameBytes, streamOf } from './s3-bodies.js';
import { s3rverForSuite } from './s3-server.js';

const MiB = 1024 * 1024;
const id = () => randomBytes(4).toString('hex');

describe('S3Storage put on s3rver', () => {
  const suite = s3rverForSuite();
  const open = suite.open;
  /** Object requests the gate saw since `from` (`METHOD /bucket/key?query`). */
  const requestsSince = (from: number) => suite.server().requests.slice(from);

  // With the SDK's default checksums a streamed body travels aws-chunked: Ceph RGW answers 411,
  // s3rver stores the chunk framing as if it were the object.
  for (const checksums of ['when_supported', 'when_required'] as const) {
    it(`stores a stream of declared length byte for byte in one PutObject (checksums: ${checksums})`, async () => {
      const storage = await open({ checksums });
      const key = `stream-${id()}/body.bin`;
      const body = patternBytes(3 * MiB + 7, 3);
      const before = suite.server().requests.length;
      const info = await storage.put(key, streamOf(body, 64 * 1024), { contentLength: body.byteLength, contentType: 'video/mp4' });
      expect(info.size).toBe(body.byteLength);
      expect(requestsSince(before).filter((line) => line.includes(key))).toHaveLength(1);
      const stored = await storage.get(key);
      expect(stored.info.size).toBe(body.byteLength);
      expect(sameBytes(await stored.bytes(), body)).toBe(true);
    });
  }

  it('streams a Blob with its own size and type in one PutObject', async () => {
    const storage = await open();
    const key = `blob-${id()}/photo.gif`;
    const body = new Uint8Array(patternBytes(200_000, 9));
    const before = suite.server().requests.length;
    const info = await storage.put(key, new File([body], 'photo.gif', { type: 'image/gif' }));
    expect(info).toMatchObject({ size: body.byteLength, contentType: 'image/gif' });
    expect(requestsSince(before).filter((line) => line.includes(key))).toEqual([expect.stringMatching(/^PUT /)]);
    expect(sameBytes(await (await storage.get(key)).bytes(), body)).toBe(true);
  });

  it('refuses a batch holding a key with a lone surrogate before any request, deleting nothing', async () => {
    const storage = await open();
    const good = `surrogate-${id()}/a\uFFFDb`;
    await storage.put(good, 'keep me');
    const before = suite.server().requests.length;
    await expectSwitchyardError(storage.delete([good, `surrogate-${id()}/a\uD800b`]), 'INVALID_INPUT');
    await expectSwitchyardError(storage.delete(`surrogate-${id()}/a\uDC00`), 'INVALID_INPUT');
    expect(requestsSince(before)).toEqual([]);
    expect(await (await storage.get(good)).text()).toBe('keep me');
  });

  it('refuses a body that is no Body with INVALID_INPUT before any request', async () => {
    const storage = await open();
    const before = suite.server().requests.length;
    await expectSwitchyardError(storage.put(`bad-${id()}`, 42 as unknown as Uint8Array), 'INVALID_INPUT');
    await expectSwitchyardError(storage.put(`bad-${id()}`, { length: 3 } as unknown as Uint8Array), 'INVALID_INPUT');
    expect(requestsSince(before)).toEqual([]);
  });
});
