import { inspect } from 'node:util';
import { expectSwitchyardError, randomId } from '@switchyard/contract-tests';
import type { StoragePort } from '@switchyard/core/adapter';
import type { FakeStorage } from '@switchyard/test-peers/supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupabaseStorage } from '../src/storage/index.js';
import { SERVICE_ROLE_KEY, startSupabaseStorage } from './storage-fixture.js';

describe('SupabaseStorage', () => {
  let storage: StoragePort;
  let fake: FakeStorage;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ storage, fake, stop } = await startSupabaseStorage());
  });
  afterAll(() => stop());

  async function listAll(port: StoragePort, prefix: string, limit: number, between?: (page: number) => Promise<void>): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | undefined;
    let page = 0;
    do {
      const result = await port.list({ prefix, limit, ...(cursor ? { cursor } : {}) });
      seen.push(...result.items.map((item) => item.key));
      cursor = result.cursor;
      await between?.(++page);
    } while (cursor);
    return seen;
  }

  describe('list', () => {
    it('returns a long listing across nested folders in byte order, each key once, one request per page', async () => {
      const root = `long-${randomId()}/`;
      const keys: string[] = [];
      for (let i = 0; i < 1100; i++) keys.push(`${root}flat/${String(i).padStart(4, '0')}`);
      for (const name of ['b/1', 'b/c/2', 'b-x', 'b.txt', 'a', 'z/y/x/w', 'B', 'a b']) keys.push(`${root}${name}`);
      for (const key of keys) fake.seed(key);
      const before = fake.requests.length;
      const seen = await listAll(storage, root, 97);
      expect(seen).toEqual([...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
      const listRequests = fake.requests.slice(before).filter((request) => request.includes('/object/list-v2/'));
      expect(listRequests.length).toBe(Math.ceil(keys.length / 97));
    });

    it('neither loses nor repeats keys when objects are added and removed between pages', async () => {
      const root = `moving-${randomId()}/`;
      const original = Array.from({ length: 60 }, (_, i) => `${root}d${i % 3}/k${String(i).padStart(3, '0')}`);
      for (const key of original) fake.seed(key);
      const removed = new Set<string>();
      const seen = await listAll(storage, root, 7, async (page) => {
        if (page !== 2) return;
        for (const key of original.slice(0, 10)) removed.add(key);
        await storage.delete(original.slice(0, 10));
        fake.seed(`${root}d0/k000a`);
      });
      expect(new Set(seen).size).toBe(seen.length);
      for (const key of original) if (!removed.has(key)) expect(seen).toContain(key);
    });

    it('treats the prefix as a string prefix, not a folder, and matches its case exactly', async () => {
      const root = `pre-${randomId()}/`;
      for (const key of [`${root}photo-1`, `${root}photo-2`, `${root}Photo-3`, `${root}photos/x`, `${root}other`, `${root}photo_x`])
        fake.seed(key);
      const page = await storage.list({ prefix: `${root}photo` });
      expect(page.items.map((item) => item.key)).toEqual([`${root}photo-1`, `${root}photo-2`, `${root}photo_x`, `${root}photos/x`]);
    });
  });

  describe('keys', () => {
    it('declares the characters storage-api accepts and refuses others before any request', async () => {
      expect(storage.capabilities.keyCharacters).toBe("A-Za-z0-9_/!.*'() &$=@;:+,?-");
      const before = fake.requests.length;
      await expectSwitchyardError(storage.put('photos/été.jpg', 'x'), 'INVALID_INPUT');
      await expectSwitchyardError(storage.get('100%'), 'INVALID_INPUT');
      await expectSwitchyardError(storage.head('a#b'), 'INVALID_INPUT');
      await expectSwitchyardError(storage.list({ prefix: 'a#' }), 'INVALID_INPUT');
      expect(fake.requests.length).toBe(before);
    });

    it('sends each segment percent-encoded, so the server stores the key unchanged', async () => {
      const key = `enc-${randomId()}/ a?b=c&d+e `;
      await storage.put(key, 'x');
      expect(fake.keys()).toContain(key);
      expect(fake.requests.at(-1)).toContain(encodeURIComponent(' a?b=c&d+e '));
    });
  });

  describe('get', () => {
    it('sends a Range request and returns only those bytes', async () => {
      const key = `r-${randomId()}/file`;
      await storage.put(key, 'abcdefghij');
      const part = await storage.get(key, { range: { start: 2, end: 4 } });
      expect(await part.text()).toBe('cde');
    });

    it('slices the bytes itself when something between drops the Range header', async () => {
      const dropRange: typeof fetch = (input, init) => {
        const headers = new Headers(init?.headers);
        headers.delete('range');
        return fetch(input, { ...init, headers });
      };
      const { storage: port, stop: stopIt } = await startSupabaseStorage({ fetch: dropRange });
      try {
        const key = `r-${randomId()}/file`;
        await port.put(key, 'abcdefghij');
        expect(await (await port.get(key, { range: { start: 2, end: 4 } })).text()).toBe('cde');
      } finally {
        await stopIt();
      }
    });

    it("reads the info again when an overwrite lands between the info and the bytes, and never pairs one version's info with another's bytes", async () => {
      const key = `tear-${randomId()}/file`;
      let overwrite: (() => Promise<unknown>) | undefined;
      const tearing: typeof fetch = async (input, init) => {
        const path = new URL(String(input)).pathname;
        if (
          overwrite &&
          (init?.method ?? 'GET') === 'GET' &&
          path.endsWith(key.split('/').map(encodeURIComponent).join('/')) &&
          !path.includes('/info/')
        ) {
          const write = overwrite;
          overwrite = undefined;
          await write();
        }
        return fetch(input, init);
      };
      const { storage: port, stop: stopIt } = await startSupabaseStorage({ fetch: tearing });
      try {
        await port.put(key, 'version one', { contentType: 'text/x-one' });
        overwrite = () => port.put(key, 'version two, longer', { contentType: 'text/x-two' });
        const object = await port.get(key);
        expect(overwrite).toBeUndefined();
        const text = await object.text();
        expect(text).toBe('version two, longer');
        expect(object.info.contentType).toBe('text/x-two');
        expect(object.info.size).toBe(text.length);
      } finally {
        await stopIt();
      }
    });
  });

  describe('createUploadUrl', () => {
    it("reports expiresAt from the token's own exp and declares the server's lifetime once it has seen one", async () => {
      // The fake signs uploads for 60 s, storage-api's default; the adapter assumes hosted's 7200 until told.
      const { storage: port, stop: stopIt } = await startSupabaseStorage();
      try {
        expect(port.capabilities.uploadUrlExpiry).toBe(7200);
        const before = Date.now();
        const target = await port.createUploadUrl(`u-${randomId()}/x`, { expiresIn: 900 });
        const seconds = (target.expiresAt.getTime() - before) / 1000;
        expect(seconds).toBeGreaterThan(55);
        expect(seconds).toBeLessThanOrEqual(61);
        expect(port.capabilities.uploadUrlExpiry).toBe(60);
      } finally {
        await stopIt();
      }
    });
  });

  describe('secrets', () => {
    it('never prints the service-role key', async () => {
      const secret = `sb-secret-${randomId()}`;
      const plain = await createSupabaseStorage({ url: fake.url, serviceRoleKey: secret, bucket: 'uploads' });
      const observed = await createSupabaseStorage({ url: fake.url, serviceRoleKey: secret, bucket: 'uploads', onEvent: () => {} });
      for (const port of [plain, observed]) {
        for (const printed of [inspect(port, { depth: 10, showHidden: true }), JSON.stringify(port), String(port), `${port}`]) {
          expect(printed).not.toContain(secret);
        }
        expect(inspect(port)).toContain('uploads');
      }
    });

    it('keeps the key out of error messages', async () => {
      const port = await createSupabaseStorage({ url: fake.url, serviceRoleKey: `${SERVICE_ROLE_KEY}-wrong`, bucket: 'uploads' });
      const error = await expectSwitchyardError(port.head('a'), 'CONFIG');
      expect(JSON.stringify(error)).not.toContain(`${SERVICE_ROLE_KEY}-wrong`);
    });
  });
});
