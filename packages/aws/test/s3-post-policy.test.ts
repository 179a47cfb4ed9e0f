import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PostPolicySigner, type PostRequest } from '../src/s3/post-policy.js';
import { loadS3Sdk } from '../src/s3/sdk.js';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** What the adapter asked createPresignedPost for before it signed policies itself. */
async function sdkPost(client: S3Client, bucket: string, request: PostRequest) {
  const conditions: NonNullable<Parameters<typeof createPresignedPost>[1]['Conditions']> = [];
  const fields: Record<string, string> = {};
  if (request.contentType) {
    conditions.push({ 'Content-Type': request.contentType });
    fields['Content-Type'] = request.contentType;
  } else {
    conditions.push(['starts-with', '$Content-Type', '']);
  }
  if (request.maxBytes !== undefined) conditions.push(['content-length-range', 0, request.maxBytes]);
  return createPresignedPost(client, {
    Bucket: bucket,
    Key: request.key,
    Conditions: conditions,
    Fields: fields,
    Expires: request.expiresIn,
  });
}

const REQUESTS: PostRequest[] = [
  { key: 'avatars/u1/photo.png', expiresIn: 900, contentType: 'image/png', maxBytes: 5_000_000 },
  { key: 'docs/any', expiresIn: 60 },
  { key: 'ünïcödé/"quoted" \\ back\tslash.txt', expiresIn: 3600, contentType: 'text/plain; charset="utf-8"' },
  { key: 'zero', expiresIn: 1, maxBytes: 0 },
];

const CLIENTS: Array<{ name: string; config: ConstructorParameters<typeof S3Client>[0] }> = [
  { name: 'AWS, virtual-hosted', config: { region: 'eu-central-1' } },
  { name: 'a dotted bucket (path style)', config: { region: 'us-east-1' } },
  { name: 'a custom endpoint, path style', config: { region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true } },
];

describe('PostPolicySigner', () => {
  afterEach(() => vi.useRealTimers());

  for (const { name, config } of CLIENTS) {
    it(`returns field for field what createPresignedPost returns: ${name}`, async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-30T01:02:03.456Z') });
      const bucket = name.includes('dotted') ? 'my.dotted.bucket' : 'photos-bucket';
      for (const credentials of [
        { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
        { accessKeyId: 'ASIATEMP', secretAccessKey: 'temp/secret', sessionToken: 'FwoGZXIvYXdzE//session+token=' },
      ] satisfies Credentials[]) {
        const client = new S3Client({ ...config, credentials });
        const signer = new PostPolicySigner(await loadS3Sdk(false), client, bucket);
        for (const request of REQUESTS) {
          const ours = await signer.sign(request);
          const theirs = await sdkPost(client, bucket, request);
          expect(ours.url).toBe(theirs.url);
          // Order too: a form sends its fields in this order, and S3 wants the file last.
          expect(Object.entries(ours.fields)).toEqual(Object.entries(theirs.fields));
          expect(ours.expiresAt.getTime()).toBe(Date.now() + request.expiresIn * 1000);
        }
        client.destroy();
      }
    });
  }

  it('signs with a new key on a new day or new credentials, and follows the clock skew the SDK corrected for', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-30T23:59:59.900Z') });
    const client = new S3Client({ region: 'us-west-2', credentials: { accessKeyId: 'AK1', secretAccessKey: 'first' } });
    const signer = new PostPolicySigner(await loadS3Sdk(false), client, 'b');
    // As a refreshing provider would: the signer asks on every call and must not keep an old key.
    // (The config's setter memoizes the provider it is given, so each rotation sets a new one.)
    const rotate = (credentials: Credentials) => {
      client.config.credentials = async () => credentials;
    };
    const request = REQUESTS[0]!;
    const signatures = new Set<string>();
    const signBoth = async () => {
      const ours = await signer.sign(request);
      expect(Object.entries(ours.fields)).toEqual(Object.entries((await sdkPost(client, 'b', request)).fields));
      signatures.add(ours.fields['X-Amz-Signature']!);
      return ours;
    };
    expect((await signBoth()).fields['X-Amz-Date']).toBe('20261130T235959Z');
    vi.advanceTimersByTime(200);
    expect((await signBoth()).fields['X-Amz-Date']).toBe('20261201T000000Z');
    rotate({ accessKeyId: 'AK1', secretAccessKey: 'second' });
    await signBoth();
    rotate({ accessKeyId: 'AK2', secretAccessKey: 'second', sessionToken: 'token' });
    await signBoth();
    expect(signatures.size).toBe(4);
    client.config.systemClockOffset = -86_400_000;
    expect((await signBoth()).fields['X-Amz-Date']).toBe('20261130T000000Z');
    client.destroy();
  });

  it('resolves the URL again after a failed first attempt', async () => {
    let attempts = 0;
    const sdk = await loadS3Sdk(false, {
      post: async () => {
        attempts++;
        if (attempts === 1) throw Object.assign(new Error('Cannot find package'), { code: 'ERR_MODULE_NOT_FOUND' });
        return import('@aws-sdk/s3-presigned-post');
      },
    });
    const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const signer = new PostPolicySigner(sdk, client, 'bkt');
    await expect(signer.sign(REQUESTS[1]!)).rejects.toMatchObject({ code: 'CONFIG' });
    expect((await signer.sign(REQUESTS[1]!)).url).toBe('https://bkt.s3.us-east-1.amazonaws.com/');
    await signer.sign(REQUESTS[1]!);
    expect(attempts).toBe(2);
    client.destroy();
  });
});
