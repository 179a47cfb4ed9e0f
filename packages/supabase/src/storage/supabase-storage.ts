import type { ResolvedDownloadUrlOptions, ResolvedUploadUrlOptions, StorageDriver } from '@switchyard/core/adapter/storage';
import {
  type Body,
  deleteFailed,
  type GetOptions,
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type PutOptions,
  type SignedUrl,
  type StorageCapabilities,
  type StoredObject,
  type SwitchyardError,
  type UploadTarget,
} from '@switchyard/core/adapter/storage';
import { StorageApiError } from './api-error.js';
import { BucketCheck, isNoSuchBucket } from './bucket.js';
import { consistentGet, type VersionInfo } from './download.js';
import { mapRefusal, storageError } from './errors.js';
import { type ApiResponse, StorageHttp } from './http.js';
import { KEY_CHARACTERS, keyPath, validateSupabasePrefix } from './keys.js';
import { listPage } from './listing.js';
import type { ResolvedStorageOptions } from './options.js';
import { removeAll } from './remove.js';
import { signDownload, signUpload } from './signed.js';
import { type UploadLimit, upload } from './upload.js';

/** What storage-api stores when an upload names no cache control (src/storage/uploader.ts). */
const DEFAULT_CACHE_CONTROL = 'no-cache';

/** The info storage-api answers at `GET /object/info/{bucket}/{key}` (src/storage/renderer/info.ts). */
interface InfoBody {
  version?: string | null;
  size?: number | null;
  content_type?: string | null;
  cache_control?: string | null;
  etag?: string | null;
  metadata?: Record<string, unknown> | null;
  last_modified?: string | null;
  created_at?: string | null;
}

function toInfo(key: string, info: InfoBody): ObjectInfo {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(info.metadata ?? {})) if (typeof value === 'string') metadata[name] = value;
  return {
    key,
    size: info.size ?? 0,
    contentType: info.content_type ?? 'application/octet-stream',
    cacheControl: info.cache_control ?? undefined,
    metadata,
    etag: info.etag ?? undefined,
    lastModified: new Date(info.last_modified ?? info.created_at ?? 0),
  };
}

/**
 * The Supabase Storage driver behind `storagePort`: one bucket over storage-api's HTTP API
 * (`/storage/v1`) with fetch: keys percent-encoded segment by segment, cursor listing, upload
 * limits enforced on streams, and a `get` whose info and bytes are of one version. The front layer
 * checks keys against `capabilities` (storage-api's character set, `maxKeySegmentBytes`) first.
 */
export class SupabaseStorageDriver implements StorageDriver {
  readonly capabilities: StorageCapabilities;
  private readonly http: StorageHttp;
  private readonly bucketCheck: BucketCheck;
  private readonly bucketPath: string;
  private uploadLifetime: number;

  constructor(private readonly settings: ResolvedStorageOptions) {
    this.http = new StorageHttp({ url: settings.url, key: settings.serviceRoleKey, fetch: settings.fetch, timeoutMs: settings.timeoutMs });
    this.bucketCheck = new BucketCheck(this.http, settings.bucket, settings.publicBucket);
    this.bucketPath = encodeURIComponent(settings.bucket);
    this.uploadLifetime = settings.uploadUrlLifetimeSeconds;
    const self = this;
    this.capabilities = {
      rangeReads: true,
      presignedPost: false,
      // A signed upload token carries only the path and the upsert flag; type and size limits are per bucket.
      uploadUrlEnforcesContentType: false,
      uploadUrlEnforcesMaxBytes: false,
      // The server fixes it; declared from the last token it signed (see options.uploadUrlLifetimeSeconds).
      get uploadUrlExpiry() {
        return self.uploadLifetime;
      },
      publicUrls: settings.publicBucket,
      downloadAs: true,
      unicodeKeys: false,
      keyCharacters: KEY_CHARACTERS,
      maxKeySegmentBytes: settings.maxKeySegmentBytes,
      // `x-upsert: false` makes a create-only write, but nothing makes a write conditional on an etag.
      conditionalPut: false,
    };
  }

  async put(key: string, body: Body, options: PutOptions): Promise<ObjectInfo> {
    const contentType = options.contentType ?? 'application/octet-stream';
    const size = await this.call('put', key, async () => {
      const limit = await this.uploadLimit('put');
      return upload(this.http, this.objectPath(key), body, { ...options, contentType }, limit);
    });
    return {
      key,
      size,
      contentType,
      cacheControl: options.cacheControl ?? DEFAULT_CACHE_CONTROL,
      metadata: { ...options.metadata },
      lastModified: new Date(),
    };
  }

  get(key: string, options: GetOptions): Promise<StoredObject> {
    return this.call('get', key, () =>
      consistentGet(key, { info: () => this.info(key, 'get'), download: (range) => this.download(key, range) }, options),
    );
  }

  async head(key: string): Promise<ObjectInfo | null> {
    return this.call('head', key, async () => (await this.info(key, 'head'))?.info ?? null);
  }

  async delete(keys: readonly string[]): Promise<void> {
    let failure: { failedFrom: number; error: unknown } | undefined;
    try {
      await this.bucketCheck.facts('delete');
      failure = await removeAll(this.http, this.bucketPath, keys);
    } catch (error) {
      failure = { failedFrom: 0, error };
    }
    if (!failure) return;
    const mapped = await this.mapError('delete', failure.error);
    const failed = keys.slice(failure.failedFrom).map((key) => ({ key, code: mapped.code, message: mapped.message }));
    throw deleteFailed({ provider: 'supabase' }, failed, keys.length, mapped);
  }

  async list(options: ListOptions): Promise<ListPage> {
    // storage-api's character set, which core's prefix check does not know.
    validateSupabasePrefix(options.prefix, 'list');
    return this.call('list', undefined, () =>
      listPage(this.http, this.bucketPath, options.prefix ?? '', options.limit ?? 1000, options.cursor),
    );
  }

  async copy(from: string, to: string): Promise<void> {
    await this.call('copy', to, () =>
      this.http.json('copy', {
        method: 'POST',
        path: '/object/copy',
        // `x-upsert: true` replaces an existing target in the same statement (src/http/routes/object/copyObject.ts).
        headers: { 'x-upsert': 'true' },
        json: { bucketId: this.settings.bucket, sourceKey: from, destinationKey: to, copyMetadata: true },
      }),
    );
  }

  async createUploadUrl(key: string, options: ResolvedUploadUrlOptions): Promise<UploadTarget> {
    // The server fixes the lifetime, so `expiresIn` cannot be honoured; `expiresAt` says what it is.
    const { target, lifetime } = await this.call('createUploadUrl', key, () =>
      signUpload(this.http, this.settings.bucket, key, options.contentType),
    );
    this.uploadLifetime = lifetime;
    return target;
  }

  async createDownloadUrl(key: string, options: ResolvedDownloadUrlOptions): Promise<SignedUrl> {
    const signed = await this.call('createDownloadUrl', key, () =>
      signDownload(this.http, this.settings.bucket, key, options.expiresIn, options.downloadAs),
    );
    if (!signed)
      throw storageError('createDownloadUrl', 'NOT_FOUND', `No object at "${key}" (Supabase Storage signs only existing objects).`);
    return signed;
  }

  async publicUrl(key: string): Promise<string> {
    return `${this.http.base}/object/public/${this.bucketPath}/${keyPath(key)}`;
  }

  async close(): Promise<void> {}

  private objectPath(key: string): string {
    return `/object/${this.bucketPath}/${keyPath(key)}`;
  }

  /** The smallest size limit the adapter knows of: the bucket's `file_size_limit` or `fileSizeLimit`. */
  private async uploadLimit(operation: string): Promise<UploadLimit | undefined> {
    const { fileSizeLimit: bucketLimit } = await this.bucketCheck.facts(operation);
    const option = this.settings.fileSizeLimit;
    if (bucketLimit !== undefined && (option === undefined || bucketLimit <= option)) {
      return { bytes: bucketLimit, source: `the file_size_limit of bucket "${this.settings.bucket}"` };
    }
    return option === undefined ? undefined : { bytes: option, source: 'fileSizeLimit (SUPABASE_STORAGE_FILE_SIZE_LIMIT)' };
  }

  /** Runs `work` after the bucket check, mapping whatever the server answered. */
  private async call<T>(operation: string, key: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      await this.bucketCheck.facts(operation);
      return await work();
    } catch (error) {
      throw await this.mapError(operation, error, key);
    }
  }

  private async mapError(operation: string, error: unknown, key?: string): Promise<SwitchyardError> {
    return isNoSuchBucket(error) ? this.bucketCheck.explain(operation, error) : mapRefusal(operation, error, key);
  }

  private async info(key: string, operation: string): Promise<VersionInfo | null> {
    try {
      const body = await this.http.json<InfoBody>(operation, { method: 'GET', path: `/object/info/${this.bucketPath}/${keyPath(key)}` });
      return { info: toInfo(key, body), version: body.version ?? undefined };
    } catch (error) {
      if (error instanceof StorageApiError && error.code === 'NoSuchKey') return null;
      throw error;
    }
  }

  private download(key: string, range: { start: number; end: number } | undefined): Promise<ApiResponse> {
    return this.http.send('get', {
      method: 'GET',
      path: this.objectPath(key),
      ...(range ? { headers: { range: `bytes=${range.start}-${range.end}` } } : {}),
    });
  }
}
