import type { S3Client } from '@aws-sdk/client-s3';
import type { ResolvedDownloadUrlOptions, ResolvedUploadUrlOptions, StorageDriver } from '@switchyard/core/adapter/storage';
import {
  type Body,
  type DeleteFailure,
  deleteFailed,
  type GetOptions,
  keyCharactersProblem,
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type PutOptions,
  resolveRange,
  type SignedUrl,
  type StorageCapabilities,
  type StoredObject,
  SwitchyardError,
  storedObject,
  type UploadTarget,
} from '@switchyard/core/adapter/storage';
import { mappedBody } from './body-streams.js';
import { capabilitiesFor } from './endpoint-limits.js';
import { parseContentRange, toObjectInfo } from './object-info.js';
import type { ResolvedS3Options } from './options.js';
import { PostPolicySigner } from './post-policy.js';
import { putObject } from './put.js';
import { mapS3Error, s3ErrorCode } from './s3-errors.js';
import type { S3Sdk } from './sdk.js';
import { cloudFrontSignedUrl, encodeKeyPath, presignedGet, presignedPut } from './urls.js';

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

/**
 * The S3 calls behind the StoragePort of one bucket, with signed URLs from S3 or, when a key pair is
 * configured, CloudFront. Keys, bodies and options arrive checked by core's front layer (keys
 * against `limits.keyCharacters` and `limits.maxKeySegmentBytes` too, through the capabilities).
 */
export class S3Storage implements StorageDriver {
  readonly capabilities: StorageCapabilities;
  private readonly posts: PostPolicySigner;

  /**
   * @internal built by `createS3Storage`; `signer` is a client that never adds checksums to signed
   * URLs. `ownsClient` is false for a client the app gave, which `close` then leaves open.
   */
  constructor(
    private readonly sdk: S3Sdk,
    private readonly client: S3Client,
    private readonly signer: S3Client,
    private readonly options: ResolvedS3Options,
    private readonly ownsClient = true,
  ) {
    this.posts = new PostPolicySigner(sdk, signer, options.bucket);
    this.capabilities = capabilitiesFor({ limits: options.limits, presign: options.presign, publicUrls: options.cloudFront !== undefined });
  }

  put(key: string, body: Body, options: PutOptions): Promise<ObjectInfo> {
    return putObject(this.sdk, this.client, this.options, key, body, options);
  }

  async get(key: string, options: GetOptions): Promise<StoredObject> {
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
    try {
      return toObjectInfo(key, await this.client.send(new this.sdk.s3.HeadObjectCommand({ Bucket: this.options.bucket, Key: key })));
    } catch (error) {
      const mapped = mapS3Error(error, 'head', key);
      if (mapped.code === 'NOT_FOUND') return null;
      throw mapped;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    const list = [...new Set(keys)];
    const [only] = list;
    if (list.length === 1 && only !== undefined) {
      await this.client.send(new this.sdk.s3.DeleteObjectCommand({ Bucket: this.options.bucket, Key: only })).catch((error: unknown) => {
        throw mapS3Error(error, 'delete', only);
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

  async list(options: ListOptions): Promise<ListPage> {
    // A prefix with a character the endpoint cannot store matches nothing there; say so instead.
    const problem = options.prefix ? keyCharactersProblem(options.prefix, this.options.limits.keyCharacters) : null;
    if (problem) throw invalid('list', `Invalid list prefix: ${problem}.`);
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

  async createUploadUrl(key: string, options: ResolvedUploadUrlOptions): Promise<UploadTarget> {
    const { expiresIn } = options;
    const method = options.method ?? (this.options.presign === 'put' ? 'PUT' : 'POST');
    if (method !== 'PUT' && method !== 'POST') throw invalid('createUploadUrl', `method must be "PUT" or "POST" (got ${String(method)}).`);
    if (method === 'POST' && key.includes(FILENAME_VARIABLE)) {
      throw invalid(
        'createUploadUrl',
        `A key for a form POST upload must not contain "${FILENAME_VARIABLE}"; use method "PUT" for this key.`,
      );
    }
    const request = { bucket: this.options.bucket, key, expiresIn, contentType: options.contentType, maxBytes: options.maxBytes };
    try {
      return method === 'POST' ? await this.posts.sign(request) : await presignedPut(this.sdk, this.signer, request);
    } catch (error) {
      throw mapS3Error(error, 'createUploadUrl', key);
    }
  }

  async createDownloadUrl(key: string, options: ResolvedDownloadUrlOptions): Promise<SignedUrl> {
    const { expiresIn, downloadAs } = options;
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

  /** Only called with a CloudFront domain configured (`capabilities.publicUrls`). */
  async publicUrl(key: string): Promise<string> {
    return `https://${this.options.cloudFront?.domain}/${encodeKeyPath(key)}`;
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
    this.signer.destroy();
  }
}
