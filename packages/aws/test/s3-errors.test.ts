import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import { type ErrorCode, type StoragePort, SwitchyardError } from '@switchyard/core/adapter';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createS3Storage } from '../src/s3/index.js';

const options = {
  bucket: 'mock-bucket',
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
};

/** An error shaped as the SDK throws it for an S3 error response. */
function s3Error(name: string, status: number, message = `${name} message`): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message });
}

describe('S3Storage error mapping (aws-sdk-client-mock)', () => {
  const s3 = mockClient(S3Client);
  let storage: StoragePort;

  beforeEach(async () => {
    s3.reset();
    storage ??= await createS3Storage(options);
  });
  afterAll(async () => {
    await storage?.close();
    s3.restore();
  });

  const cases: [string, () => Error, ErrorCode, boolean][] = [
    ['NoSuchKey (404)', () => s3Error('NoSuchKey', 404), 'NOT_FOUND', false],
    ['a bare 404', () => s3Error('UnknownError', 404), 'NOT_FOUND', false],
    ['AccessDenied (403)', () => s3Error('AccessDenied', 403), 'FORBIDDEN', false],
    ['PreconditionFailed (412)', () => s3Error('PreconditionFailed', 412), 'PRECONDITION_FAILED', false],
    ['SlowDown (503)', () => s3Error('SlowDown', 503), 'RATE_LIMITED', true],
    ['a bare 503', () => s3Error('UnknownError', 503), 'RATE_LIMITED', true],
    ['ThrottlingException', () => s3Error('ThrottlingException', 400), 'RATE_LIMITED', true],
    ['TooManyRequests (429)', () => s3Error('UnknownError', 429), 'RATE_LIMITED', true],
    ['InternalError (500)', () => s3Error('InternalError', 500), 'UNAVAILABLE', true],
    ['a bare 500', () => s3Error('UnknownError', 500), 'UNAVAILABLE', true],
    ['ServiceUnavailable (503)', () => s3Error('ServiceUnavailable', 503), 'UNAVAILABLE', true],
    [
      'ECONNREFUSED',
      () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' }),
      'UNAVAILABLE',
      true,
    ],
    ['socket hang up', () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'UNAVAILABLE', true],
    ['InvalidRange (416)', () => s3Error('InvalidRange', 416), 'INVALID_INPUT', false],
    ['NoSuchBucket', () => s3Error('NoSuchBucket', 404), 'CONFIG', false],
    ['InvalidAccessKeyId', () => s3Error('InvalidAccessKeyId', 403), 'CONFIG', false],
    // An unknown 4xx is a refusal no retry can change (Ceph RGW's 411 for a body without length).
    ['MissingContentLength (411)', () => s3Error('MissingContentLength', 411), 'CONFIG', false],
    ['an unknown 4xx', () => s3Error('UnknownError', 418), 'INVALID_INPUT', false],
    ['MethodNotAllowed (405)', () => s3Error('MethodNotAllowed', 405), 'UNSUPPORTED', false],
    // S3 reports the KMS key of SSE-KMS encryption under KMS.* names: https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
    ['KMS.ThrottlingException', () => s3Error('KMS.ThrottlingException', 400), 'RATE_LIMITED', true],
    ['KMS.DisabledException', () => s3Error('KMS.DisabledException', 400), 'CONFIG', false],
    ['KMS.NotFoundException', () => s3Error('KMS.NotFoundException', 400), 'CONFIG', false],
    ['KMS.KMSInvalidStateException', () => s3Error('KMS.KMSInvalidStateException', 400), 'CONFIG', false],
    ['KMS.AccessDeniedException', () => s3Error('KMS.AccessDeniedException', 400), 'FORBIDDEN', false],
    ['KMS.KMSInternalException', () => s3Error('KMS.KMSInternalException', 500), 'UNAVAILABLE', true],
    ['an unknown KMS.* error', () => s3Error('KMS.SomethingNewException', 400), 'CONFIG', false],
  ];

  for (const [label, make, code, retryable] of cases) {
    it(`maps ${label} to ${code}${retryable ? ' (retryable)' : ''}, keeping the original as cause`, async () => {
      const original = make();
      s3.on(GetObjectCommand).rejects(original);
      const error = await expectSwitchyardError(storage.get('photos/a.png'), code);
      expect(error).toMatchObject({ port: 'storage', provider: 'aws', operation: 'get', retryable });
      expect(error.cause).toBe(original);
      expect(error.message).not.toContain(options.credentials.secretAccessKey);
    });
  }

  it('says which KMS key problem to fix, and that an unknown refusal needs a fix rather than a retry', async () => {
    const fix: [Error, string][] = [
      [s3Error('KMS.DisabledException', 400), 'disabled'],
      [s3Error('KMS.NotFoundException', 400), 'does not exist'],
      [s3Error('KMS.KMSInvalidStateException', 400), 'pending deletion'],
      [
        s3Error('AccessDenied', 403, 'User: arn:aws:iam::1:role/app is not authorized to perform: kms:GenerateDataKey'),
        'kms:GenerateDataKey',
      ],
      [s3Error('MissingContentLength', 411), 'Content-Length'],
      [s3Error('UnknownError', 418), 'retrying will not help'],
    ];
    for (const [original, hint] of fix) {
      s3.reset();
      s3.on(PutObjectCommand).rejects(original);
      const error = await storage.put('photos/a.png', 'x').catch((e: unknown) => e);
      expect(SwitchyardError.isInstance(error), String(error)).toBe(true);
      if (!SwitchyardError.isInstance(error)) continue;
      expect(error.message, original.name).toContain(hint);
      expect(error.retryable).toBe(false);
      expect(error.cause).toBe(original);
    }
  });

  describe('get body', () => {
    // What the SDK returns on Node: a Readable (an IncomingMessage); mockClient passes it through.
    const respond = (body: Readable) => s3.on(GetObjectCommand).resolves({ Body: body as never, ContentLength: 6 });

    it('hands on the chunks the response produced, not copies', async () => {
      const chunks = [Buffer.from('abc'), Buffer.from('def')];
      respond(Readable.from(chunks, { objectMode: false }));
      const seen: Uint8Array[] = [];
      for await (const chunk of (await storage.get('a.txt')).body as unknown as AsyncIterable<Uint8Array>) seen.push(chunk);
      expect(seen).toHaveLength(2);
      expect(seen[0]).toBe(chunks[0]);
      expect(seen[1]).toBe(chunks[1]);
    });

    it('maps a failure in the middle of the body, after the first bytes arrived', async () => {
      const reset = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
      respond(
        Readable.from(
          (async function* () {
            yield Buffer.from('first');
            throw reset;
          })(),
          { objectMode: false },
        ),
      );
      const reader = (await storage.get('a.txt')).body.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toBe('first');
      const error = await expectSwitchyardError(reader.read(), 'UNAVAILABLE');
      expect(error).toMatchObject({ operation: 'get', retryable: true });
      expect(error.cause).toBe(reset);
    });

    it('destroys the response when the reader cancels, freeing the connection', async () => {
      const response = new Readable({ read() {} });
      response.push(Buffer.from('part'));
      respond(response);
      const reader = (await storage.get('a.txt')).body.getReader();
      await reader.read();
      await reader.cancel();
      expect(response.destroyed).toBe(true);
    });
  });

  it('maps errors of put, list and copy with their operation', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));
    s3.on(ListObjectsV2Command).rejects(s3Error('SlowDown', 503));
    s3.on(CopyObjectCommand).rejects(s3Error('NoSuchKey', 404));
    expect((await expectSwitchyardError(storage.put('a.txt', 'x'), 'FORBIDDEN')).operation).toBe('put');
    expect((await expectSwitchyardError(storage.list(), 'RATE_LIMITED')).operation).toBe('list');
    expect((await expectSwitchyardError(storage.copy('a.txt', 'b.txt'), 'NOT_FOUND')).operation).toBe('copy');
  });

  it('returns null from head on 404 and maps its other failures', async () => {
    s3.on(HeadObjectCommand).rejectsOnce(s3Error('NotFound', 404)).rejectsOnce(s3Error('Forbidden', 403));
    expect(await storage.head('a.txt')).toBeNull();
    await expectSwitchyardError(storage.head('a.txt'), 'FORBIDDEN');
  });

  it('maps a failed part of a multipart upload to UNAVAILABLE', async () => {
    const big = await createS3Storage({ ...options, multipartThreshold: 5 * 1024 * 1024, partSize: 5 * 1024 * 1024 });
    const failure = s3Error('InternalError', 500);
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
    s3.on(UploadPartCommand).rejects(failure);
    s3.on(AbortMultipartUploadCommand).resolves({});
    const error = await expectSwitchyardError(big.put('big.bin', new Uint8Array(6 * 1024 * 1024)), 'UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(failure);
    await big.close();
  });

  describe('delete', () => {
    it('reports each key DeleteObjects could not remove', async () => {
      s3.on(DeleteObjectsCommand).resolves({
        Deleted: [{ Key: 'a' }],
        Errors: [{ Key: 'b', Code: 'AccessDenied', Message: 'Access Denied' }],
      });
      const error = await expectSwitchyardError(storage.delete(['a', 'b']), 'FORBIDDEN');
      expect(error.details?.failed).toEqual([{ key: 'b', code: 'FORBIDDEN', message: 'AccessDenied: Access Denied' }]);
      expect(error.message).toBe('1 of 2 objects could not be deleted (FORBIDDEN); see details.failed.');
      expect(error.retryable).toBe(false);
    });

    it('reports mixed per-key failures as UNAVAILABLE, listing each, not retryable while one of them is not', async () => {
      s3.on(DeleteObjectsCommand).resolves({
        Errors: [
          { Key: 'a', Code: 'AccessDenied', Message: 'Access Denied' },
          { Key: 'b', Code: 'InternalError', Message: 'try again' },
        ],
      });
      const error = await expectSwitchyardError(storage.delete(['a', 'b', 'c']), 'UNAVAILABLE');
      expect(((error.details?.failed ?? []) as { key: string; code: string }[]).map(({ key, code }) => [key, code])).toEqual([
        ['a', 'FORBIDDEN'],
        ['b', 'UNAVAILABLE'],
      ]);
      expect(error.retryable).toBe(false);
    });

    it('sends 2,500 keys as batches of 1,000, 1,000 and 500, without duplicates', async () => {
      s3.on(DeleteObjectsCommand).resolves({});
      const keys = Array.from({ length: 2500 }, (_, i) => `k${i}`);
      await storage.delete([...keys, 'k0', 'k2499']);
      const batches = s3.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input);
      expect(batches.map((input) => input.Delete?.Objects?.length)).toEqual([1000, 1000, 500]);
      expect(batches.flatMap((input) => input.Delete?.Objects?.map((object) => object.Key))).toEqual(keys);
      expect(batches.every((input) => input.Delete?.Quiet === true && input.Bucket === options.bucket)).toBe(true);
    });

    it('lists every key not confirmed deleted when a batch request fails', async () => {
      const failure = s3Error('InternalError', 500);
      s3.on(DeleteObjectsCommand).resolvesOnce({}).rejectsOnce(failure);
      const keys = Array.from({ length: 2500 }, (_, i) => `k${i}`);
      const error = await expectSwitchyardError(storage.delete(keys), 'UNAVAILABLE');
      expect(((error.details?.failed ?? []) as { key: string }[]).map((item) => item.key)).toEqual(keys.slice(1000));
      expect(error.cause).toBe(failure);
      expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(2);
    });
  });

  it('URL-encodes every segment of the copy source, including reserved characters', async () => {
    s3.on(CopyObjectCommand).resolves({});
    await storage.copy('a+b&c?d=%20#/été x.txt', 'to/y z.txt');
    const input = s3.commandCalls(CopyObjectCommand)[0]?.args[0].input;
    expect(input?.CopySource).toBe('mock-bucket/a%2Bb%26c%3Fd%3D%2520%23/%C3%A9t%C3%A9%20x.txt');
    expect(input?.Key).toBe('to/y z.txt');
  });

  it('passes the cursor back to S3 as the continuation token it came from', async () => {
    s3.on(ListObjectsV2Command).resolves({ IsTruncated: true, NextContinuationToken: '1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=' });
    const page = await storage.list({ prefix: 'p/', limit: 2 });
    expect(page.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    await storage.list({ prefix: 'p/', limit: 2, cursor: page.cursor! });
    const second = s3.commandCalls(ListObjectsV2Command)[1]?.args[0].input;
    expect(second).toMatchObject({ Prefix: 'p/', MaxKeys: 2, ContinuationToken: '1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=' });
  });
});

describe('S3Storage on an unreachable endpoint', () => {
  it('maps the real connection failure to UNAVAILABLE, retryable', async () => {
    // A port that was free a moment ago and has nothing listening now.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const storage = await createS3Storage({ ...options, endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true });
    const error = await expectSwitchyardError(storage.head('a.txt'), 'UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBeDefined();
    await storage.close();
  });
});
