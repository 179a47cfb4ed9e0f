import { expectSwitchyardError, randomId } from '@switchyard/contract-tests';
import type { StoragePort } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeStorage } from './fakes/storage-api.js';
import { startSupabaseStorage } from './storage-fixture.js';

describe('SupabaseStorage', () => {
  let storage: StoragePort;
  let fake: FakeStorage;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ storage, fake, stop } = await startSupabaseStorage());
  });
  afterAll(() => stop());

  async function listAll(prefix: string, limit: number, between?: (page: number) => Promise<void>): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | undefined;
    let page = 0;
    do {
      const result = await storage.list({ prefix, limit, ...(cursor ? { cursor } : {}) });
      seen.push(...result.items.map((item) => item.key));
      cursor = result.cursor;
      await between?.(++page);
    } while (cursor);
    return seen;
  }

  describe('list', () => {
    it('returns a long listing across nested folders in byte order, each key once', async () => {
      const root = `long-${randomId()}/`;
      const keys: string[] = [];
      // More than one 1,000-entry offset page in a folder, nested folders, and names that sort
      // before "/" ("b-x", "b.txt") next to folder "b/".
      for (let i = 0; i < 1100; i++) keys.push(`${root}flat/${String(i).padStart(4, '0')}`);
      for (const name of ['b/1', 'b/c/2', 'b-x', 'b.txt', 'a', 'z/y/x/w']) keys.push(`${root}${name}`);
      for (const key of keys) fake.seed(key);
      const seen = await listAll(root, 97);
      expect(seen).toEqual([...keys].sort());
    });

    it('neither loses nor repeats keys when objects are added and removed between pages', async () => {
      const root = `moving-${randomId()}/`;
      const original = Array.from({ length: 60 }, (_, i) => `${root}d${i % 3}/k${String(i).padStart(3, '0')}`);
      for (const key of original) fake.seed(key);
      const removed = new Set<string>();
      const seen = await listAll(root, 7, async (page) => {
        if (page !== 2) return;
        // Deleting keys already listed would shift an offset cursor forward and skip keys.
        for (const key of original.slice(0, 10)) removed.add(key);
        await storage.delete(original.slice(0, 10));
        fake.seed(`${root}d0/k000a`);
      });
      expect(new Set(seen).size).toBe(seen.length);
      for (const key of original) if (!removed.has(key)) expect(seen).toContain(key);
    });

    it('treats the prefix as a string prefix, not a folder, and matches its case exactly', async () => {
      const root = `pre-${randomId()}/`;
      for (const key of [`${root}photo-1`, `${root}photo-2`, `${root}Photo-3`, `${root}photos/x`, `${root}other`]) fake.seed(key);
      const page = await storage.list({ prefix: `${root}photo` });
      expect(page.items.map((item) => item.key)).toEqual([`${root}photo-1`, `${root}photo-2`, `${root}photos/x`]);
    });
  });

  describe('keys', () => {
    it('refuses characters Supabase Storage rejects before any request', async () => {
      const before = fake.requests.length;
      await expectSwitchyardError(storage.put('photos/été.jpg', 'x'), 'INVALID_INPUT');
      await expectSwitchyardError(storage.get('what?.txt'), 'INVALID_INPUT');
      expect(fake.requests.length).toBe(before);
    });
  });

  describe('error mapping', () => {
    const cases: [number, Record<string, string>, string][] = [
      [429, { statusCode: '429', error: 'too_many_requests', message: 'Too many requests' }, 'RATE_LIMITED'],
      [503, { statusCode: '503', error: 'unavailable', message: 'Service unavailable' }, 'UNAVAILABLE'],
      [403, { statusCode: '403', error: 'Unauthorized', message: 'new row violates row-level security policy' }, 'FORBIDDEN'],
      [400, { statusCode: '404', error: 'not_found', message: 'Object not found' }, 'NOT_FOUND'],
    ];
    for (const [status, body, code] of cases) {
      it(`maps HTTP ${status} (${body.statusCode}) to ${code}, keeping the cause`, async () => {
        fake.failNext({ path: '/object/copy', status, body });
        const error = await expectSwitchyardError(storage.copy(`e-${randomId()}/a`, `e-${randomId()}/b`), code as never);
        expect(error.port).toBe('storage');
        expect(error.provider).toBe('supabase');
        expect(error.operation).toBe('copy');
        expect((error.cause as { name?: string }).name).toBe('StorageApiError');
      });
    }

    it('maps a server that cannot be reached to UNAVAILABLE', async () => {
      const { storage: orphan, stop: stopOrphan } = await startSupabaseStorage();
      await stopOrphan();
      const error = await expectSwitchyardError(orphan.head('a/b'), 'UNAVAILABLE');
      expect(error.retryable).toBe(true);
    });

    it('reports a missing object as NOT_FOUND from get and null from head', async () => {
      await expectSwitchyardError(storage.get(`missing-${randomId()}`), 'NOT_FOUND');
      expect(await storage.head(`missing-${randomId()}`)).toBeNull();
    });
  });

  describe('createUploadUrl', () => {
    it('declares the server-fixed lifetime instead of the requested one', async () => {
      expect(storage.capabilities.uploadUrlExpiry).toBe(7200);
      const before = Date.now();
      const target = await storage.createUploadUrl(`u-${randomId()}/x`, { expiresIn: 60 });
      expect(target.expiresAt.getTime() - before).toBeGreaterThan(7190_000);
    });
  });

  describe('range reads', () => {
    it('sends a Range request through supabase-js and returns only those bytes', async () => {
      const key = `r-${randomId()}/file`;
      await storage.put(key, 'abcdefghij');
      const part = await storage.get(key, { range: { start: 2, end: 4 } });
      expect(await part.text()).toBe('cde');
    });
  });
});
