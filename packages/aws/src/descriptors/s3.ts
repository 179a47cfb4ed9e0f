import { describeAdapter, type EnvReader, setting } from '@switchyard/core/adapter/descriptor';
import type { StoragePort } from '@switchyard/core/adapter/storage';
import type { S3EndpointLimits } from '../s3/endpoint-limits.js';
import type { S3StorageOptions } from '../s3/options.js';
import { awsCredentials, credentialSettings } from './credentials.js';
import { custom, defined, HTTP, optional, region, whole } from './read.js';

const MiB = 1024 * 1024;
// S3's smallest part (except the last) and largest: https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
const PART_RANGE: [number, number] = [5 * MiB, 5 * 1024 * MiB];

const pick = <const V extends string>(variable: string, values: readonly V[], description: string) =>
  custom({ variable, description, example: values[0] as string, values: values.join(', ') }, (env) =>
    env.optional(variable) === undefined ? undefined : env.oneOf(variable, values, values[0] as V),
  );

const settings = {
  region,
  bucket: custom(
    { variable: 'AWS_S3_BUCKET', description: 'The bucket every key lives in.', example: 'my-app-uploads', required: true },
    (env) => env.required('AWS_S3_BUCKET', 'the S3 bucket name, e.g. my-app-uploads'),
  ),
  endpoint: setting.url('AWS_S3_ENDPOINT', HTTP, {
    description: 'an S3-compatible endpoint URL',
    example: 'http://localhost:4568',
  }),
  // Unset means "path style exactly when an endpoint is given", decided in options().
  forcePathStyle: custom(
    {
      variable: 'AWS_S3_FORCE_PATH_STYLE',
      description: 'Path-style URLs (endpoint/bucket/key), which most S3-compatible servers need.',
      example: 'true',
      values: 'true, false',
      default: 'true when AWS_S3_ENDPOINT is set, else false',
    },
    (env) => (env.optional('AWS_S3_FORCE_PATH_STYLE') === undefined ? undefined : env.boolean('AWS_S3_FORCE_PATH_STYLE', false)),
  ),
  cloudFrontDomain: optional('AWS_CLOUDFRONT_DOMAIN', {
    description: 'CloudFront distribution in front of the bucket: public URLs on its domain (no scheme, no path).',
    example: 'd111111abcdef8.cloudfront.net',
    required: 'when AWS_CLOUDFRONT_KEY_PAIR_ID is set',
  }),
  cloudFrontKeyPairId: optional('AWS_CLOUDFRONT_KEY_PAIR_ID', {
    description: "The public key id of the distribution's trusted key group; download URLs are then CloudFront signed URLs.",
    example: 'K2JCJMDEHXQW5F',
    required: 'when AWS_CLOUDFRONT_PRIVATE_KEY is set',
  }),
  cloudFrontPrivateKey: optional('AWS_CLOUDFRONT_PRIVATE_KEY', {
    description: 'The PEM private key of that key pair (newlines may be written as \\n).',
    example: '-----BEGIN PRIVATE KEY-----\\n…',
    required: 'when AWS_CLOUDFRONT_KEY_PAIR_ID is set',
    secret: true,
  }),
  ...credentialSettings,
  // Request checksums (the SDK default) break uploads to many S3-compatible servers.
  checksums: setting.maybeOneOf('AWS_S3_CHECKSUMS', ['when_supported', 'when_required'], {
    description: 'Request checksums; many S3-compatible servers need when_required.',
    example: 'when_required',
    default: 'when_supported',
  }),
  postPolicy: pick('AWS_S3_POST_POLICY', ['enforced', 'except-size', 'not-enforced'], 'Whether the endpoint enforces POST policies.'),
  signatures: pick('AWS_S3_SIGNATURES', ['verified', 'not-verified'], 'Whether the endpoint verifies request signatures.'),
  conditionalWrites: pick(
    'AWS_S3_CONDITIONAL_WRITES',
    ['enforced', 'put-only', 'not-enforced'],
    'Whether the endpoint honours If-Match / If-None-Match on writes.',
  ),
  // A regular-expression character class body; the adapter checks it and reports CONFIG.
  keyCharacters: optional('AWS_S3_KEY_CHARACTERS', {
    description: 'The characters the endpoint stores in keys, as a regular-expression character class body.',
    example: "A-Za-z0-9_/!.*'() &$=@;:+,?-",
  }),
  maxKeySegmentBytes: whole('AWS_S3_MAX_KEY_SEGMENT_BYTES', [1, 1024], 'bytes between two "/" the endpoint can store, e.g. 255', {
    description: 'Longest key segment (between two "/") the endpoint can store, in bytes.',
    example: '255',
  }),
  connectionTimeoutMs: whole('AWS_S3_CONNECTION_TIMEOUT_MS', [1, 600_000], 'milliseconds to wait for a connection, e.g. 5000', {
    description: 'Longest wait for a connection to open, in ms.',
    example: '5000',
    default: '5000',
  }),
  requestTimeoutMs: whole('AWS_S3_REQUEST_TIMEOUT_MS', [1, 3_600_000], 'milliseconds a request may go without a byte, e.g. 30000', {
    description: 'Longest a request may go without a byte sent or received, in ms.',
    example: '30000',
    default: '30000',
  }),
  maxAttempts: whole('AWS_S3_MAX_ATTEMPTS', [1, 10], 'attempts per call, 1 to 10 (3 by default)', {
    description: 'Attempts per call, the first included, for failures the SDK retries.',
    example: '3',
    default: '3',
  }),
  presign: setting.maybeOneOf('AWS_S3_PRESIGN', ['post', 'put'], {
    description: 'What upload URLs are when the caller does not choose: a form POST whose policy enforces type and size, or a signed PUT.',
    example: 'post',
    default: 'post, or put when AWS_S3_POST_POLICY=not-enforced',
  }),
  multipartThreshold: whole('AWS_S3_MULTIPART_THRESHOLD_BYTES', PART_RANGE, 'bytes from 5 MiB (5242880) to 5 GiB', {
    description: 'Bodies up to this size are sent as one PutObject; larger ones and streams of unknown length as multipart.',
    example: '8388608',
    default: '8388608 (8 MiB)',
  }),
  partSize: whole('AWS_S3_PART_SIZE_BYTES', PART_RANGE, 'bytes from 5 MiB (5242880) to 5 GiB', {
    description: 'Multipart part size.',
    example: '8388608',
    default: '8388608 (8 MiB)',
  }),
  queueSize: whole('AWS_S3_QUEUE_SIZE', [1, 64], 'parts uploaded at once, 1 to 64', {
    description: 'Multipart parts uploaded at once; one streamed put holds about this × the part size in memory.',
    example: '4',
    default: '4',
  }),
};

export type S3AdapterOptions = Omit<S3StorageOptions, 'onEvent' | 'client'>;

function cloudFront(domain: string | undefined, keyPairId: string | undefined, privateKey: string | undefined, env: EnvReader) {
  if ((keyPairId === undefined) !== (privateKey === undefined)) {
    const missing = keyPairId === undefined ? 'AWS_CLOUDFRONT_KEY_PAIR_ID' : 'AWS_CLOUDFRONT_PRIVATE_KEY';
    env.report(missing, 'is not set while its pair is', 'both the CloudFront key pair id and its PEM private key, or neither');
  }
  if (keyPairId !== undefined && domain === undefined) {
    env.report(
      'AWS_CLOUDFRONT_DOMAIN',
      'is not set while a CloudFront key pair is',
      'the distribution domain, e.g. d111111abcdef8.cloudfront.net',
    );
  }
  return domain ? { domain, ...(keyPairId && privateKey ? { keyPairId, privateKey } : {}) } : undefined;
}

/** What an S3-compatible endpoint does not do that S3 does; undefined (AWS S3) when none is set. */
function limits(values: Partial<S3EndpointLimits>): S3EndpointLimits | undefined {
  const set = defined(values);
  return Object.keys(set).length > 0 ? set : undefined;
}

/** `SWITCHYARD_STORAGE=aws`: Amazon S3 or an S3-compatible endpoint, with CloudFront URLs. */
export const s3Adapter = describeAdapter({
  name: 'aws',
  port: 'storage',
  module: '@switchyard/aws/s3',
  description: 'Amazon S3 (or an S3-compatible endpoint), with CloudFront public and signed URLs.',
  settings,
  options(v, env): S3AdapterOptions {
    if (v.presign === 'post' && v.postPolicy === 'not-enforced') {
      env.report('AWS_S3_PRESIGN', 'is "post" while AWS_S3_POST_POLICY is not-enforced', 'put, or leave it unset');
    }
    const { postPolicy, signatures, conditionalWrites, keyCharacters, maxKeySegmentBytes } = v;
    return defined({
      region: v.region as string,
      bucket: v.bucket as string,
      endpoint: v.endpoint,
      forcePathStyle: v.forcePathStyle ?? v.endpoint !== undefined,
      credentials: awsCredentials(v, env),
      cloudFront: cloudFront(v.cloudFrontDomain, v.cloudFrontKeyPairId, v.cloudFrontPrivateKey, env),
      checksums: v.checksums,
      limits: limits({ postPolicy, signatures, conditionalWrites, keyCharacters, maxKeySegmentBytes }),
      connectionTimeoutMs: v.connectionTimeoutMs,
      requestTimeoutMs: v.requestTimeoutMs,
      maxAttempts: v.maxAttempts,
      presign: v.presign,
      multipartThreshold: v.multipartThreshold,
      partSize: v.partSize,
      queueSize: v.queueSize,
    });
  },
  peers: (options) => [
    '@aws-sdk/client-s3',
    '@aws-sdk/s3-request-presigner',
    '@aws-sdk/s3-presigned-post',
    '@aws-sdk/lib-storage',
    ...(options.cloudFront?.keyPairId ? ['@aws-sdk/cloudfront-signer'] : []),
  ],
  async create(options, context): Promise<StoragePort> {
    const { createS3Storage } = await import('../s3/index.js');
    return createS3Storage({ ...options, onEvent: context.onEvent });
  },
});
