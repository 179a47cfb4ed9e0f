import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createS3Storage, type S3StorageOptions } from '../src/s3/index.js';

const options: S3StorageOptions = {
  bucket: 'mock-bucket',
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  forcePathStyle: true,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
};

/** Supabase Storage's object names (`isValidKey` in storage-api's src/storage/limits.ts). */
const SUPABASE_KEYS = "A-Za-z0-9_/!.*'() &$=@;:+,?-";

describe('S3Storage endpoint limits', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  afterAll(() => s3.restore());

  it('claims what AWS S3 does when no limits are given', async () => {
    const storage = await createS3Storage(options);
    expect(storage.capabilities).toMatchObject({
      presignedPost: true,
      uploadUrlEnforcesContentType: true,
      uploadUrlEnforcesMaxBytes: true,
      uploadUrlExpiry: 'requested',
      unicodeKeys: true,
      conditionalPut: true,
    });
    expect(storage.capabilities.keyCharacters).toBeUndefined();
  });

  // storage-api checks every policy condition but content-length-range (src/storage/protocols/s3/policy.ts).
  it("signs form POSTs that bind type and key but not size where postPolicy is 'except-size' (Supabase Storage)", async () => {
    const storage = await createS3Storage({ ...options, limits: { postPolicy: 'except-size' } });
    expect(storage.capabilities).toMatchObject({
      presignedPost: true,
      uploadUrlEnforcesContentType: true,
      uploadUrlEnforcesMaxBytes: false,
      uploadUrlExpiry: 'requested',
    });
    expect((await storage.createUploadUrl('a.png', { contentType: 'image/png' })).method).toBe('POST');
  });

  describe("postPolicy: 'not-enforced' (s3rver)", () => {
    const lax = { ...options, limits: { postPolicy: 'not-enforced' as const } };

    it('offers no form POST and signs PUT upload URLs, whose content type the signature still binds', async () => {
      const storage = await createS3Storage(lax);
      expect(storage.capabilities).toMatchObject({
        presignedPost: false,
        uploadUrlEnforcesContentType: true,
        uploadUrlEnforcesMaxBytes: false,
        uploadUrlExpiry: 'requested',
      });
      const target = await storage.createUploadUrl('a.png', { contentType: 'image/png', maxBytes: 100 });
      expect(target.method).toBe('PUT');
    });

    // A form the server does not check lets its holder upload any size and type: never hand one out.
    it('refuses to sign a form POST with UNSUPPORTED', async () => {
      const storage = await createS3Storage(lax);
      const error = await expectSwitchyardError(storage.createUploadUrl('a.png', { method: 'POST' }), 'UNSUPPORTED');
      expect(error.message).toContain('POST');
    });

    it("refuses presign: 'post' at start-up with CONFIG", async () => {
      const error = await expectSwitchyardError(createS3Storage({ ...lax, presign: 'post' }), 'CONFIG');
      expect(error.message).toContain('presign');
    });
  });

  it("claims no enforcement at all where signatures are not verified (signatures: 'not-verified', bare s3rver)", async () => {
    const storage = await createS3Storage({ ...options, limits: { postPolicy: 'not-enforced', signatures: 'not-verified' } });
    expect(storage.capabilities).toMatchObject({ uploadUrlEnforcesContentType: false, uploadUrlEnforcesMaxBytes: false });
  });

  describe('keyCharacters (Supabase Storage)', () => {
    const narrow = { ...options, limits: { keyCharacters: SUPABASE_KEYS } };

    it('declares the characters and no unicode keys', async () => {
      const storage = await createS3Storage(narrow);
      expect(storage.capabilities.keyCharacters).toBe(SUPABASE_KEYS);
      expect(storage.capabilities.unicodeKeys).toBe(false);
    });

    it('refuses a key with any other character in every method, before any request', async () => {
      const storage = await createS3Storage(narrow);
      const bad = 'photos/été.jpg';
      for (const call of [
        () => storage.put(bad, 'x'),
        () => storage.get(bad),
        () => storage.head(bad),
        () => storage.delete(bad),
        () => storage.delete(['photos/ok.jpg', bad]),
        () => storage.copy('photos/ok.jpg', bad),
        () => storage.copy(bad, 'photos/ok.jpg'),
        () => storage.createUploadUrl(bad),
        () => storage.createDownloadUrl(bad),
      ]) {
        const error = await expectSwitchyardError(call(), 'INVALID_INPUT');
        // Core's front layer checks unicodeKeys before keyCharacters, so a non-ASCII key is refused as such.
        expect(error.message).toContain('ASCII keys only');
      }
      expect(s3.calls()).toHaveLength(0);
    });

    it('keeps unicodeKeys when the characters include non-ASCII text', async () => {
      const storage = await createS3Storage({ ...options, limits: { keyCharacters: '\\p{L}\\p{N}\\p{So}/ ._-' } });
      expect(storage.capabilities.unicodeKeys).toBe(true);
    });
  });

  describe('maxKeySegmentBytes (Supabase Storage on its file backend)', () => {
    it('declares the limit and refuses a longer segment in every method, before any request', async () => {
      const storage = await createS3Storage({ ...options, limits: { maxKeySegmentBytes: 255 } });
      expect(storage.capabilities.maxKeySegmentBytes).toBe(255);
      s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
      await storage.put(`a/${'k'.repeat(255)}`, 'x');
      s3.reset();
      const bad = `a/${'é'.repeat(128)}/b`;
      for (const call of [
        () => storage.put(bad, 'x'),
        () => storage.head(bad),
        () => storage.delete([bad]),
        () => storage.copy('a/ok', bad),
        () => storage.createUploadUrl(bad),
      ]) {
        const error = await expectSwitchyardError(call(), 'INVALID_INPUT');
        expect(error.message).toContain('at most 255 bytes');
      }
      expect(s3.calls()).toHaveLength(0);
    });
  });

  it('lists every invalid limit in one CONFIG error', async () => {
    const error = await expectSwitchyardError(
      createS3Storage({
        ...options,
        limits: {
          postPolicy: 'sometimes' as 'enforced',
          signatures: 'no' as 'verified',
          conditionalWrites: 'maybe' as 'enforced',
          keyCharacters: 'z-a',
          maxKeySegmentBytes: 0,
        },
      }),
      'CONFIG',
    );
    const problems = error.details?.problems as string[];
    for (const name of [
      'limits.postPolicy',
      'limits.signatures',
      'limits.conditionalWrites',
      'limits.keyCharacters',
      'limits.maxKeySegmentBytes',
    ]) {
      expect(
        problems.some((problem) => problem.startsWith(name)),
        `no problem reported for ${name}`,
      ).toBe(true);
    }
  });
});
