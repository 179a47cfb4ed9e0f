import { CopyObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeStoragePort, expectSwitchyardError } from '@switchyard/contract-tests';
import type { StoragePort } from '@switchyard/core/adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '../src/s3/index.js';
import { createPeerBucket, type PeerBucket, peerFixture, rawClient, SUPABASE_S3_LIMITS } from './s3-peers.js';

// Supabase Storage's S3 endpoint as a second S3 peer, described by its limits: the contract holds
// the adapter to what it then declares (form POSTs whose size it does not check, no conditional
// put, a narrower set of ASCII keys, 255-byte segments).
describeStoragePort('S3Storage on Supabase Storage’s S3 endpoint', () => peerFixture('supabase-storage', { limits: SUPABASE_S3_LIMITS }));

describe('Supabase Storage’s S3 endpoint, as the limits describe it', () => {
  let bucket: PeerBucket;
  let raw: S3Client;
  let storage: StoragePort;

  beforeAll(async () => {
    bucket = await createPeerBucket('supabase-storage');
    raw = rawClient('supabase-storage');
    storage = await createS3Storage(bucket.options({ limits: SUPABASE_S3_LIMITS }));
  });
  afterAll(async () => {
    await storage?.close();
    raw?.destroy();
    await bucket?.remove();
  });

  // The reason for postPolicy: 'except-size': the policy binds key and type, not size.
  it('checks a form POST against its policy except for its size, so the adapter claims no maxBytes there', async () => {
    const post = async (key: string, type: string, bytes: number) => {
      const target = await storage.createUploadUrl(key, { contentType: 'image/png', maxBytes: 10 });
      const form = new FormData();
      for (const [name, value] of Object.entries(target.fields)) if (name !== 'Content-Type') form.append(name, value);
      form.append('Content-Type', type);
      form.append('file', new Blob([new Uint8Array(bytes)], { type }), 'upload.bin');
      const response = await fetch(target.url, { method: 'POST', body: form });
      await response.arrayBuffer();
      return response.status;
    };
    expect(await post('policy/other-type.png', 'text/html', 5)).toBe(403);
    expect(await storage.head('policy/other-type.png')).toBeNull();
    expect(await post('policy/over.png', 'image/png', 1000)).toBeLessThan(300);
    expect(await storage.head('policy/over.png')).toMatchObject({ size: 1000 });
    expect(storage.capabilities).toMatchObject({
      presignedPost: true,
      uploadUrlEnforcesContentType: true,
      uploadUrlEnforcesMaxBytes: false,
    });
  });

  // The reason for the narrow keyCharacters on this version.
  it('does not URL-decode the copy source, so a key S3 clients must encode there cannot be copied', async () => {
    await raw.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: 'copy/a b.txt', Body: 'x' }));
    await expect(
      raw.send(new CopyObjectCommand({ Bucket: bucket.bucket, Key: 'copy/to.txt', CopySource: `${bucket.bucket}/copy/a%20b.txt` })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expectSwitchyardError(storage.put('copy/a b.txt', 'x'), 'INVALID_INPUT');
  });

  it('refuses a signed PUT with another content type or a tampered signature: it verifies SigV4', async () => {
    const key = 'sigv4/photo.png';
    const target = await storage.createUploadUrl(key, { method: 'PUT', contentType: 'image/png' });
    const other = await fetch(target.url, { method: 'PUT', headers: { 'content-type': 'text/html' }, body: new Uint8Array(10) });
    await other.arrayBuffer();
    expect(other.status).toBe(403);
    const url = new URL(target.url);
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    url.searchParams.set('X-Amz-Signature', `${signature[0] === 'a' ? 'b' : 'a'}${signature.slice(1)}`);
    const forged = await fetch(url, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: new Uint8Array(10) });
    await forged.arrayBuffer();
    expect(forged.status).toBe(403);
    expect(await storage.head(key)).toBeNull();
  });

  // The reason for conditionalWrites: 'not-enforced'.
  it('ignores If-None-Match on PutObject, so the adapter declares no conditional put', async () => {
    const key = 'conditions/a.txt';
    await raw.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: 'one', IfNoneMatch: '*' }));
    await raw.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: 'two', IfNoneMatch: '*' }));
    expect(await (await storage.get(key)).text()).toBe('two');
    expect(storage.capabilities.conditionalPut).toBe(false);
    await expectSwitchyardError(storage.put(key, 'three', { ifNoneMatch: '*' }), 'UNSUPPORTED');
  });

  // The reason for keyCharacters.
  it('refuses non-ASCII keys itself, and the adapter refuses them before any request', async () => {
    const key = 'keys/été.txt';
    await expect(raw.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: 'x' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 400 },
    });
    expect(storage.capabilities).toMatchObject({ unicodeKeys: false, keyCharacters: SUPABASE_S3_LIMITS.keyCharacters });
    await expectSwitchyardError(storage.put(key, 'x'), 'INVALID_INPUT');
  });
});
