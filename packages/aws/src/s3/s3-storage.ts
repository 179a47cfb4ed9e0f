import type { S3Client } from '@aws-sdk/client-s3';
import {
  type Body,
  type DeleteFailure,
  type DownloadUrlOptions,
  deleteFailed,
  type GetOptions,
  keyCharactersProblem,
  keySegmentProblem,
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type PutOptions,
  putOptionsFor,
  resolveExpiresIn,
  resolveRange,
  type SignedUrl,
  type StorageCapabilities,
  type StoragePort,
  type StoredObject,
  SwitchyardError,
  storedObject,
  type UploadTarget,
  type UploadUrlOptions,
  unsupported,
  validateBody,
  validateKey,
  validateListOptions,
  validateMaxBytes,
  validatePrefix,
  validatePutOptions,
} from '@switchyard/core';
import { mappedBody } from './body-streams.js';
import { capabilitiesFor } from './endpoint-limits.js';
import { parseContentRange, toObjectInfo } from './object-info.js';
import type { ResolvedS3Options } from './options.js';
import { putObject } from './put.js';
import { mapS3Error, s3ErrorCode } from './s3-errors.js';
import type { S3Sdk } from './sdk.js';
import { cloudFrontSignedUrl, encodeKeyPath, presignedGet, presignedPost, presignedPut } from './urls.js';

const PROVIDER = 'aws';
/** DeleteObjects takes at most 1,000 keys: https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html */
const DELETE_BATCH = 1000;
/** S3 replaces this in a form POST's key with the uploaded file's name, letting the uploader choose the key. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal form variable, not a template.
const FILENAME_VARIABLE = '${filename}';

const context = (operation: string) => ({ provider: PROVIDER, operation });

function invalid(operation: string, message: string): SwitchyardError {
  return new SwitchyardError({ code: 'INVALID_INPUT', port: 'storage', ...context(operation), message });
}

/** StoragePort on one S3 bucket, with signed URLs from S3 or, when a key pair is configured, CloudFront. */
export class S3Storage implements StoragePort {
  readonly provider = PROVIDER;
  readonly capabilities: StorageCapabilities;

  /** @internal built by `createS3Storage`; `signer` is a client that never adds checksums to signed URLs. */
  constructor(
    private readonly sdk: S3Sdk,
    private readonly client: S3Client,
    private readonly signer: S3Client,
    private readonly options: ResolvedS3Options,
  ) {
    this.capabilities = capabilitiesFor({ limits: options.limits, presign: options.presign, publicUrls: options.cloudFront !== undefined });
  }

  async put(key: string, body: Body, options: PutOptions = {}): Promise<ObjectInfo> {
    this.checkKey(key, 'put');
    validateBody(body, context('put'));
    const resolved = putOptionsFor(body, options);
    validatePutOptions(resolved, context('put'));
    return putObject(this.sdk, this.client, this.options, key, body, resolved);
  }

  async get(key: string, options: GetOptions = {}): Promise<StoredObject> {
    this.checkKey(key, 'get');
    // Checks the range's shape; S3 checks it against the real size (416 → INVALID_INPUT).
    resolveRange(options.range, Number.MAX_SAFE_INTEGER, context('get'));
    const range = options.range ? `bytes=${options.range.start}-${options.range.end ?? ''}` : undefined;
    try {
      const out = await this.client.send(new this.sdk.s3.GetObjectCommand({ Bucket: this.options.bucket, Key: key, Range: range }));
      const returned = options.range ? parseContentRange(out.ContentRange) : undefined;
      return storedObject(
        toObjectInfo(key, out),
        mappedBody(out.Body as AsyncIterable<Uint8Array> | undefined, key),
        returned && { start: returned.start, end: returned.end },
      );
    } catch (error) {
      throw mapS3Error(error, 'get', key);
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    this.checkKey(key, 'head');
    try {
      return toObjectInfo(key, await this.client.send(new this.sdk.s3.HeadObjectCommand({ Bucket: this.options.bucket, Key: key })));
    } catch (error) {
      const mapped = mapS3Error(error, 'head', key);
      if (mapped.code === 'NOT_FOUND') return null;
      throw mapped;
    }
  }

  async delete(keys: string | readonly string[]): Promise<void> {
    const list = typeof keys === 'string' ? [keys] : [...new Set(keys)];
    // Every key is checked before the first request, so a batch with one bad key deletes nothing.
    for (const key of list) this.checkKey(key, 'delete');
    if (typeof keys === 'string') {
      await this.client.send(new this.sdk.s3.DeleteObjectCommand({ Bucket: this.options.bucket, Key: keys })).catch((error: unknown) => {
        throw mapS3Error(error, 'delete', keys);
      });
      return;
    }
    const failed: DeleteFailure[] = [];
    for (let start = 0; start < list.length; start += DELETE_BATCH) {
      const batch = list.slice(start, start + DELETE_BATCH);
      try {
        const out = await this.client.send(
          new this.sdk.s3.DeleteObjectsCommand({
            Bucket: this.options.bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        for (const error of out.Errors ?? []) {
          failed.push({
            key: error.Key ?? '',
            code: s3ErrorCode(error.Code ?? '') ?? 'UNAVAILABLE',
            message: `${error.Code ?? 'Error'}: ${error.Message ?? 'not deleted'}`,
          });
        }
      } catch (error) {
        // Nothing from this batch on is confirmed deleted; deleting again is safe.
        const mapped = mapS3Error(error, 'delete');
        for (const key of list.slice(start)) failed.push({ key, code: mapped.code, message: mapped.message });
        throw deleteFailed({ provider: PROVIDER }, failed, list.length, error);
      }
    }
    if (failed.length > 0) throw deleteFailed({ provider: PROVIDER }, failed, list.length);
  }

  async list(options: ListOptions = {}): Promise<ListPage> {
    validatePrefix(options.prefix, context('list'));
    const problem = options.prefix ? keyCharactersProblem(options.prefix, this.options.limits.keyCharacters) : null;
    if (problem) throw invalid('list', `Invalid list prefix: ${problem}.`);
    validateListOptions(options, context('list'));
    try {
      const out = await this.client.send(
        new this.sdk.s3.ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: options.prefix || undefined,
          MaxKeys: options.limit ?? 1000,
          // The cursor is S3's continuation token, made safe to carry in a URL.
          ContinuationToken: options.cursor === undefined ? undefined : Buffer.from(options.cursor, 'base64url').toString('utf8'),
        }),
      );
      return {
        items: (out.Contents ?? []).map((item) => ({
          key: item.Key ?? '',
          size: item.Size ?? 0,
          lastModified: item.LastModified ?? new Date(0),
          etag: item.ETag,
        })),
        cursor: out.IsTruncated && out.NextContinuationToken ? Buffer.from(out.NextContinuationToken).toString('base64url') : undefined,
      };
    } catch (error) {
      throw mapS3Error(error, 'list');
    }
  }

  async copy(from: string, to: string): Promise<void> {
    this.checkKey(from, 'copy');
    this.checkKey(to, 'copy');
    if (from === to) {
      // S3 refuses a copy onto itself that changes nothing; the port treats it as done once `from` exists.
      if ((await this.head(from)) === null) {
        throw new SwitchyardError({ code: 'NOT_FOUND', port: 'storage', ...context('copy'), message: `No object at "${from}" to copy.` });
      }
      return;
    }
    try {
      await this.client.send(
        new this.sdk.s3.CopyObjectCommand({
          Bucket: this.options.bucket,
          Key: to,
          // CopySource is "bucket/key", URL-encoded: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
          CopySource: `${this.options.bucket}/${encodeKeyPath(from)}`,
        }),
      );
    } catch (error) {
      throw mapS3Error(error, 'copy', from);
    }
  }

  async createUploadUrl(key: string, options: UploadUrlOptions = {}): Promise<UploadTarget> {
    this.checkKey(key, 'createUploadUrl');
    const expiresIn = resolveExpiresIn(options.expiresIn, 900, context('createUploadUrl'));
    validateMaxBytes(options.maxBytes, context('createUploadUrl'));
    if (options.contentType !== undefined) validatePutOptions({ contentType: options.contentType }, context('createUploadUrl'));
    const method = options.method ?? (this.options.presign === 'put' ? 'PUT' : 'POST');
    if (method !== 'PUT' && method !== 'POST') throw invalid('createUploadUrl', `method must be "PUT" or "POST" (got ${String(method)}).`);
    if (method === 'POST' && !this.capabilities.presignedPost) {
      // A form the endpoint does not check would let its holder upload any size and type, forever.
      throw unsupported(
        { port: 'storage', ...context('createUploadUrl') },
        "form POST uploads on this endpoint, which does not check POST policies (limits.postPolicy is 'not-enforced'); use method 'PUT'",
      );
    }
    if (method === 'POST' && key.includes(FILENAME_VARIABLE)) {
      throw invalid(
        'createUploadUrl',
        `A key for a form POST upload must not contain "${FILENAME_VARIABLE}"; use method "PUT" for this key.`,
      );
    }
    const request = { bucket: this.options.bucket, key, expiresIn, contentType: options.contentType, maxBytes: options.maxBytes };
    try {
      return method === 'POST' ? await presignedPost(this.sdk, this.signer, request) : await presignedPut(this.sdk, this.signer, request);
    } catch (error) {
      throw mapS3Error(error, 'createUploadUrl', key);
    }
  }

  async createDownloadUrl(key: string, options: DownloadUrlOptions = {}): Promise<SignedUrl> {
    this.checkKey(key, 'createDownloadUrl');
    const expiresIn = resolveExpiresIn(options.expiresIn, 3600, context('createDownloadUrl'));
    const { downloadAs } = options;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters would break the Content-Disposition header.
    if (downloadAs !== undefined && (typeof downloadAs !== 'string' || downloadAs === '' || /[\u0000-\u001f\u007f]/.test(downloadAs))) {
      throw invalid('createDownloadUrl', 'downloadAs must be a non-empty file name without control characters.');
    }
    const keyPair = this.options.cloudFront?.signer;
    try {
      if (keyPair && this.sdk.cloudFront) {
        return cloudFrontSignedUrl(
          this.sdk.cloudFront,
          { domain: this.options.cloudFront!.domain, ...keyPair },
          { key, expiresIn, downloadAs },
        );
      }
      return await presignedGet(this.sdk, this.signer, { bucket: this.options.bucket, key, expiresIn, downloadAs });
    } catch (error) {
      throw mapS3Error(error, 'createDownloadUrl', key);
    }
  }

  async publicUrl(key: string): Promise<string> {
    this.checkKey(key, 'publicUrl');
    const cloudFront = this.options.cloudFront;
    if (!cloudFront)
      throw unsupported({ port: 'storage', ...context('publicUrl') }, 'public URLs without a CloudFront domain (set cloudFront.domain)');
    return `https://${cloudFront.domain}/${encodeKeyPath(key)}`;
  }

  /** Core's key rules, then what this endpoint can hold (`limits.keyCharacters`, `limits.maxKeySegmentBytes`). */
  private checkKey(key: unknown, operation: string): asserts key is string {
    validateKey(key, context(operation));
    const { keyCharacters, maxKeySegmentBytes } = this.options.limits;
    const problem = keyCharactersProblem(key, keyCharacters) ?? keySegmentProblem(key, maxKeySegmentBytes);
    if (problem) throw invalid(operation, `Invalid storage key: ${problem}.`);
  }

  async close(): Promise<void> {
    this.client.destroy();
    this.signer.destroy();
  }
}
