import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createS3Storage, type S3StorageOptions } from '../src/s3/index.js';

const MiB = 1024 * 1024;
const options: S3StorageOptions = {
  bucket: 'mock-bucket',
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  multipartThreshold: 5 * MiB,
  partSize: 5 * MiB,
};

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: `${name} message` });
}

/** A stream that records whether anyone read it. */
function watchedStream(): { stream: ReadableStream<Uint8Array>; read: () => boolean } {
  let read = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        read = true;
        controller.enqueue(new Uint8Array(1024));
        controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, read: () => read };
}

describe('S3Storage conditional put (aws-sdk-client-mock)', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  afterAll(() => s3.restore());

  describe('on AWS S3 (conditions enforced on PutObject and CompleteMultipartUpload)', () => {
    it('declares conditionalPut and sends If-None-Match: * on PutObject, reporting the new etag', async () => {
      const storage = await createS3Storage(options);
      expect(storage.capabilities.conditionalPut).toBe(true);
      s3.on(PutObjectCommand).resolves({ ETag: '"e1"' });
      const info = await storage.put('a.txt', 'first', { ifNoneMatch: '*' });
      expect(info.etag).toBe('"e1"');
      expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({ Key: 'a.txt', IfNoneMatch: '*' });
    });

    // Ceph RGW (and DigitalOcean Spaces) compare If-Match on PUT with the bare etag and refuse the
    // quoted form S3 returns; S3 accepts both (https://github.com/slatedb/slatedb/issues/1818).
    it('sends If-Match with the etag unquoted', async () => {
      const storage = await createS3Storage(options);
      s3.on(PutObjectCommand).resolves({ ETag: '"e2"' });
      await storage.put('a.txt', 'second', { ifMatch: '"e1"' });
      expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({ IfMatch: 'e1' });
      expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input.IfNoneMatch).toBeUndefined();
    });

    it('puts the condition on CompleteMultipartUpload for a multipart put', async () => {
      const storage = await createS3Storage(options);
      s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
      s3.on(UploadPartCommand).resolves({ ETag: '"p"' });
      s3.on(CompleteMultipartUploadCommand).resolves({ ETag: '"m-2"' });
      const info = await storage.put('big.bin', new Uint8Array(6 * MiB), { ifNoneMatch: '*' });
      expect(info.etag).toBe('"m-2"');
      expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]?.args[0].input).toMatchObject({ IfNoneMatch: '*' });
    });

    it('maps 412 to PRECONDITION_FAILED, and aborts a multipart upload whose condition failed', async () => {
      const storage = await createS3Storage(options);
      s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
      await expectSwitchyardError(storage.put('a.txt', 'x', { ifNoneMatch: '*' }), 'PRECONDITION_FAILED');
      s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
      s3.on(UploadPartCommand).resolves({ ETag: '"p"' });
      s3.on(CompleteMultipartUploadCommand).rejects(s3Error('PreconditionFailed', 412));
      s3.on(AbortMultipartUploadCommand).resolves({});
      await expectSwitchyardError(storage.put('big.bin', new Uint8Array(6 * MiB), { ifMatch: '"m-1"' }), 'PRECONDITION_FAILED');
      expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
    });

    // S3 answers If-Match on a missing key with 404 NoSuchKey: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
    it('reports ifMatch on a key that is gone as PRECONDITION_FAILED, not NOT_FOUND', async () => {
      const storage = await createS3Storage(options);
      s3.on(PutObjectCommand).rejects(s3Error('NoSuchKey', 404));
      const error = await expectSwitchyardError(storage.put('gone.txt', 'x', { ifMatch: '"e1"' }), 'PRECONDITION_FAILED');
      expect(error.retryable).toBe(false);
      expect(error.cause).toMatchObject({ name: 'NoSuchKey' });
    });

    // A conflict means another write was in flight and may still fail: reporting it as
    // PRECONDITION_FAILED would let a backfill skip a key that ends up empty. Retrying decides it.
    it('maps 409 ConditionalRequestConflict to a retryable CONFLICT', async () => {
      const storage = await createS3Storage(options);
      s3.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));
      const error = await expectSwitchyardError(storage.put('a.txt', 'x', { ifNoneMatch: '*' }), 'CONFLICT');
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('retry');
    });
  });

  describe("on an endpoint that checks conditions on PutObject only (conditionalWrites: 'put-only', Ceph RGW)", () => {
    const putOnly = { ...options, limits: { conditionalWrites: 'put-only' as const } };

    it('sends conditional puts that fit one PutObject', async () => {
      const storage = await createS3Storage(putOnly);
      expect(storage.capabilities.conditionalPut).toBe(true);
      s3.on(PutObjectCommand).resolves({ ETag: '"e1"' });
      await storage.put('a.txt', new Uint8Array(5 * MiB), { ifNoneMatch: '*' });
      expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
    });

    it('refuses a conditional put that would need multipart with UNSUPPORTED, before reading or sending anything', async () => {
      const storage = await createS3Storage(putOnly);
      const error = await expectSwitchyardError(storage.put('big.bin', new Uint8Array(6 * MiB), { ifNoneMatch: '*' }), 'UNSUPPORTED');
      expect(error.message).toContain('multipartThreshold');
      const unknownLength = watchedStream();
      await expectSwitchyardError(storage.put('s.bin', unknownLength.stream, { ifMatch: '"e1"' }), 'UNSUPPORTED');
      expect(unknownLength.read()).toBe(false);
      expect(s3.calls()).toHaveLength(0);
    });
  });

  describe("on an endpoint that ignores conditions (conditionalWrites: 'not-enforced', s3rver, Supabase Storage)", () => {
    it('declares no conditionalPut and refuses both options with UNSUPPORTED before any request', async () => {
      const storage = await createS3Storage({ ...options, limits: { conditionalWrites: 'not-enforced' } });
      expect(storage.capabilities.conditionalPut).toBe(false);
      await expectSwitchyardError(storage.put('a.txt', 'x', { ifNoneMatch: '*' }), 'UNSUPPORTED');
      await expectSwitchyardError(storage.put('a.txt', 'x', { ifMatch: '"e1"' }), 'UNSUPPORTED');
      expect(s3.calls()).toHaveLength(0);
    });
  });
});
