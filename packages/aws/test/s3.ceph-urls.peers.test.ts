import type { StoragePort, UploadTarget } from '@switchyard/core/adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '../src/s3/index.js';
import { CEPH_LIMITS, createPeerBucket, type PeerBucket } from './s3-peers.js';

// What s3rver cannot judge, judged by Ceph RGW: does the server enforce what the adapter signs?
// Each refusal is checked together with the object it must not have stored.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Past a 1-second expiry: signatures carry whole seconds. */
const PAST_EXPIRY_MS = 2_500;

/** A form POST as a browser (or an attacker holding the form) sends it: every field is the uploader's. */
async function postForm(
  target: UploadTarget,
  file: { bytes: number; type: string },
  change: (fields: Record<string, string>) => Record<string, string> = (fields) => fields,
): Promise<{ status: number; code: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(change({ ...target.fields }))) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), 'upload.bin');
  const response = await fetch(target.url, { method: 'POST', body: form });
  return { status: response.status, code: /<Code>(.*?)<\/Code>/.exec(await response.text())?.[1] ?? '' };
}

async function putTo(url: string, headers: Record<string, string>, bytes = 10): Promise<number> {
  const response = await fetch(url, { method: 'PUT', headers, body: new Uint8Array(bytes) });
  await response.arrayBuffer();
  return response.status;
}

/** The URL with one character of its signature changed. */
function tampered(url: string): string {
  const parsed = new URL(url);
  const signature = parsed.searchParams.get('X-Amz-Signature') ?? '';
  parsed.searchParams.set('X-Amz-Signature', `${signature[0] === 'a' ? 'b' : 'a'}${signature.slice(1)}`);
  return parsed.toString();
}

describe('S3Storage upload and download URLs on Ceph RGW', () => {
  let bucket: PeerBucket;
  let storage: StoragePort;
  let n = 0;
  const key = (name: string) => `urls/${++n}-${name}`;
  const stored = async (k: string) => (await storage.head(k))?.contentType ?? null;

  beforeAll(async () => {
    bucket = await createPeerBucket('ceph-rgw');
    storage = await createS3Storage(bucket.options({ limits: CEPH_LIMITS }));
  });
  afterAll(async () => {
    await storage?.close();
    await bucket?.remove();
  });

  describe('form POST policies', () => {
    it('accepts exactly maxBytes and refuses one byte more (content-length-range)', async () => {
      const [atMost, over] = [key('at-most.png'), key('over.png')];
      const ok = await postForm(await storage.createUploadUrl(atMost, { contentType: 'image/png', maxBytes: 100 }), {
        bytes: 100,
        type: 'image/png',
      });
      expect(ok.status).toBe(204);
      const refused = await postForm(await storage.createUploadUrl(over, { contentType: 'image/png', maxBytes: 100 }), {
        bytes: 101,
        type: 'image/png',
      });
      expect(refused).toEqual({ status: 400, code: 'EntityTooLarge' });
      expect((await storage.head(atMost))?.size).toBe(100);
      expect(await storage.head(over)).toBeNull();
    });

    it('binds the exact content type: another type, or none, is refused', async () => {
      const [other, none] = [key('other.png'), key('none.png')];
      const target = await storage.createUploadUrl(other, { contentType: 'image/png' });
      expect(await postForm(target, { bytes: 10, type: 'text/html' }, (f) => ({ ...f, 'Content-Type': 'text/html' }))).toMatchObject({
        status: 403,
      });
      const withoutType = await storage.createUploadUrl(none, { contentType: 'image/png' });
      const { 'Content-Type': _dropped, ...rest } = withoutType.fields;
      expect(await postForm({ ...withoutType, fields: rest }, { bytes: 10, type: 'image/png' })).toMatchObject({ status: 403 });
      expect(await stored(other)).toBeNull();
      expect(await stored(none)).toBeNull();
    });

    it('lets any type through a starts-with "" condition when no type was asked for, and stores that type', async () => {
      const k = key('any');
      const target = await storage.createUploadUrl(k);
      expect((await postForm(target, { bytes: 10, type: 'text/csv' }, (f) => ({ ...f, 'Content-Type': 'text/csv' }))).status).toBe(204);
      expect(await stored(k)).toBe('text/csv');
    });

    it('binds the key and the signature, and expires', async () => {
      const [mine, theirs, forged, late] = [key('mine'), key('theirs'), key('forged'), key('late')];
      const target = await storage.createUploadUrl(mine, { contentType: 'text/plain' });
      expect(await postForm(target, { bytes: 10, type: 'text/plain' }, (f) => ({ ...f, key: theirs }))).toMatchObject({ status: 403 });
      const signed = await storage.createUploadUrl(forged, { contentType: 'text/plain', maxBytes: 10 });
      // A policy widened by the uploader no longer matches its signature.
      const policy = JSON.parse(Buffer.from(signed.fields.Policy ?? '', 'base64').toString('utf8')) as { conditions: unknown[] };
      policy.conditions = policy.conditions.map((c) => (Array.isArray(c) && c[0] === 'content-length-range' ? [c[0], 0, 1_000_000] : c));
      const widened = Buffer.from(JSON.stringify(policy)).toString('base64');
      expect(await postForm(signed, { bytes: 1000, type: 'text/plain' }, (f) => ({ ...f, Policy: widened }))).toMatchObject({
        status: 403,
      });
      const expiring = await storage.createUploadUrl(late, { contentType: 'text/plain', expiresIn: 1 });
      await sleep(PAST_EXPIRY_MS);
      expect(await postForm(expiring, { bytes: 10, type: 'text/plain' })).toMatchObject({ status: 403 });
      for (const k of [theirs, forged, late]) expect(await storage.head(k)).toBeNull();
    });
  });

  describe('signed PUT', () => {
    it('binds the signed content type: the same type is stored, another is refused', async () => {
      const [same, other] = [key('same.png'), key('other.png')];
      const ok = await storage.createUploadUrl(same, { method: 'PUT', contentType: 'image/png' });
      expect(await putTo(ok.url, { 'content-type': 'image/png' })).toBe(200);
      const refused = await storage.createUploadUrl(other, { method: 'PUT', contentType: 'image/png' });
      expect(await putTo(refused.url, { 'content-type': 'text/html' })).toBe(403);
      expect(await stored(same)).toBe('image/png');
      expect(await stored(other)).toBeNull();
    });

    it('refuses a tampered signature, another key and an expired URL', async () => {
      const [k, theirs, late] = [key('put'), key('put-theirs'), key('put-late')];
      const target = await storage.createUploadUrl(k, { method: 'PUT', contentType: 'text/plain' });
      expect(await putTo(tampered(target.url), { 'content-type': 'text/plain' })).toBe(403);
      expect(await putTo(target.url.replace(encodeURIComponent(k).replace(/%2F/g, '/'), theirs), { 'content-type': 'text/plain' })).toBe(
        403,
      );
      const expiring = await storage.createUploadUrl(late, { method: 'PUT', contentType: 'text/plain', expiresIn: 1 });
      await sleep(PAST_EXPIRY_MS);
      expect(await putTo(expiring.url, { 'content-type': 'text/plain' })).toBe(403);
      for (const gone of [k, theirs, late]) expect(await storage.head(gone)).toBeNull();
    });
  });

  describe('download URLs', () => {
    it('refuses a tampered signature and an expired URL without leaking the body', async () => {
      const k = key('secret.txt');
      await storage.put(k, 'top secret', { contentType: 'text/plain' });
      const signed = await storage.createDownloadUrl(k);
      const forged = await fetch(tampered(signed.url));
      expect(forged.status).toBe(403);
      expect(await forged.text()).not.toContain('top secret');
      const expiring = await storage.createDownloadUrl(k, { expiresIn: 1 });
      await sleep(PAST_EXPIRY_MS);
      const late = await fetch(expiring.url);
      expect(late.status).toBe(403);
      expect(await late.text()).not.toContain('top secret');
    });
  });
});
