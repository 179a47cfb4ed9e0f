import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { StoragePort } from '@switchyard/core';
import { createLocalStorage } from '@switchyard/local';
import { loadS3 } from '../lib/adapters.js';
import { compare, measureAlone, type Side, scale } from '../lib/measure.js';
import { notMeasured, perSecond, type Row, throughputRow } from '../lib/row.js';

// No request is sent when signing, so the S3 side needs no server: any endpoint will do.
const S3 = {
  bucket: 'bench',
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  forcePathStyle: true,
  credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret-key' },
  checksums: 'when_required' as const,
};
const TYPE = 'image/png';
const MAX_BYTES = 5_000_000;

function side(ops: number, call: (i: number) => Promise<unknown>): Side {
  return {
    ops,
    async run() {
      for (let i = 0; i < ops; i++) await call(i);
    },
  };
}

/** Row 2: signed upload/download URLs per second, S3 adapter vs the SDK's own signers; local alone. */
export async function benchPresign(): Promise<Row[]> {
  return [...(await benchS3Presign()), ...(await benchLocalPresign())];
}

async function benchS3Presign(): Promise<Row[]> {
  const createS3Storage = await loadS3();
  if (typeof createS3Storage === 'string') return [notMeasured('2a', 'S3 presigned URLs', createS3Storage)];
  const port: StoragePort = await createS3Storage(S3);
  const client = new S3Client({
    region: S3.region,
    endpoint: S3.endpoint,
    forcePathStyle: true,
    credentials: S3.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const ops = scale(400, 300);
  const trials = scale(21, 7);
  const key = (i: number) => `uploads/${i}.png`;
  try {
    const download = await compare(
      side(ops, (i) => port.createDownloadUrl(key(i), { expiresIn: 3600 })),
      side(ops, (i) => getSignedUrl(client, new GetObjectCommand({ Bucket: S3.bucket, Key: key(i) }), { expiresIn: 3600 })),
      { trials },
    );
    const put = await compare(
      side(ops, (i) => port.createUploadUrl(key(i), { method: 'PUT', contentType: TYPE, expiresIn: 900 })),
      side(ops, (i) =>
        getSignedUrl(client, new PutObjectCommand({ Bucket: S3.bucket, Key: key(i), ContentType: TYPE }), {
          expiresIn: 900,
          signableHeaders: new Set(['content-type']),
        }),
      ),
      { trials },
    );
    const post = await compare(
      side(ops, (i) => port.createUploadUrl(key(i), { method: 'POST', contentType: TYPE, maxBytes: MAX_BYTES, expiresIn: 900 })),
      side(ops, (i) =>
        createPresignedPost(client, {
          Bucket: S3.bucket,
          Key: key(i),
          Conditions: [{ 'Content-Type': TYPE }, ['content-length-range', 0, MAX_BYTES]],
          Fields: { 'Content-Type': TYPE },
          Expires: 900,
        }),
      ),
      { trials },
    );
    return [
      throughputRow({ id: '2a', what: 'S3 createDownloadUrl vs getSignedUrl(GetObject)' }, download, 0.95),
      throughputRow({ id: '2a', what: 'S3 createUploadUrl PUT (signed content-type) vs getSignedUrl(PutObject)' }, put, 0.95),
      throughputRow({ id: '2a', what: 'S3 createUploadUrl POST (type + size policy) vs createPresignedPost' }, post, 0.95),
    ];
  } finally {
    client.destroy();
    await port.close();
  }
}

async function benchLocalPresign(): Promise<Row[]> {
  const directory = await mkdtemp(join(tmpdir(), 'switchyard-bench-presign-'));
  const port = await createLocalStorage({ directory, baseUrl: 'http://localhost:3000/_storage', secret: 'x'.repeat(32) });
  try {
    const ops = scale(5000, 1000);
    const trials = scale(5, 3);
    const upload = await measureAlone(
      side(ops, (i) => port.createUploadUrl(`uploads/${i}.png`, { contentType: TYPE, maxBytes: MAX_BYTES })),
      { trials },
    );
    const download = await measureAlone(
      side(ops, (i) => port.createDownloadUrl(`uploads/${i}.png`)),
      { trials },
    );
    const alone = (what: string, value: number): Row => ({
      id: '2b',
      what,
      port: perSecond(value),
      anchor: '— (no raw equivalent)',
      ratio: '—',
      target: 'informational',
      met: 'n/a',
    });
    return [alone('local createUploadUrl (HMAC-signed)', upload), alone('local createDownloadUrl (HMAC-signed)', download)];
  } finally {
    await port.close();
    await rm(directory, { recursive: true, force: true });
  }
}
