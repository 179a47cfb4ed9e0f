import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3RVER_CREDENTIALS } from '@switchyard/test-peers/s3rver';
import { describe, expect, it } from 'vitest';
import { createS3Storage } from '../src/s3/index.js';
import { s3rverForSuite } from './s3-server.js';

describe('createS3Storage({ client })', () => {
  const suite = s3rverForSuite();

  it('sends through the given client, signs URLs with its credentials, and leaves it open on close', async () => {
    const server = suite.server();
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    // No credentials of its own: signed URLs must use the client's.
    const { credentials: _credentials, ...options } = server.options();
    const storage = await createS3Storage({ ...options, client });
    await storage.put('client/given.txt', 'through the app client', { contentType: 'text/plain' });
    const { url } = await storage.createDownloadUrl('client/given.txt');
    expect(await (await fetch(url)).text()).toBe('through the app client');
    await storage.close();
    const head = await client.send(new HeadObjectCommand({ Bucket: server.bucket, Key: 'client/given.txt' }));
    expect(head.ContentType).toBe('text/plain');
    client.destroy();
  });
});
