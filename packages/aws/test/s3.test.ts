import { createHmac, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { expectSwitchyardError, patternBytes } from '@switchyard/contract-tests';
import type { OperationEvent, SwitchyardEvent } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { createS3Storage, type S3StorageOptions } from '../src/s3/index.js';
import { sameBytes, streamOf } from './s3-bodies.js';
import { s3rverForSuite } from './s3-server.js';

const MiB = 1024 * 1024;
const id = () => randomBytes(4).toString('hex');

describe('S3Storage', () => {
  const suite = s3rverForSuite();
  const open = suite.open;
  /** The S3 calls the gate saw for `key` since `from`, as `METHOD ?query-names`. */
  const callsFor = (key: string, from: number) =>
    suite
      .server()
      .requests.slice(from)
      .filter((line) => line.includes(`/${key}`))
      .map((line) => {
        const [method, url = ''] = line.split(' ');
        const query = new URLSearchParams(url.split('?')[1] ?? '');
        return `${method} ?${[...query.keys()].filter((name) => name !== 'x-id').join('&')}`;
      });

  describe('put', () => {
    it('streams a body of unknown length over the threshold as a multipart upload', async () => {
      const storage = await open({ multipartThreshold: 5 * MiB, partSize: 5 * MiB, queueSize: 2 });
      const key = `multipart/${id()}.bin`;
      const body = patternBytes(11 * MiB + 123);
      const before = suite.server().requests.length;
      const info = await storage.put(key, streamOf(body), { contentType: 'video/mp4', metadata: { owner: 'u1' } });
      expect(info.size).toBe(body.byteLength);
      const calls = callsFor(key, before);
      expect(calls[0]).toBe('POST ?uploads');
      expect(calls.filter((call) => call === 'PUT ?partNumber&uploadId')).toHaveLength(3);
      expect(calls.at(-1)).toBe('POST ?uploadId');
      const object = await storage.get(key);
      expect(object.info).toMatchObject({ size: body.byteLength, contentType: 'video/mp4', metadata: { owner: 'u1' } });
      expect(sameBytes(await object.bytes(), body)).toBe(true);
    });

    it('sends bytes over the threshold as multipart and bytes under it as one PutObject', async () => {
      const storage = await open({ multipartThreshold: 5 * MiB, partSize: 5 * MiB });
      const big = `multipart/${id()}.bin`;
      const small = `single/${id()}.bin`;
      const before = suite.server().requests.length;
      await storage.put(big, patternBytes(6 * MiB));
      await storage.put(small, patternBytes(5 * MiB));
      expect(callsFor(big, before)).toEqual(['POST ?uploads', 'PUT ?partNumber&uploadId', 'PUT ?partNumber&uploadId', 'POST ?uploadId']);
      expect(callsFor(small, before)).toEqual(['PUT ?']);
      expect(sameBytes(await (await storage.get(big)).bytes(), patternBytes(6 * MiB))).toBe(true);
    });

    it('streams a body of declared length under the threshold in one PutObject', async () => {
      const storage = await open();
      const key = `single/${id()}.bin`;
      const body = patternBytes(3 * MiB + 7);
      const before = suite.server().requests.length;
      const info = await storage.put(key, streamOf(body), { contentLength: body.byteLength });
      expect(info.size).toBe(body.byteLength);
      expect(callsFor(key, before)).toEqual(['PUT ?']);
      expect(sameBytes(await (await storage.get(key)).bytes(), body)).toBe(true);
    });

    it('refuses a stream whose length differs from contentLength and stores nothing', async () => {
      const storage = await open();
      const short = `single/${id()}.bin`;
      const long = `single/${id()}.bin`;
      await expectSwitchyardError(storage.put(short, streamOf(patternBytes(1000)), { contentLength: 2000 }), 'INVALID_INPUT');
      await expectSwitchyardError(storage.put(long, streamOf(patternBytes(3000)), { contentLength: 2000 }), 'INVALID_INPUT');
      expect(await storage.head(short)).toBeNull();
      expect(await storage.head(long)).toBeNull();
    });
  });

  describe('get', () => {
    it('reports the whole object size for a range read', async () => {
      const storage = await open();
      const key = `range/${id()}.bin`;
      await storage.put(key, patternBytes(1000), { contentType: 'application/pdf' });
      const part = await storage.get(key, { range: { start: 100, end: 199 } });
      expect(part.range).toEqual({ start: 100, end: 199 });
      expect(part.info.size).toBe(1000);
      expect(part.info.contentType).toBe('application/pdf');
      expect(sameBytes(await part.bytes(), patternBytes(1000).subarray(100, 200))).toBe(true);
    });
  });

  describe('delete', () => {
    it('deletes more than 1,000 keys in batches of at most 1,000', async () => {
      const storage = await open();
      const folder = `batch-${id()}/`;
      const keys = Array.from({ length: 2500 }, (_, i) => `${folder}k${String(i).padStart(4, '0')}`);
      const stored = [keys[0]!, keys[999]!, keys[1000]!, keys[2499]!];
      await Promise.all(stored.map((key) => storage.put(key, key)));
      const before = suite.server().requests.length;
      await storage.delete(keys);
      const batches = suite
        .server()
        .requests.slice(before)
        .filter((line) => /^POST \/[^/?]+\/?\?delete/.test(line));
      expect(batches).toHaveLength(3);
      for (const key of stored) expect(await storage.head(key)).toBeNull();
      expect((await storage.list({ prefix: folder })).items).toEqual([]);
    });

    it('does nothing for an empty list', async () => {
      const storage = await open();
      const before = suite.server().requests.length;
      await storage.delete([]);
      expect(suite.server().requests.length).toBe(before);
    });
  });

  describe('list', () => {
    it('turns continuation tokens into URL-safe cursors and back', async () => {
      const storage = await open();
      const folder = `cursor-${id()}/`;
      const keys = ['a', 'b', 'c', 'd', 'e'].map((name) => `${folder}${name}`);
      await Promise.all(keys.map((key) => storage.put(key, key)));
      const first = await storage.list({ prefix: folder, limit: 2 });
      expect(first.items.map((item) => item.key)).toEqual(keys.slice(0, 2));
      expect(first.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      const second = await storage.list({ prefix: folder, limit: 2, cursor: first.cursor! });
      expect(second.items.map((item) => item.key)).toEqual(keys.slice(2, 4));
      const last = await storage.list({ prefix: folder, limit: 2, cursor: second.cursor! });
      expect(last.items.map((item) => item.key)).toEqual(keys.slice(4));
      expect(last.cursor).toBeUndefined();
    });
  });

  describe('copy', () => {
    // s3rver decodes x-amz-copy-source with decodeURI, which leaves %2B, %26, %3F… encoded, so
    // keys with those characters are covered against the exact header in s3-errors.test.ts.
    it('copies keys with spaces and unicode', async () => {
      const storage = await open();
      const from = `copy-${id()}/фото/été 2026/😀 (1).txt`;
      const to = `copy-${id()}/to 😀/x y.txt`;
      await storage.put(from, 'special', { contentType: 'text/plain', metadata: { tag: 'x' } });
      await storage.copy(from, to);
      const object = await storage.get(to);
      expect(await object.text()).toBe('special');
      expect(object.info.metadata).toEqual({ tag: 'x' });
    });

    it('treats a copy onto itself as done, and NOT_FOUND when it does not exist', async () => {
      const storage = await open();
      const key = `copy-${id()}/self.txt`;
      await storage.put(key, 'self');
      await storage.copy(key, key);
      expect(await (await storage.get(key)).text()).toBe('self');
      await expectSwitchyardError(storage.copy(`${key}.missing`, `${key}.missing`), 'NOT_FOUND');
    });
  });

  describe('createUploadUrl (form POST)', () => {
    // s3rver does not check POST policies (S3RVER_LIMITS); these cases read the signed policy itself,
    // so they describe the endpoint as AWS S3. Enforcement is proven against Ceph RGW (peers tier).
    const openPost = (extra: Partial<S3StorageOptions> = {}) => open({ limits: { postPolicy: 'enforced' }, ...extra });
    const decodePolicy = (fields: Record<string, string>) =>
      JSON.parse(Buffer.from(fields.Policy ?? '', 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };

    it('signs a policy with the exact key, content type and size range, expiring in 15 minutes', async () => {
      const storage = await openPost();
      const key = `post-${id()}/avatar.png`;
      const target = await storage.createUploadUrl(key, { contentType: 'image/png', maxBytes: 1000 });
      expect(target.method).toBe('POST');
      const policy = decodePolicy(target.fields);
      expect(policy.conditions).toEqual(
        expect.arrayContaining([
          { key },
          { bucket: suite.server().bucket },
          { 'Content-Type': 'image/png' },
          ['content-length-range', 0, 1000],
        ]),
      );
      expect(Math.abs(Date.parse(policy.expiration) - (Date.now() + 900_000))).toBeLessThan(5_000);
      // Recompute the SigV4 POST signature (HMAC of the base64 policy) with the server's secret.
      const [, date = '', region = '', service = ''] = (target.fields['X-Amz-Credential'] ?? '').split('/');
      const mac = (k: Buffer | string, data: string) => createHmac('sha256', k).update(data).digest();
      const signingKey = mac(mac(mac(mac('AWS4S3RVER', date), region), service), 'aws4_request');
      expect(target.fields['X-Amz-Signature']).toBe(mac(signingKey, target.fields.Policy ?? '').toString('hex'));
    });

    it('uploads through the form on s3rver and keeps the content type', async () => {
      const storage = await openPost();
      const key = `post-${id()}/doc.txt`;
      const target = await storage.createUploadUrl(key, { contentType: 'text/plain', maxBytes: 100 });
      const form = new FormData();
      for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
      form.append('file', new Blob(['posted'], { type: 'text/plain' }), 'doc.txt');
      const response = await fetch(target.url, { method: 'POST', body: form });
      expect(response.status).toBeLessThan(300);
      const object = await storage.get(key);
      expect(await object.text()).toBe('posted');
      expect(object.info.contentType).toBe('text/plain');
    });

    it('allows any content type field when none was asked for', async () => {
      const storage = await openPost();
      const target = await storage.createUploadUrl(`post-${id()}/any`);
      expect(decodePolicy(target.fields).conditions).toContainEqual(['starts-with', '$Content-Type', '']);
    });

    it("refuses a key containing S3's filename form variable, which would let the uploader choose the key", async () => {
      const storage = await openPost();
      const key = `uploads/${'$'}{filename}`;
      await expectSwitchyardError(storage.createUploadUrl(key), 'INVALID_INPUT');
      const put = await storage.createUploadUrl(key, { method: 'PUT' });
      expect(put.method).toBe('PUT');
    });

    it('declares enforcement only when the server enforces upload limits', async () => {
      expect((await openPost()).capabilities).toMatchObject({ uploadUrlEnforcesContentType: true, uploadUrlEnforcesMaxBytes: true });
      expect((await openPost({ presign: 'put' })).capabilities).toMatchObject({
        uploadUrlEnforcesContentType: true,
        uploadUrlEnforcesMaxBytes: false,
      });
      expect((await open({ limits: { postPolicy: 'not-enforced', signatures: 'not-verified' } })).capabilities).toMatchObject({
        uploadUrlEnforcesContentType: false,
        uploadUrlEnforcesMaxBytes: false,
      });
    });
  });

  describe('signed URLs', () => {
    it('never puts SDK checksums into a signed PUT, even when requests use them', async () => {
      const storage = await open({ checksums: 'when_supported' });
      const target = await storage.createUploadUrl(`put-${id()}/x.png`, { method: 'PUT', contentType: 'image/png' });
      expect(target.url).not.toMatch(/x-amz-checksum|x-amz-sdk-checksum/i);
      expect(new URL(target.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    });

    it('names a download with a unicode file name through response-content-disposition', async () => {
      const storage = await open();
      const key = `dl-${id()}/raw.bin`;
      await storage.put(key, 'résumé', { contentType: 'application/pdf' });
      const signed = await storage.createDownloadUrl(key, { downloadAs: 'résumé "final".pdf' });
      const response = await fetch(signed.url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('résumé');
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="r_sum_ _final_.pdf"; filename*=UTF-8''${encodeURIComponent('résumé "final".pdf')}`,
      );
    });

    it('refuses a downloadAs with control characters', async () => {
      const storage = await open();
      await expectSwitchyardError(storage.createDownloadUrl('a.txt', { downloadAs: 'a\r\nSet-Cookie: x' }), 'INVALID_INPUT');
    });
  });

  describe('CloudFront', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cloudFront = {
      domain: 'd111111abcdef8.cloudfront.net',
      keyPairId: 'K2JCJMDEHXQW5F',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };

    it('signs download URLs on the distribution with a canned policy that verifies with the public key', async () => {
      const storage = await open({ cloudFront });
      const key = 'photos/été 2026/a+b.jpg';
      const signed = await storage.createDownloadUrl(key, { expiresIn: 600, downloadAs: 'holiday.jpg' });
      const url = new URL(signed.url);
      expect(url.host).toBe(cloudFront.domain);
      expect(url.pathname).toBe('/photos/%C3%A9t%C3%A9%202026/a%2Bb.jpg');
      expect(url.searchParams.get('response-content-disposition')).toMatch(/^attachment; filename="holiday.jpg"/);
      expect(url.searchParams.get('Key-Pair-Id')).toBe(cloudFront.keyPairId);
      const expires = Number(url.searchParams.get('Expires'));
      expect(Math.abs(expires * 1000 - signed.expiresAt.getTime())).toBeLessThan(1_000);
      expect(Math.abs(expires * 1000 - (Date.now() + 600_000))).toBeLessThan(5_000);
      // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-creating-signed-url-canned-policy.html
      const resource = signed.url.slice(0, signed.url.indexOf('&Expires='));
      const policy = JSON.stringify({ Statement: [{ Resource: resource, Condition: { DateLessThan: { 'AWS:EpochTime': expires } } }] });
      const signature = Buffer.from(
        (url.searchParams.get('Signature') ?? '').replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'),
        'base64',
      );
      expect(verify('RSA-SHA1', Buffer.from(policy), publicKey, signature)).toBe(true);
    });

    it('accepts a private key whose newlines arrive escaped, as from an environment variable', async () => {
      const storage = await open({ cloudFront: { ...cloudFront, privateKey: cloudFront.privateKey.replace(/\n/g, '\\n') } });
      const url = new URL((await storage.createDownloadUrl('a.png')).url);
      expect(url.searchParams.get('Signature')).toBeTruthy();
    });

    it('serves public URLs on the distribution domain', async () => {
      const storage = await open({ cloudFront: { domain: 'cdn.example.com' } });
      expect(storage.capabilities.publicUrls).toBe(true);
      expect(await storage.publicUrl('a b/ü.png')).toBe('https://cdn.example.com/a%20b/%C3%BC.png');
      // Without a key pair, downloads stay S3 presigned URLs.
      expect(new URL((await storage.createDownloadUrl('a.png')).url).searchParams.has('X-Amz-Signature')).toBe(true);
    });

    it('has no public URLs without a distribution', async () => {
      const storage = await open();
      expect(storage.capabilities.publicUrls).toBe(false);
      await expectSwitchyardError(storage.publicUrl('a.png'), 'UNSUPPORTED');
    });
  });

  describe('events', () => {
    it('reports each call, with the error when it fails', async () => {
      const events: SwitchyardEvent[] = [];
      const storage = await open({ onEvent: (event) => events.push(event) });
      const key = `events-${id()}/x`;
      await storage.put(key, 'x');
      await storage.get(`${key}.missing`).catch(() => undefined);
      const operations = events.filter((event): event is OperationEvent => event.type === 'operation');
      expect(operations.map((event) => [event.operation, event.error?.code])).toEqual([
        ['put', undefined],
        ['get', 'NOT_FOUND'],
      ]);
      expect(operations[0]).toMatchObject({ port: 'storage', provider: 'aws' });
      expect(operations[0]?.durationMs).toBeGreaterThanOrEqual(0);
    });
  });
});

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
