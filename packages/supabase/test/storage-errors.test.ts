import { expectSwitchyardError, randomId } from '@switchyard/contract-tests';
import type { ErrorCode, StoragePort } from '@switchyard/core/adapter';
import type { FakeStorage } from '@switchyard/test-peers/supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupabaseStorage } from '../src/storage/index.js';
import { BUCKET, SERVICE_ROLE_KEY, startSupabaseStorage } from './storage-fixture.js';

/** Answers the fake cannot produce by itself (throttling, outages, RLS), injected with failNext. */
describe('SupabaseStorage error mapping', () => {
  let storage: StoragePort;
  let fake: FakeStorage;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ storage, fake, stop } = await startSupabaseStorage());
    await storage.head('warm-up'); // the bucket check, so failNext below hits the call under test
  });
  afterAll(() => stop());

  const refusal = (statusCode: string, code: string, message: string) => ({ statusCode, error: code, code, message });

  const cases: [label: string, status: number, body: Record<string, string>, code: ErrorCode, retryable: boolean][] = [
    ['throttling', 429, refusal('429', 'SlowDown', 'Too many requests'), 'RATE_LIMITED', true],
    ['an outage', 503, refusal('503', 'ServiceUnavailable', 'Service unavailable'), 'UNAVAILABLE', true],
    ['an internal error', 500, refusal('500', 'InternalError', 'Internal Server Error'), 'UNAVAILABLE', true],
    ['a row-level security refusal', 400, refusal('403', 'AccessDenied', 'new row violates row-level security policy'), 'FORBIDDEN', false],
    ['a bad signature', 400, refusal('403', 'AccessDenied', 'signature verification failed'), 'CONFIG', false],
    ['an expired key', 400, refusal('400', 'InvalidJWT', '"exp" claim timestamp check failed'), 'CONFIG', false],
    ['a missing object', 400, refusal('404', 'NoSuchKey', 'Object not found'), 'NOT_FOUND', false],
    ['an existing key', 400, refusal('409', 'KeyAlreadyExists', 'The resource already exists'), 'CONFLICT', false],
    [
      'a body over the size limit',
      400,
      refusal('413', 'EntityTooLarge', 'The object exceeded the maximum allowed size'),
      'INVALID_INPUT',
      false,
    ],
    ['a MIME type the bucket refuses', 400, refusal('415', 'InvalidMimeType', 'mime type x/y is not supported'), 'INVALID_INPUT', false],
    ['an unknown 4xx', 400, refusal('418', 'Teapot', 'no'), 'INVALID_INPUT', false],
  ];
  for (const [label, status, body, code, retryable] of cases) {
    it(`maps ${label} (HTTP ${status}, statusCode ${body.statusCode}) to ${code}, keeping the cause`, async () => {
      // A gateway status is tried three times before it is reported.
      for (let i = 0; i < (status >= 502 && status <= 504 ? 3 : 1); i++) fake.failNext({ path: '/object/copy', status, body });
      const error = await expectSwitchyardError(storage.copy(`e-${randomId()}/a`, `e-${randomId()}/b`), code);
      expect(error.retryable).toBe(retryable);
      expect(error.port).toBe('storage');
      expect(error.provider).toBe('supabase');
      expect(error.operation).toBe('copy');
      expect((error.cause as { name?: string }).name).toBe('StorageApiError');
    });
  }

  it('sends a request again when a gateway answers 502 for it (a stale upstream connection), up to twice', async () => {
    const key = `gw-${randomId()}/a`;
    fake.failNext({ path: key, status: 502, body: { message: 'storage-api unreachable: read ECONNRESET' } });
    await storage.put(key, 'through');
    expect(await (await storage.get(key)).text()).toBe('through');
    for (let i = 0; i < 3; i++) fake.failNext({ path: key, status: 502, body: { message: 'bad gateway' } });
    const error = await expectSwitchyardError(storage.head(key), 'UNAVAILABLE');
    expect(error.retryable).toBe(true);
  });

  it('maps a server that cannot be reached to a retryable UNAVAILABLE', async () => {
    const { storage: orphan, stop: stopOrphan } = await startSupabaseStorage();
    await stopOrphan();
    const error = await expectSwitchyardError(orphan.head('a/b'), 'UNAVAILABLE');
    expect(error.retryable).toBe(true);
  });

  it('reports a missing object as NOT_FOUND from get and null from head', async () => {
    await expectSwitchyardError(storage.get(`missing-${randomId()}`), 'NOT_FOUND');
    expect(await storage.head(`missing-${randomId()}`)).toBeNull();
  });

  describe('configuration', () => {
    it('reports a wrong key as CONFIG naming SUPABASE_SERVICE_ROLE_KEY, even where storage-api answers NoSuchBucket', async () => {
      const port = await createSupabaseStorage({ url: fake.url, serviceRoleKey: 'not-the-key', bucket: BUCKET });
      for (const call of [() => port.head('a'), () => port.list(), () => port.delete('a')]) {
        const error = await expectSwitchyardError(call(), 'CONFIG');
        expect(JSON.stringify(error)).toMatch(/SUPABASE_SERVICE_ROLE_KEY/);
      }
    });

    it('reports a missing bucket as CONFIG naming it, where listing and delete would answer an empty success', async () => {
      const port = await createSupabaseStorage({ url: fake.url, serviceRoleKey: SERVICE_ROLE_KEY, bucket: 'no-such-bucket' });
      for (const call of [() => port.head('a'), () => port.list(), () => port.delete('a'), () => port.put('a', 'x')]) {
        const error = await expectSwitchyardError(call(), 'CONFIG');
        expect(JSON.stringify(error)).toContain('no-such-bucket');
      }
    });

    it('reports a URL that does not lead to the Storage API as CONFIG naming SUPABASE_URL', async () => {
      const elsewhere = await createSupabaseStorage({ url: `${fake.url}/storage/v1`, serviceRoleKey: SERVICE_ROLE_KEY, bucket: BUCKET });
      expect((await expectSwitchyardError(elsewhere.head('a'), 'CONFIG')).message).toMatch(/SUPABASE_URL/);
      const html: typeof fetch = async () => new Response('<html>a web page</html>', { headers: { 'content-type': 'text/html' } });
      const page = await createSupabaseStorage({ url: fake.url, serviceRoleKey: SERVICE_ROLE_KEY, bucket: BUCKET, fetch: html });
      expect((await expectSwitchyardError(page.list(), 'CONFIG')).message).toMatch(/SUPABASE_URL/);
    });

    it('reports every bad option in one CONFIG error before any request', async () => {
      const error = await expectSwitchyardError(
        createSupabaseStorage({ url: 'ftp://x', serviceRoleKey: '', bucket: 'b', timeoutMs: -1, maxKeySegmentBytes: 1.5 }),
        'CONFIG',
      );
      for (const part of ['url', 'serviceRoleKey', 'timeoutMs', 'maxKeySegmentBytes']) expect(error.message).toContain(part);
    });
  });

  describe('delete', () => {
    it('maps a refusal per key in details.failed, keeps the cause, and is not retryable when permissions are at fault', async () => {
      fake.failNext({
        path: `/object/${BUCKET}`,
        status: 400,
        body: refusal('403', 'AccessDenied', 'new row violates row-level security policy'),
      });
      const keys = [`d-${randomId()}/a`, `d-${randomId()}/b`];
      const error = await expectSwitchyardError(storage.delete(keys), 'FORBIDDEN');
      expect(error.retryable).toBe(false);
      expect((error.details as { failed: { key: string; code: string }[] }).failed).toEqual(
        keys.map((key) => expect.objectContaining({ key, code: 'FORBIDDEN' })),
      );
      expect((error.cause as { code?: string }).code).toBe('FORBIDDEN');
    });

    it('says which keys are left when a later batch fails, and that a retry may help', async () => {
      const keys = Array.from({ length: 2500 }, (_, i) => `many-${randomId()}/${i}`);
      for (const key of keys.slice(0, 3)) await storage.put(key, 'x');
      for (let i = 0; i < 3; i++)
        fake.failNext({ path: `/object/${BUCKET}`, status: 503, body: refusal('503', 'ServiceUnavailable', 'down') });
      // The first batch is refused; nothing is known to be deleted.
      const error = await expectSwitchyardError(storage.delete(keys), 'UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect((error.details as { failed: unknown[] }).failed).toHaveLength(2500);
      await storage.delete(keys);
      expect(await storage.head(keys[0]!)).toBeNull();
    });
  });

  describe('streamed uploads', () => {
    it("stops a stream of unknown size at the bucket's file_size_limit, storing nothing", async () => {
      const { storage: port, fake: server, stop: stopIt } = await startSupabaseStorage();
      try {
        await fetch(`${server.url}/storage/v1/bucket`, {
          method: 'POST',
          headers: { authorization: `Bearer ${SERVICE_ROLE_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'small', file_size_limit: 100 }),
        });
        const small = await createSupabaseStorage({ url: server.url, serviceRoleKey: SERVICE_ROLE_KEY, bucket: 'small' });
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(50));
            controller.close();
          },
        });
        await expectSwitchyardError(small.put('big', stream), 'INVALID_INPUT');
        expect(await small.head('big')).toBeNull();
        expect(await port.head('big')).toBeNull();
      } finally {
        await stopIt();
      }
    });
  });
});
