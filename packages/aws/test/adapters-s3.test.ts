import { s3Adapter } from '@switchyard/aws/adapters';
import { describe, expect, it } from 'vitest';
import { plan, secrets } from './adapters-plan.js';

const base = { AWS_REGION: 'us-east-1', AWS_S3_BUCKET: 'uploads' };

describe('s3Adapter (SWITCHYARD_STORAGE=aws)', () => {
  it('describes itself for createProviders', () => {
    expect(s3Adapter).toMatchObject({ name: 'aws', port: 'storage', module: '@switchyard/aws/s3' });
    expect(secrets(s3Adapter)).toEqual(['AWS_CLOUDFRONT_PRIVATE_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);
    for (const s of Object.values(s3Adapter.settings)) {
      expect(s.description.length, s.variable).toBeGreaterThan(10);
      expect(s.example, s.variable).not.toBe('');
    }
  });

  it('builds the options from the usual AWS variables', () => {
    const { options, problems } = plan(s3Adapter, {
      AWS_REGION: 'eu-west-1',
      AWS_S3_BUCKET: 'uploads',
      AWS_S3_ENDPOINT: 'http://127.0.0.1:4568',
      AWS_CLOUDFRONT_DOMAIN: 'cdn.example.com',
    });
    expect(problems).toEqual([]);
    expect(options).toEqual({
      region: 'eu-west-1',
      bucket: 'uploads',
      endpoint: 'http://127.0.0.1:4568',
      forcePathStyle: true,
      cloudFront: { domain: 'cdn.example.com' },
    });
  });

  it('uses virtual-host URLs on AWS unless told otherwise', () => {
    expect(plan(s3Adapter, base).options).toEqual({ region: 'us-east-1', bucket: 'uploads', forcePathStyle: false });
    const endpoint = { ...base, AWS_S3_ENDPOINT: 'http://127.0.0.1:4568', AWS_S3_FORCE_PATH_STYLE: 'false' };
    expect(plan(s3Adapter, endpoint).options.forcePathStyle).toBe(false);
    expect(plan(s3Adapter, { ...base, AWS_S3_FORCE_PATH_STYLE: 'maybe' }).problems).toEqual([
      { variable: 'AWS_S3_FORCE_PATH_STYLE', problem: 'is "maybe"', expected: 'true or false' },
    ]);
  });

  it('reports a missing region and bucket with the messages they always had', () => {
    expect(plan(s3Adapter, {}).problems).toEqual([
      { variable: 'AWS_REGION', problem: 'is not set', expected: 'an AWS region such as eu-west-1' },
      { variable: 'AWS_S3_BUCKET', problem: 'is not set', expected: 'the S3 bucket name, e.g. my-app-uploads' },
    ]);
  });

  it('passes static credentials only as a pair', () => {
    const pair = plan(s3Adapter, { ...base, AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' });
    expect(pair.options.credentials).toEqual({ accessKeyId: 'AKID', secretAccessKey: 's', sessionToken: 't' });
    expect(plan(s3Adapter, base).options).not.toHaveProperty('credentials');
    expect(plan(s3Adapter, { ...base, AWS_ACCESS_KEY_ID: 'AKID' }).problems).toEqual([
      {
        variable: 'AWS_SECRET_ACCESS_KEY',
        problem: 'is not set while its pair is',
        expected: 'both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (to use the default credential chain)',
      },
    ]);
  });

  it('signs CloudFront URLs with a key pair, which needs its domain and the signer package', () => {
    const keys = { AWS_CLOUDFRONT_KEY_PAIR_ID: 'K2JCJMDEHXQW5F', AWS_CLOUDFRONT_PRIVATE_KEY: 'pem' };
    const signed = plan(s3Adapter, { ...base, ...keys, AWS_CLOUDFRONT_DOMAIN: 'cdn.example.com' });
    expect(signed.problems).toEqual([]);
    expect(signed.options.cloudFront).toEqual({ domain: 'cdn.example.com', keyPairId: 'K2JCJMDEHXQW5F', privateKey: 'pem' });
    expect(signed.peers).toContain('@aws-sdk/cloudfront-signer');
    expect(plan(s3Adapter, base).peers).toEqual([
      '@aws-sdk/client-s3',
      '@aws-sdk/s3-request-presigner',
      '@aws-sdk/s3-presigned-post',
      '@aws-sdk/lib-storage',
    ]);
    expect(plan(s3Adapter, { ...base, ...keys }).problems).toEqual([
      {
        variable: 'AWS_CLOUDFRONT_DOMAIN',
        problem: 'is not set while a CloudFront key pair is',
        expected: 'the distribution domain, e.g. d111111abcdef8.cloudfront.net',
      },
    ]);
    expect(plan(s3Adapter, { ...base, AWS_CLOUDFRONT_KEY_PAIR_ID: 'K2' }).variables()).toContain('AWS_CLOUDFRONT_PRIVATE_KEY');
  });

  it('passes the checksum mode and refuses a bad one', () => {
    expect(plan(s3Adapter, base).options).not.toHaveProperty('checksums');
    expect(plan(s3Adapter, { ...base, AWS_S3_CHECKSUMS: 'WHEN_REQUIRED' }).options.checksums).toBe('when_required');
    expect(plan(s3Adapter, { ...base, AWS_S3_CHECKSUMS: 'never' }).problems).toEqual([
      { variable: 'AWS_S3_CHECKSUMS', problem: 'is "never"', expected: 'one of when_supported, when_required' },
    ]);
  });

  it('leaves limits, timeouts, attempts and multipart sizes to the adapter when unset', () => {
    const { options, problems } = plan(s3Adapter, base);
    expect(problems).toEqual([]);
    for (const option of ['limits', 'connectionTimeoutMs', 'requestTimeoutMs', 'maxAttempts', 'presign', 'partSize', 'queueSize']) {
      expect(options).not.toHaveProperty(option);
    }
  });

  it("describes an S3-compatible endpoint's limits, e.g. Supabase Storage's, passing only those set", () => {
    const { options, problems } = plan(s3Adapter, {
      ...base,
      AWS_S3_ENDPOINT: 'https://ref.storage.supabase.co/storage/v1/s3',
      AWS_S3_POST_POLICY: 'except-size',
      AWS_S3_CONDITIONAL_WRITES: 'not-enforced',
      AWS_S3_KEY_CHARACTERS: "A-Za-z0-9_/!.*'() &$=@;:+,?-",
      AWS_S3_MAX_KEY_SEGMENT_BYTES: '255',
      AWS_S3_SIGNATURES: 'verified',
    });
    expect(problems).toEqual([]);
    expect(options.limits).toEqual({
      postPolicy: 'except-size',
      signatures: 'verified',
      conditionalWrites: 'not-enforced',
      keyCharacters: "A-Za-z0-9_/!.*'() &$=@;:+,?-",
      maxKeySegmentBytes: 255,
    });
    expect(plan(s3Adapter, { ...base, AWS_S3_CONDITIONAL_WRITES: 'put-only' }).options.limits).toEqual({ conditionalWrites: 'put-only' });
  });

  it('passes timeouts, attempts, the upload URL kind and multipart sizes', () => {
    const { options, problems } = plan(s3Adapter, {
      ...base,
      AWS_S3_CONNECTION_TIMEOUT_MS: '2000',
      AWS_S3_REQUEST_TIMEOUT_MS: '10000',
      AWS_S3_MAX_ATTEMPTS: '5',
      AWS_S3_PRESIGN: 'put',
      AWS_S3_MULTIPART_THRESHOLD_BYTES: '16777216',
      AWS_S3_PART_SIZE_BYTES: '5242880',
      AWS_S3_QUEUE_SIZE: '2',
    });
    expect(problems).toEqual([]);
    expect(options).toMatchObject({
      connectionTimeoutMs: 2000,
      requestTimeoutMs: 10000,
      maxAttempts: 5,
      presign: 'put',
      multipartThreshold: 16 * 1024 * 1024,
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
    });
  });

  it('refuses form POST uploads on an endpoint that does not enforce their policy', () => {
    expect(plan(s3Adapter, { ...base, AWS_S3_PRESIGN: 'post', AWS_S3_POST_POLICY: 'not-enforced' }).problems).toEqual([
      { variable: 'AWS_S3_PRESIGN', problem: 'is "post" while AWS_S3_POST_POLICY is not-enforced', expected: 'put, or leave it unset' },
    ]);
  });

  it('reports every bad value at once', () => {
    const { problems, variables } = plan(s3Adapter, {
      ...base,
      AWS_S3_POST_POLICY: 'sometimes',
      AWS_S3_SIGNATURES: 'no',
      AWS_S3_CONDITIONAL_WRITES: 'yes',
      AWS_S3_MAX_KEY_SEGMENT_BYTES: '0',
      AWS_S3_CONNECTION_TIMEOUT_MS: 'soon',
      AWS_S3_REQUEST_TIMEOUT_MS: '-5',
      AWS_S3_MAX_ATTEMPTS: '1.5',
      AWS_S3_PART_SIZE_BYTES: '1024',
    });
    expect(variables()).toEqual([
      'AWS_S3_POST_POLICY',
      'AWS_S3_SIGNATURES',
      'AWS_S3_CONDITIONAL_WRITES',
      'AWS_S3_MAX_KEY_SEGMENT_BYTES',
      'AWS_S3_CONNECTION_TIMEOUT_MS',
      'AWS_S3_REQUEST_TIMEOUT_MS',
      'AWS_S3_MAX_ATTEMPTS',
      'AWS_S3_PART_SIZE_BYTES',
    ]);
    expect(problems[0]).toMatchObject({ expected: 'one of enforced, except-size, not-enforced' });
    expect(problems[4]).toMatchObject({ expected: 'milliseconds to wait for a connection, e.g. 5000' });
  });
});
