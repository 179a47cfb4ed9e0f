import type { PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import {
  type Body,
  bodyToStream,
  type ObjectInfo,
  type PutOptions,
  SwitchyardError,
  unsupported,
  wholeBytes,
} from '@switchyard/core/adapter/storage';
import { countingStream, readDeclared } from './body-streams.js';
import type { ResolvedS3Options } from './options.js';
import { mapS3Error } from './s3-errors.js';
import type { LazyS3Modules, S3Sdk } from './sdk.js';

const context = { port: 'storage' as const, provider: 'aws', operation: 'put' };

/**
 * Stores `body` under `key`: one PutObject for a body up to `multipartThreshold` (a stream of
 * declared length is read into memory first), else a multipart upload. `options` come from
 * `putOptionsFor`, already validated.
 *
 * Why a stream of known length is not streamed into PutObject: with the SDK's default checksums it
 * travels `aws-chunked` without a Content-Length, which Ceph RGW refuses (411) and s3rver stores
 * with its framing; and a stream cannot be sent again when the SDK retries. lib-storage buffers
 * each multipart part the same way.
 */
export async function putObject(
  sdk: S3Sdk,
  client: S3Client,
  settings: ResolvedS3Options,
  key: string,
  body: Body,
  options: PutOptions,
): Promise<ObjectInfo> {
  const conditional = options.ifMatch !== undefined || options.ifNoneMatch !== undefined;
  const whole = wholeBytes(body);
  const length = whole?.byteLength ?? options.contentLength;
  const single = length !== undefined && length <= settings.multipartThreshold;
  checkCondition(settings, conditional, single);
  const params: PutObjectCommandInput = {
    Bucket: settings.bucket,
    Key: key,
    ContentType: options.contentType ?? 'application/octet-stream',
    ...(options.cacheControl ? { CacheControl: options.cacheControl } : {}),
    ...(options.metadata ? { Metadata: options.metadata } : {}),
    // Ceph RGW compares If-Match on PUT with the bare etag; S3 accepts it with or without quotes.
    ...(options.ifMatch !== undefined ? { IfMatch: options.ifMatch.replace(/^"(.*)"$/, '$1') } : {}),
    ...(options.ifNoneMatch !== undefined ? { IfNoneMatch: options.ifNoneMatch } : {}),
  };
  try {
    let size: number;
    let etag: string | undefined;
    if (single) {
      const bytes = whole ?? (await readDeclared(body, length));
      const out = await client.send(new sdk.s3.PutObjectCommand({ ...params, Body: bytes, ContentLength: bytes.byteLength }));
      [size, etag] = [bytes.byteLength, out.ETag];
    } else {
      // Loaded before the body is touched, so a missing lib-storage leaves the caller's stream unread.
      const storage = await sdk.use('storage', 'put');
      const counter = countingStream(length);
      etag = await upload(storage, client, settings, params, whole ?? bodyToStream(body).pipeThrough(counter.stream));
      size = whole?.byteLength ?? counter.bytes();
    }
    return {
      key,
      size,
      contentType: params.ContentType ?? 'application/octet-stream',
      cacheControl: options.cacheControl,
      metadata: { ...options.metadata },
      // Ceph RGW answers CompleteMultipartUpload with an empty ETag.
      etag: etag || undefined,
      lastModified: new Date(),
    };
  } catch (error) {
    const mapped = mapS3Error(error, 'put', key);
    // S3 answers If-Match on a missing key with 404: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
    if (options.ifMatch !== undefined && mapped.code === 'NOT_FOUND') {
      throw new SwitchyardError({
        ...context,
        code: 'PRECONDITION_FAILED',
        cause: error,
        message: `S3 put refused for "${key}": ifMatch names a version, but no object has this key any more.`,
      });
    }
    throw mapped;
  }
}

/** Refuses, before the body is read, a condition the endpoint would not check atomically. */
function checkCondition(settings: ResolvedS3Options, conditional: boolean, single: boolean): void {
  if (!conditional) return;
  const { conditionalWrites } = settings.limits;
  if (conditionalWrites === 'not-enforced') {
    throw unsupported(context, "ifMatch and ifNoneMatch on this endpoint (limits.conditionalWrites is 'not-enforced')");
  }
  if (conditionalWrites === 'put-only' && !single) {
    throw new SwitchyardError({
      ...context,
      code: 'UNSUPPORTED',
      message: `This endpoint checks ifMatch and ifNoneMatch only on a single PutObject (limits.conditionalWrites is 'put-only'), and this body needs multipart: give a contentLength of at most multipartThreshold (${settings.multipartThreshold} bytes), or raise multipartThreshold (up to 5 GiB).`,
    });
  }
}

/** Multipart (or, for a body that fits one part, a single PutObject) holding at most queueSize × partSize in memory. */
async function upload(
  storage: LazyS3Modules['storage'],
  client: S3Client,
  settings: ResolvedS3Options,
  params: PutObjectCommandInput,
  body: Uint8Array | ReadableStream<Uint8Array>,
): Promise<string | undefined> {
  // lib-storage passes IfMatch / IfNoneMatch on to CompleteMultipartUpload (and to PutObject for a
  // body that fits one part), where S3 checks them.
  const multipart = new storage.Upload({
    client,
    params: { ...params, Body: body },
    partSize: settings.partSize,
    queueSize: settings.queueSize,
  });
  return (await multipart.done()).ETag;
}
