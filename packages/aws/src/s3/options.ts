import { createPrivateKey } from 'node:crypto';
import { type OnEvent, SwitchyardError } from '@switchyard/core/adapter/storage';
import { type ResolvedLimits, resolveLimits, type S3EndpointLimits } from './endpoint-limits.js';

/** CloudFront in front of the bucket: public URLs on its domain, and signed URLs when a key pair is given. */
export interface CloudFrontOptions {
  /** The distribution's host name, e.g. `d111111abcdef8.cloudfront.net` or `cdn.example.com` (no scheme, no path). */
  domain: string;
  /** The public key id of the distribution's trusted key group; with `privateKey`, download URLs are CloudFront signed URLs. */
  keyPairId?: string;
  /** The PEM private key of that key pair. */
  privateKey?: string;
}

/**
 * An `S3Client` of `@aws-sdk/client-s3`, typed by shape so that no SDK type reaches these
 * declarations (apps without the SDK installed still type-check).
 */
export interface S3ClientLike {
  send(command: never, ...rest: never[]): Promise<unknown>;
  destroy(): void;
  readonly config: object;
}

/** Options of `createS3Storage`. */
export interface S3StorageOptions {
  /**
   * A client the app already has: every call goes through it, and `close` leaves it open (the app
   * closes it). Signed URLs still come from a client of the adapter's own, built from these options
   * with the given client's credentials, because a URL signed with a request checksum only fits an
   * empty body.
   */
  client?: S3ClientLike;
  /** The bucket every key lives in. */
  bucket: string;
  /** The bucket's region, e.g. `eu-west-1` (`us-east-1` for most S3-compatible servers). */
  region: string;
  /** For S3-compatible servers (MinIO, s3rver, Supabase's S3 endpoint), e.g. `http://127.0.0.1:4569`. */
  endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible servers need. Default false. */
  forcePathStyle?: boolean;
  /** Static credentials; without them the SDK's default chain (environment, profile, ECS/EC2/Lambda role) is used. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * `when_supported` (the SDK default since 3.729) adds CRC checksums to every request; many
   * S3-compatible servers reject them, so choose `when_required` there. Signed URLs never carry
   * checksums whatever this says: one computed at signing time could only match an empty body.
   */
  checksums?: 'when_supported' | 'when_required';
  /**
   * Bodies up to this size, streams of a known `contentLength` included, are read into memory and
   * sent as one PutObject (with its checksum, and retried by the SDK like any request); larger bodies
   * and streams of unknown length go through multipart upload. Default 8 MiB; 5 MiB to 5 GiB.
   */
  multipartThreshold?: number;
  /** Multipart part size. Default 8 MiB; 5 MiB to 5 GiB (S3's limits). Objects can have at most 10,000 parts. */
  partSize?: number;
  /** Parts uploaded at once. Default 4. Memory used by one streamed `put` is about queueSize × partSize. */
  queueSize?: number;
  cloudFront?: CloudFrontOptions;
  /**
   * What `createUploadUrl` returns when the caller does not choose: a form POST whose policy enforces
   * type and size (default), or a signed PUT (the default where `limits.postPolicy` is `'not-enforced'`).
   */
  presign?: 'post' | 'put';
  /** What an S3-compatible endpoint does not do that AWS S3 does (see `S3EndpointLimits`); leave out for AWS S3. */
  limits?: S3EndpointLimits;
  /** Longest wait for a connection to open, in ms. Default 5,000. */
  connectionTimeoutMs?: number;
  /**
   * Longest a request may go without a byte sent or received, in ms (the SDK's socket timeout):
   * a slow upload or download that keeps moving is never cut. Default 30,000.
   */
  requestTimeoutMs?: number;
  /** Attempts per call, the first included, for failures the SDK retries (throttling, 5xx, timeouts, resets). Default 3. */
  maxAttempts?: number;
  /** Receives an OperationEvent for every call. */
  onEvent?: OnEvent;
}

export const MiB = 1024 * 1024;
/** S3's smallest part (except the last) and largest part: https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html */
const MIN_PART = 5 * MiB;
const MAX_PART = 5 * 1024 * MiB;

/** The options with defaults applied and checked; what the adapter works from. */
export interface ResolvedS3Options {
  bucket: string;
  region: string;
  endpoint: string | undefined;
  forcePathStyle: boolean;
  credentials: S3StorageOptions['credentials'];
  checksums: 'when_supported' | 'when_required';
  multipartThreshold: number;
  partSize: number;
  queueSize: number;
  cloudFront: { domain: string; signer?: { keyPairId: string; privateKey: string } } | undefined;
  presign: 'post' | 'put';
  limits: ResolvedLimits;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  maxAttempts: number;
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

function checkSize(value: unknown, fallback: number, name: string, problems: string[]): number {
  if (value === undefined) return fallback;
  if (!(Number.isSafeInteger(value) && (value as number) >= MIN_PART && (value as number) <= MAX_PART)) {
    problems.push(`${name} must be a whole number of bytes from 5 MiB (${MIN_PART}) to 5 GiB`);
    return fallback;
  }
  return value as number;
}

function checkInteger(value: unknown, fallback: number, name: string, [min, max]: [number, number], problems: string[]): number {
  if (value === undefined) return fallback;
  if (!(Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) {
    problems.push(`${name} must be a whole number from ${min} to ${max}`);
    return fallback;
  }
  return value as number;
}

function checkEndpoint(endpoint: unknown, problems: string[]): void {
  if (endpoint === undefined) return;
  try {
    const url = new URL(String(endpoint));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    problems.push('endpoint must be an http(s) URL such as http://127.0.0.1:9000');
  }
}

function checkCredentials(credentials: S3StorageOptions['credentials'], problems: string[]): void {
  if (credentials === undefined) return;
  if (!nonEmpty(credentials?.accessKeyId) || !nonEmpty(credentials?.secretAccessKey)) {
    problems.push('credentials needs both accessKeyId and secretAccessKey (or leave credentials out to use the default chain)');
  }
}

function checkCloudFront(cloudFront: CloudFrontOptions | undefined, problems: string[]): ResolvedS3Options['cloudFront'] {
  if (cloudFront === undefined) return undefined;
  const { domain, keyPairId, privateKey } = cloudFront ?? ({} as CloudFrontOptions);
  // A bare host name: the adapter builds https://<domain>/<key> itself.
  if (!nonEmpty(domain) || !/^[a-z0-9.-]+(:\d+)?$/i.test(domain)) {
    problems.push('cloudFront.domain must be a host name such as d111111abcdef8.cloudfront.net (no https://, no path)');
  }
  if ((keyPairId === undefined) !== (privateKey === undefined)) {
    problems.push('cloudFront.keyPairId and cloudFront.privateKey go together: give both to sign URLs, or neither');
    return undefined;
  }
  if (keyPairId === undefined || privateKey === undefined) return { domain };
  if (!nonEmpty(keyPairId)) problems.push('cloudFront.keyPairId must be the key pair id, e.g. K2JCJMDEHXQW5F');
  // Environment variables often carry a PEM with its newlines written as "\n".
  const pem = typeof privateKey === 'string' && !privateKey.includes('\n') ? privateKey.replace(/\\n/g, '\n') : privateKey;
  try {
    createPrivateKey(pem);
  } catch {
    // Never echo the key: it is a secret.
    problems.push('cloudFront.privateKey is not a readable PEM private key');
  }
  return { domain, signer: { keyPairId, privateKey: pem } };
}

/** Applies defaults and fails with one CONFIG error that lists every option that cannot work. */
export function resolveS3Options(options: S3StorageOptions): ResolvedS3Options {
  const problems: string[] = [];
  const o = (options ?? {}) as S3StorageOptions;
  // S3 allows 3–63 lower-case letters, digits, "." and "-"; S3-compatible servers differ a little
  // (upper case, "_"), so only what no server accepts is refused here.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
  if (!nonEmpty(o.bucket) || !/^[a-zA-Z0-9][\w.-]{1,61}[a-zA-Z0-9]$/.test(o.bucket)) {
    problems.push('bucket must be a bucket name of 3–63 letters, digits, ".", "-" or "_" (no "/")');
  }
  if (!nonEmpty(o.region)) problems.push('region is required, e.g. eu-west-1 (us-east-1 for most S3-compatible servers)');
  checkEndpoint(o.endpoint, problems);
  if (o.forcePathStyle !== undefined && typeof o.forcePathStyle !== 'boolean') problems.push('forcePathStyle must be true or false');
  checkCredentials(o.credentials, problems);
  if (o.checksums !== undefined && o.checksums !== 'when_supported' && o.checksums !== 'when_required') {
    problems.push("checksums must be 'when_supported' or 'when_required'");
  }
  const multipartThreshold = checkSize(o.multipartThreshold, 8 * MiB, 'multipartThreshold', problems);
  const partSize = checkSize(o.partSize, 8 * MiB, 'partSize', problems);
  const queueSize = checkInteger(o.queueSize, 4, 'queueSize', [1, 64], problems);
  const cloudFront = checkCloudFront(o.cloudFront, problems);
  const limits = resolveLimits(o.limits, problems);
  if (o.presign !== undefined && o.presign !== 'post' && o.presign !== 'put') problems.push("presign must be 'post' or 'put'");
  if (o.presign === 'post' && limits.postPolicy === 'not-enforced') {
    problems.push("presign 'post' needs an endpoint that enforces POST policies (limits.postPolicy is 'not-enforced'): use 'put'");
  }
  const connectionTimeoutMs = checkInteger(o.connectionTimeoutMs, 5_000, 'connectionTimeoutMs', [1, 10 * 60_000], problems);
  const requestTimeoutMs = checkInteger(o.requestTimeoutMs, 30_000, 'requestTimeoutMs', [1, 60 * 60_000], problems);
  const maxAttempts = checkInteger(o.maxAttempts, 3, 'maxAttempts', [1, 10], problems);
  if (problems.length > 0) {
    throw new SwitchyardError({
      code: 'CONFIG',
      port: 'storage',
      provider: 'aws',
      operation: 'create',
      details: { problems },
      message: `Invalid S3 storage options: ${problems.join('; ')}.`,
    });
  }
  return {
    bucket: o.bucket,
    region: o.region,
    endpoint: o.endpoint,
    forcePathStyle: o.forcePathStyle ?? false,
    credentials: o.credentials,
    checksums: o.checksums ?? 'when_supported',
    multipartThreshold,
    partSize,
    queueSize,
    cloudFront,
    presign: o.presign ?? (limits.postPolicy === 'not-enforced' ? 'put' : 'post'),
    limits,
    connectionTimeoutMs,
    requestTimeoutMs,
    maxAttempts,
  };
}
