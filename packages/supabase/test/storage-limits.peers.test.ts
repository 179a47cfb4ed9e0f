import { expectSwitchyardError, patternBytes, randomId } from '@switchyard/contract-tests';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { countingFetch, suiteBucket } from './storage-peer.js';

/** A stream whose length nobody knows in advance, as from a request body being piped through. */
function unsizedStream(bytes: Uint8Array, chunk = 256): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}

describe('SupabaseStorage limits against the real Storage API server', () => {
  const limited = suiteBucket({ fileSizeLimit: 1000 });
  const open = suiteBucket();

  describe("the bucket's file_size_limit", () => {
    it('refuses a streamed upload of unknown size that outgrows it, storing nothing', async () => {
      const storage = await limited.open();
      const key = `big-${randomId()}`;
      const error = await expectSwitchyardError(storage.put(key, unsizedStream(patternBytes(3000))), 'INVALID_INPUT');
      expect(error.message).toMatch(/1000 bytes/);
      expect(await storage.head(key)).toBeNull();
    });

    it('still stores a streamed upload of unknown size within it', async () => {
      const storage = await limited.open();
      const key = `small-${randomId()}`;
      const body = patternBytes(1000);
      expect((await storage.put(key, unsizedStream(body))).size).toBe(1000);
      expect(Buffer.from(await (await storage.get(key)).bytes()).equals(Buffer.from(body))).toBe(true);
    });

    it('refuses a body of known size over it before sending it', async () => {
      const counting = countingFetch();
      const storage = await limited.open({ fetch: counting.fetch });
      await storage.head(`warm-${randomId()}`);
      const before = counting.requests.length;
      await expectSwitchyardError(storage.put(`k-${randomId()}`, patternBytes(1001)), 'INVALID_INPUT');
      expect(counting.requests.slice(before)).toEqual([]);
    });

    it('applies fileSizeLimit from the options to streamed uploads where the bucket sets none', async () => {
      const storage = await open.open({ fileSizeLimit: 500 });
      const key = `opt-${randomId()}`;
      await expectSwitchyardError(storage.put(key, unsizedStream(patternBytes(800))), 'INVALID_INPUT');
      expect(await storage.head(key)).toBeNull();
    });
  });

  describe('createUploadUrl', () => {
    it("reports expiresAt from the signed token's own exp and declares the server's lifetime", async () => {
      // The peers tier starts the server with UPLOAD_SIGNED_URL_EXPIRATION_TIME=120 (neither 60 nor 7200).
      const storage = await open.open();
      const before = Date.now();
      const target = await storage.createUploadUrl(`u-${randomId()}`);
      const seconds = (target.expiresAt.getTime() - before) / 1000;
      expect(seconds).toBeGreaterThan(115);
      expect(seconds).toBeLessThanOrEqual(121);
      expect(storage.capabilities.uploadUrlExpiry).toBe(120);
    });
  });

  describe('list', () => {
    it('walks a large flat folder with one request per page', async () => {
      const folder = `flat-${randomId()}/`;
      const count = 2500;
      const db = new pg.Client({ connectionString: open.peer().dbUrl });
      await db.connect();
      try {
        // Listing reads only the objects table, so seeding rows there is an honest (and fast) stand-in for uploads.
        await db.query(
          `insert into storage.objects (bucket_id, name, metadata)
           select $1, $2 || lpad(i::text, 5, '0'), jsonb_build_object('size', 1, 'eTag', '"e"', 'mimetype', 'text/plain')
           from generate_series(1, $3::int) as i`,
          [open.name(), folder, count],
        );
      } finally {
        await db.end();
      }
      const counting = countingFetch();
      const storage = await open.open({ fetch: counting.fetch });
      const keys: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await storage.list({ prefix: folder, ...(cursor ? { cursor } : {}) });
        keys.push(...page.items.map((item) => item.key));
        cursor = page.cursor;
      } while (cursor);
      expect(keys.length).toBe(count);
      expect(keys).toEqual([...keys].sort());
      expect(counting.requests.filter((request) => request.includes('/object/list')).length).toBe(Math.ceil(count / 1000));
    });
  });
});
