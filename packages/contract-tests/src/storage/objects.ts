import { keyCharactersProblem } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { expectSwitchyardError } from '../expect-error.js';
import { patternBytes } from '../random.js';
import type { StorageSuiteContext } from './context.js';

const MiB = 1024 * 1024;

export function objectCases(ctx: StorageSuiteContext): void {
  describe('put, get and head', () => {
    for (const size of [0, 1, 5 * MiB]) {
      it(`round-trips ${size} bytes with content type and metadata kept`, async () => {
        const key = ctx.key();
        const body = patternBytes(size, size + 1);
        const put = await ctx.port().put(key, body, {
          contentType: 'image/png',
          cacheControl: 'max-age=60',
          metadata: { owner: 'user-1', 'original-name': 'me.png' },
        });
        expect(put.key).toBe(key);
        expect(put.size).toBe(size);

        const object = await ctx.port().get(key);
        const bytes = await object.bytes();
        expect(bytes.byteLength).toBe(size);
        expect(Buffer.from(bytes).equals(Buffer.from(body))).toBe(true);
        expect(object.info.contentType).toBe('image/png');
        expect(object.info.metadata).toEqual({ owner: 'user-1', 'original-name': 'me.png' });

        const head = await ctx.port().head(key);
        expect(head).not.toBeNull();
        expect(head?.size).toBe(size);
        expect(head?.contentType).toBe('image/png');
        expect(head?.metadata).toEqual({ owner: 'user-1', 'original-name': 'me.png' });
        expect(head?.lastModified).toBeInstanceOf(Date);
      });
    }

    it('accepts a streamed body of unknown length', async () => {
      const key = ctx.key();
      const chunks = [patternBytes(1000, 1), patternBytes(70_000, 2), patternBytes(3, 3)];
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      });
      await ctx.port().put(key, stream, { contentType: 'application/octet-stream' });
      const bytes = await (await ctx.port().get(key)).bytes();
      expect(Buffer.from(bytes).equals(Buffer.concat(chunks))).toBe(true);
    });

    it('replaces an existing object', async () => {
      const key = ctx.key();
      await ctx.port().put(key, 'first', { contentType: 'text/plain', metadata: { v: '1' } });
      await ctx.port().put(key, 'second version', { contentType: 'text/markdown' });
      const object = await ctx.port().get(key);
      expect(await object.text()).toBe('second version');
      expect(object.info.contentType).toBe('text/markdown');
      expect(object.info.metadata).toEqual({});
    });

    it('returns null from head for a missing key', async () => {
      expect(await ctx.port().head(ctx.key())).toBeNull();
    });

    it('throws NOT_FOUND from get for a missing key', async () => {
      const error = await expectSwitchyardError(ctx.port().get(ctx.key()), 'NOT_FOUND');
      expect(error.port).toBe('storage');
    });

    it('writes 50 concurrent puts that are all readable', async () => {
      const folder = ctx.folder();
      const keys = Array.from({ length: 50 }, (_, i) => `${folder}item-${i}`);
      await Promise.all(keys.map((key, i) => ctx.port().put(key, `payload ${i}`, { contentType: 'text/plain' })));
      const texts = await Promise.all(keys.map(async (key) => (await ctx.port().get(key)).text()));
      expect(texts).toEqual(keys.map((_, i) => `payload ${i}`));
    });
  });

  describe('delete', () => {
    it('removes an object and is idempotent', async () => {
      const key = ctx.key();
      await ctx.port().put(key, 'x');
      await ctx.port().delete(key);
      expect(await ctx.port().head(key)).toBeNull();
      await expect(ctx.port().delete(key)).resolves.toBeUndefined();
    });

    it('removes many keys in one call, ignoring missing ones', async () => {
      const folder = ctx.folder();
      const keys = Array.from({ length: 25 }, (_, i) => `${folder}k${i}`);
      await Promise.all(keys.map((key) => ctx.port().put(key, key)));
      await ctx.port().delete([...keys, `${folder}never-existed`]);
      const heads = await Promise.all(keys.map((key) => ctx.port().head(key)));
      expect(heads.every((head) => head === null)).toBe(true);
      const page = await ctx.port().list({ prefix: folder });
      expect(page.items).toEqual([]);
    });
  });

  describe('list', () => {
    it('returns every key under the prefix exactly once across cursors, in order', async () => {
      const folder = ctx.folder();
      const names = ['a', 'b/1', 'b/2', 'c', 'd.txt', 'e e', 'f/g/h', 'zz'];
      // Only names the provider declares it can hold (a space is not in every keyCharacters).
      const keyCharacters = ctx.port().capabilities.keyCharacters;
      const expected = names
        .map((name) => `${folder}${name}`)
        .filter((key) => keyCharactersProblem(key, keyCharacters) === null)
        .sort();
      await Promise.all(expected.map((key) => ctx.port().put(key, key)));
      await ctx.port().put(`${folder.slice(0, -1)}-outside/x`, 'not under the prefix');

      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await ctx.port().list({ prefix: folder, limit: 3, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((item) => item.key));
        cursor = page.cursor;
        pages++;
        expect(pages, 'list never ended').toBeLessThan(20);
      } while (cursor);
      expect(seen).toEqual(expected);
      expect(pages).toBeGreaterThanOrEqual(3);
    });

    it('reports size and last modified for each item', async () => {
      const folder = ctx.folder();
      await ctx.port().put(`${folder}sized`, patternBytes(1234));
      const page = await ctx.port().list({ prefix: folder });
      expect(page.items).toHaveLength(1);
      expect(page.items[0]?.size).toBe(1234);
      expect(page.items[0]?.lastModified).toBeInstanceOf(Date);
      expect(page.cursor).toBeUndefined();
    });

    it('refuses a limit outside 1–1000', async () => {
      await expectSwitchyardError(ctx.port().list({ limit: 0 }), 'INVALID_INPUT');
      await expectSwitchyardError(ctx.port().list({ limit: 1001 }), 'INVALID_INPUT');
    });
  });

  describe('copy', () => {
    it('copies bytes, content type and metadata', async () => {
      const from = ctx.key('from.txt');
      const to = ctx.key('to.txt');
      await ctx.port().put(from, 'copy me', { contentType: 'text/plain', metadata: { tag: 'x' } });
      await ctx.port().copy(from, to);
      const object = await ctx.port().get(to);
      expect(await object.text()).toBe('copy me');
      expect(object.info.contentType).toBe('text/plain');
      expect(object.info.metadata).toEqual({ tag: 'x' });
      expect(await (await ctx.port().get(from)).text()).toBe('copy me');
    });

    it('throws NOT_FOUND when the source is missing', async () => {
      await expectSwitchyardError(ctx.port().copy(ctx.key(), ctx.key()), 'NOT_FOUND');
    });
  });
}
