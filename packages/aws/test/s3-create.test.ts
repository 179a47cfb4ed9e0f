import { generateKeyPairSync } from 'node:crypto';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import { describe, expect, it } from 'vitest';
import { createS3Storage, type S3StorageOptions } from '../src/s3/index.js';

const MiB = 1024 * 1024;

describe('createS3Storage', () => {
  const valid: S3StorageOptions = {
    bucket: 'my-bucket',
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
  };
  const notInstalled = (name: string) => () =>
    Promise.reject(Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' }));

  it('lists every invalid option in one CONFIG error', async () => {
    const error = await expectSwitchyardError(
      createS3Storage({
        bucket: 'a/b',
        region: '',
        endpoint: 'ftp://x',
        partSize: MiB,
        multipartThreshold: 1.5,
        queueSize: 0,
        presign: 'get' as 'put',
        cloudFront: { domain: 'https://cdn.example.com/path', keyPairId: 'K1' },
      }),
      'CONFIG',
    );
    const problems = error.details?.problems as string[];
    for (const name of [
      'bucket',
      'region',
      'endpoint',
      'partSize',
      'multipartThreshold',
      'queueSize',
      'presign',
      'cloudFront.domain',
      'cloudFront.keyPairId',
    ]) {
      expect(
        problems.some((problem) => problem.startsWith(name)),
        `no problem reported for ${name}`,
      ).toBe(true);
    }
    expect(error.message).toContain('endpoint must be an http(s) URL');
  });

  it('refuses an unreadable CloudFront private key without echoing it', async () => {
    const secret = 'not-a-pem-but-a-secret-value';
    const error = await expectSwitchyardError(
      createS3Storage({ ...valid, cloudFront: { domain: 'cdn.example.com', keyPairId: 'K1', privateKey: secret } }),
      'CONFIG',
    );
    expect(error.message).toContain('cloudFront.privateKey');
    expect(error.message).not.toContain(secret);
  });

  it('refuses half-given credentials', async () => {
    const error = await expectSwitchyardError(
      createS3Storage({ ...valid, credentials: { accessKeyId: 'AKID', secretAccessKey: '' } }),
      'CONFIG',
    );
    expect(error.message).toContain('credentials');
  });

  it('names the packages to install when client-s3 is missing', async () => {
    const error = await expectSwitchyardError(createS3Storage(valid, { importers: { s3: notInstalled('@aws-sdk/client-s3') } }), 'CONFIG');
    expect(error.message).toContain(
      'npm install @aws-sdk/client-s3 @aws-sdk/lib-storage @aws-sdk/s3-request-presigner @aws-sdk/s3-presigned-post',
    );
    expect(error.cause).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
  });

  it('imports lib-storage, the presigner and presigned-post only on first use, each missing one failing only its calls', async () => {
    const loaded: string[] = [];
    const real = (name: string, load: () => Promise<unknown>) => () => {
      loaded.push(name);
      return load();
    };
    const storage = await createS3Storage(valid, {
      importers: {
        storage: notInstalled('@aws-sdk/lib-storage'),
        presigner: real('presigner', () => import('@aws-sdk/s3-request-presigner')),
        post: real('post', () => import('@aws-sdk/s3-presigned-post')),
      },
    });
    expect(loaded).toEqual([]);
    await storage.createDownloadUrl('a.txt');
    await storage.createUploadUrl('b.txt', { method: 'PUT' });
    expect(loaded).toEqual(['presigner']);
    await storage.createUploadUrl('c.txt', { method: 'POST' });
    expect(loaded).toEqual(['presigner', 'post']);

    const body = new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(new Uint8Array(1)) });
    const error = await expectSwitchyardError(storage.put('big.bin', body), 'CONFIG');
    expect(error.operation).toBe('put');
    expect(error.message).toContain('npm install @aws-sdk/lib-storage');
    expect(error.cause).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
    // Refused before reading: the caller still owns its stream.
    expect(body.locked).toBe(false);
    await expectSwitchyardError(storage.put('big.bin', new Uint8Array(9 * MiB)), 'CONFIG');
    await storage.close();
  });

  it('fails presigning with CONFIG naming the package when the presigner or presigned-post is missing', async () => {
    const storage = await createS3Storage(valid, {
      importers: { presigner: notInstalled('@aws-sdk/s3-request-presigner'), post: notInstalled('@aws-sdk/s3-presigned-post') },
    });
    const download = await expectSwitchyardError(storage.createDownloadUrl('a.txt'), 'CONFIG');
    expect(download.operation).toBe('createDownloadUrl');
    expect(download.message).toContain('npm install @aws-sdk/s3-request-presigner');
    const put = await expectSwitchyardError(storage.createUploadUrl('a.txt', { method: 'PUT' }), 'CONFIG');
    expect(put.operation).toBe('createUploadUrl');
    expect(put.message).toContain('npm install @aws-sdk/s3-request-presigner');
    const post = await expectSwitchyardError(storage.createUploadUrl('a.txt', { method: 'POST' }), 'CONFIG');
    expect(post.message).toContain('npm install @aws-sdk/s3-presigned-post');
    await storage.close();
  });

  it('needs @aws-sdk/cloudfront-signer only when a CloudFront key pair is configured', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const importers = { cloudFront: notInstalled('@aws-sdk/cloudfront-signer') };
    const error = await expectSwitchyardError(
      createS3Storage({ ...valid, cloudFront: { domain: 'cdn.example.com', keyPairId: 'K1', privateKey: pem } }, { importers }),
      'CONFIG',
    );
    expect(error.message).toContain('npm install @aws-sdk/cloudfront-signer');
    const storage = await createS3Storage({ ...valid, cloudFront: { domain: 'cdn.example.com' } }, { importers });
    await storage.close();
  });

  it('reports an SDK that is installed but broken as CONFIG', async () => {
    const broken = await expectSwitchyardError(
      createS3Storage(valid, { importers: { s3: () => Promise.reject(new TypeError('boom')) } }),
      'CONFIG',
    );
    expect(broken.message).toContain('failed to load');
    const storage = await createS3Storage(valid, { importers: { presigner: () => Promise.reject(new TypeError('boom')) } });
    const error = await expectSwitchyardError(storage.createDownloadUrl('a.txt'), 'CONFIG');
    expect(error.message).toContain('@aws-sdk/s3-request-presigner is installed but failed to load');
    expect(error.cause).toBeInstanceOf(TypeError);
    await storage.close();
  });
});
