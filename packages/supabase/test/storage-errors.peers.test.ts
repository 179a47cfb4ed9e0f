import { expectSwitchyardError, randomId } from '@switchyard/contract-tests';
import type { StoragePort, SwitchyardError } from '@switchyard/core/adapter';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { countingFetch, forgedServiceKey, suiteBucket } from './storage-peer.js';

/**
 * Mistakes the real Storage API server answers ambiguously: a wrong key and a missing bucket both
 * look like "no such object" on its object routes (HTTP 400, body statusCode 404 NoSuchBucket), and
 * its listing and batch delete answer a missing bucket with an empty success.
 */
describe('SupabaseStorage errors against the real Storage API server', () => {
  const bucket = suiteBucket();

  /** What the error says to fix: a failed delete says it per key, in details.failed (core's deleteFailed). */
  const explanation = (error: SwitchyardError): string =>
    (error.details as { failed?: { message: string }[] } | undefined)?.failed?.[0]?.message ?? error.message;

  const calls = (storage: StoragePort, key: string): Record<string, () => Promise<unknown>> => ({
    head: () => storage.head(key),
    get: () => storage.get(key),
    list: () => storage.list({ prefix: key }),
    delete: () => storage.delete(key),
    put: () => storage.put(key, 'x'),
    copy: () => storage.copy(key, `${key}-copy`),
    createDownloadUrl: () => storage.createDownloadUrl(key),
    createUploadUrl: () => storage.createUploadUrl(key),
  });

  it('reports a service-role key the project did not sign as CONFIG naming the key, from every method', async () => {
    const forged = await forgedServiceKey();
    const storage = await bucket.open({ serviceRoleKey: forged });
    for (const [name, call] of Object.entries(calls(storage, `k-${randomId()}`))) {
      const error = await expectSwitchyardError(call(), 'CONFIG');
      expect(explanation(error), name).toMatch(/SUPABASE_SERVICE_ROLE_KEY/);
      expect(JSON.stringify(error), name).not.toContain(forged);
      expect(error.retryable, name).toBe(false);
    }
  });

  it('reports a bucket that does not exist as CONFIG naming the bucket, from every method', async () => {
    const missing = `missing-${randomId()}`.toLowerCase();
    const storage = await bucket.open({ bucket: missing });
    for (const [name, call] of Object.entries(calls(storage, `k-${randomId()}`))) {
      const error = await expectSwitchyardError(call(), 'CONFIG');
      expect(explanation(error), name).toContain(missing);
      expect(explanation(error), name).toMatch(/SUPABASE_STORAGE_BUCKET/);
    }
  });

  it('refuses the anon key given as the service-role key before any request', async () => {
    const anon = await new SignJWT({ role: 'anon' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(bucket.peer().jwtSecret));
    await expectSwitchyardError(bucket.open({ serviceRoleKey: anon }), 'CONFIG');
  });

  it('fills details.failed and keeps the cause when delete fails, and says it is not retryable', async () => {
    const forged = await forgedServiceKey();
    const storage = await bucket.open({ serviceRoleKey: forged });
    const keys = [`d-${randomId()}/a`, `d-${randomId()}/b`];
    const error = await expectSwitchyardError(storage.delete(keys), 'CONFIG');
    expect(error.retryable).toBe(false);
    expect(error.cause).toBeDefined();
    const failed = (error.details as { failed?: { key: string; code: string }[] } | undefined)?.failed;
    expect(failed?.map((item) => item.key)).toEqual(keys);
    expect(failed?.every((item) => item.code === 'CONFIG')).toBe(true);
  });

  describe('path segments over 255 bytes (the file backend stores each segment as a file name)', () => {
    const long = () => `seg-${randomId()}/${'k'.repeat(256)}`;

    it('reports the server refusing one as INVALID_INPUT, not a retryable outage', async () => {
      const storage = await bucket.open();
      const error = await expectSwitchyardError(storage.put(long(), 'x'), 'INVALID_INPUT');
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/255/);
    });

    it('refuses one before any request when maxKeySegmentBytes is declared', async () => {
      const counting = countingFetch();
      const storage = await bucket.open({ maxKeySegmentBytes: 255, fetch: counting.fetch });
      expect(storage.capabilities.maxKeySegmentBytes).toBe(255);
      await expectSwitchyardError(storage.put(long(), 'x'), 'INVALID_INPUT');
      await expectSwitchyardError(storage.createUploadUrl(long()), 'INVALID_INPUT');
      expect(counting.requests).toEqual([]);
      const fits = `seg-${randomId()}/${'k'.repeat(255)}`;
      await storage.put(fits, 'fits');
      expect(await (await storage.get(fits)).text()).toBe('fits');
    });
  });
});
