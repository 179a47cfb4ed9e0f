import { createHmac, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import { describe, expect, it } from 'vitest';
import type { S3StorageOptions } from '../src/s3/index.js';
import { s3rverForSuite } from './s3-server.js';

const id = () => randomBytes(4).toString('hex');

describe('S3Storage URLs', () => {
  const suite = s3rverForSuite();
  const open = suite.open;

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
});
