import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { expectSwitchyardError, patternBytes } from '@switchyard/contract-tests';
import type { StoragePort } from '@switchyard/core/adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '../src/s3/index.js';
import { mapS3Error } from '../src/s3/s3-errors.js';
import { sameBytes, streamOf } from './s3-bodies.js';
import { CEPH_LIMITS, createPeerBucket, type PeerBucket, rawClient } from './s3-peers.js';

const MiB = 1024 * 1024;

describe('S3Storage writes on Ceph RGW', () => {
  let bucket: PeerBucket;
  let raw: S3Client;
  const opened: StoragePort[] = [];
  const open = async (checksums: 'when_supported' | 'when_required') => {
    const storage = await createS3Storage(
      bucket.options({ checksums, limits: CEPH_LIMITS, multipartThreshold: 5 * MiB, partSize: 5 * MiB }),
    );
    opened.push(storage);
    return storage;
  };

  beforeAll(async () => {
    bucket = await createPeerBucket('ceph-rgw');
    raw = rawClient('ceph-rgw');
  });
  afterAll(async () => {
    await Promise.all(opened.map((storage) => storage.close()));
    raw?.destroy();
    await bucket?.remove();
  });

  for (const checksums of ['when_supported', 'when_required'] as const) {
    it(`stores streams of declared and of unknown length byte for byte (checksums: ${checksums})`, async () => {
      const storage = await open(checksums);
      const small = patternBytes(3 * MiB + 5, 1);
      const large = patternBytes(11 * MiB + 3, 2);
      await storage.put(`writes/${checksums}/small.bin`, streamOf(small), { contentLength: small.byteLength });
      await storage.put(`writes/${checksums}/large.bin`, streamOf(large));
      expect(sameBytes(await (await storage.get(`writes/${checksums}/small.bin`)).bytes(), small)).toBe(true);
      expect(sameBytes(await (await storage.get(`writes/${checksums}/large.bin`)).bytes(), large)).toBe(true);
    });
  }

  // Why the adapter never streams into PutObject: the SDK's default checksums send the body
  // aws-chunked, and RGW refuses it. That refusal is no outage: no retry can change it.
  it('sees Ceph refuse an aws-chunked PutObject with 411, which maps to a CONFIG error that is not retryable', async () => {
    const chunked = rawClient('ceph-rgw', 'WHEN_SUPPORTED');
    try {
      const error = await chunked
        .send(
          new PutObjectCommand({
            Bucket: bucket.bucket,
            Key: 'writes/chunked.bin',
            Body: Readable.from([Buffer.alloc(5000)]),
            ContentLength: 5000,
          }),
        )
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'MissingContentLength', $metadata: { httpStatusCode: 411 } });
      const mapped = mapS3Error(error, 'put', 'writes/chunked.bin');
      expect(mapped).toMatchObject({ code: 'CONFIG', retryable: false });
      expect(mapped.message).toContain('Content-Length');
    } finally {
      chunked.destroy();
    }
  });

  describe('conditional writes', () => {
    it('sees Ceph check If-None-Match and the bare If-Match etag on PutObject, and refuse the quoted one', async () => {
      const key = 'writes/conditions.txt';
      const first = await raw.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: 'one', IfNoneMatch: '*' }));
      await expect(
        raw.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: 'two', IfNoneMatch: '*' })),
      ).rejects.toMatchObject({
        $metadata: { httpStatusCode: 412 },
      });
      await expect(
        raw.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: 'two', IfMatch: first.ETag })),
      ).rejects.toMatchObject({
        $metadata: { httpStatusCode: 412 },
      });
      await raw.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: 'three', IfMatch: first.ETag?.replace(/"/g, '') }));
      const body = await (await raw.send(new GetObjectCommand({ Bucket: bucket.bucket, Key: key }))).Body?.transformToString();
      expect(body).toBe('three');
    });

    // The reason for conditionalWrites: 'put-only' on Ceph RGW 16.
    it('sees Ceph complete a multipart upload over an existing key despite If-None-Match: *', async () => {
      const key = 'writes/multipart-condition.bin';
      await raw.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: 'existing' }));
      const { UploadId } = await raw.send(new CreateMultipartUploadCommand({ Bucket: bucket.bucket, Key: key }));
      const part = await raw.send(
        new UploadPartCommand({ Bucket: bucket.bucket, Key: key, UploadId, PartNumber: 1, Body: new Uint8Array(1000) }),
      );
      await raw.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket.bucket,
          Key: key,
          UploadId,
          IfNoneMatch: '*',
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
        }),
      );
      const stored = await raw.send(new GetObjectCommand({ Bucket: bucket.bucket, Key: key }));
      expect(stored.ContentLength).toBe(1000);
      await stored.Body?.transformToByteArray();
    });

    it("refuses, with limits.conditionalWrites 'put-only', a conditional put that would need multipart, leaving the object as it was", async () => {
      const storage = await open('when_supported');
      const key = 'writes/guarded.bin';
      const first = await storage.put(key, 'original', { ifNoneMatch: '*' });
      await expectSwitchyardError(storage.put(key, patternBytes(6 * MiB, 3), { ifMatch: first.etag ?? '' }), 'UNSUPPORTED');
      await expectSwitchyardError(storage.put(key, streamOf(patternBytes(100, 4)), { ifNoneMatch: '*' }), 'UNSUPPORTED');
      await expectSwitchyardError(storage.put(key, 'replacement', { ifNoneMatch: '*' }), 'PRECONDITION_FAILED');
      expect(await (await storage.get(key)).text()).toBe('original');
      const next = await storage.put(key, patternBytes(4 * MiB, 5), { ifMatch: first.etag ?? '' });
      expect(next.etag).not.toBe(first.etag);
    });
  });
});
