import type { SupabaseClient } from '@supabase/supabase-js';
import {
  type Body,
  bodyToBytes,
  bodyToStream,
  type DownloadUrlOptions,
  type GetOptions,
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type PutOptions,
  resolveExpiresIn,
  resolveRange,
  type SignedUrl,
  type StorageCapabilities,
  type StoragePort,
  type StoredObject,
  storedObject,
  type UploadTarget,
  type UploadUrlOptions,
  unsupported,
  validateListOptions,
  validateMaxBytes,
  validatePutOptions,
} from '@switchyard/core';
import { mapStorageError, storageError } from './errors.js';
import { validateSupabaseKey, validateSupabasePrefix } from './keys.js';
import { decodeCursor, encodeCursor, type FolderEntry, walkKeys } from './listing.js';
import { sliceStream, withRange } from './ranged-fetch.js';

type Bucket = ReturnType<SupabaseClient['storage']['from']>;

export interface SupabaseStorageSettings {
  bucket: string;
  publicBucket: boolean;
  uploadUrlLifetimeSeconds: number;
}

/** storage-api refuses more than 1,000 prefixes in one remove request. */
const REMOVE_BATCH = 1000;
const LIST_PAGE = 1000;
/** What storage-api stores when an upload names no cache control (supabase-js sends max-age=3600). */
const DEFAULT_CACHE_CONTROL = 'max-age=3600';

const ctx = (operation: string) => ({ provider: 'supabase', operation });

interface InfoData {
  size?: number | null;
  contentType?: string | null;
  cacheControl?: string | null;
  etag?: string | null;
  metadata?: Record<string, unknown> | null;
  lastModified?: string | null;
  createdAt?: string | null;
}

/**
 * storage-js `info()` camel-cases every key of its answer, user metadata included ("original-name"
 * comes back as "originalName"). Port metadata keys are lower-case with "-", so an upper-case
 * letter can only come from that rewrite and is turned back.
 */
function stringMetadata(metadata: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (typeof value === 'string') out[key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)] = value;
  }
  return out;
}

function countingStream(stream: ReadableStream<Uint8Array>, onDone: (size: number) => void): ReadableStream<Uint8Array> {
  let size = 0;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        controller.enqueue(chunk);
      },
      flush() {
        onDone(size);
      },
    }),
  );
}

/** StoragePort on one Supabase Storage bucket, through supabase-js (`storage.from(bucket)`). */
export class SupabaseStorage implements StoragePort {
  readonly provider = 'supabase';
  readonly capabilities: StorageCapabilities;
  private readonly files: Bucket;

  constructor(
    client: SupabaseClient,
    private readonly settings: SupabaseStorageSettings,
  ) {
    this.files = client.storage.from(settings.bucket);
    this.capabilities = {
      rangeReads: true,
      presignedPost: false,
      // A signed upload URL carries only the path and upsert flag; type and size limits are per bucket.
      uploadUrlEnforcesContentType: false,
      uploadUrlEnforcesMaxBytes: false,
      uploadUrlExpiry: settings.uploadUrlLifetimeSeconds,
      publicUrls: settings.publicBucket,
      downloadAs: true,
      // storage-api accepts only ASCII keys (isValidKey); others are refused before any request.
      unicodeKeys: false,
      conditionalPut: false,
    };
  }

  async put(key: string, body: Body, options: PutOptions = {}): Promise<ObjectInfo> {
    validateSupabaseKey(key, 'put');
    validatePutOptions(options, ctx('put'));
    let size = 0;
    const payload =
      typeof body === 'string' || body instanceof Uint8Array
        ? await bodyToBytes(body)
        : countingStream(bodyToStream(body), (n) => {
            size = n;
          });
    if (payload instanceof Uint8Array) size = payload.byteLength;
    const { error } = await this.files.upload(key, payload, {
      upsert: true,
      contentType: options.contentType ?? 'application/octet-stream',
      ...(options.metadata && Object.keys(options.metadata).length > 0 ? { metadata: options.metadata } : {}),
      // supabase-js would send `max-age=<cacheControl>`; a header keeps the caller's value whole.
      ...(options.cacheControl ? { headers: { 'cache-control': options.cacheControl } } : {}),
    });
    if (error) throw mapStorageError('put', error);
    return {
      key,
      size,
      contentType: options.contentType ?? 'application/octet-stream',
      cacheControl: options.cacheControl ?? DEFAULT_CACHE_CONTROL,
      metadata: { ...options.metadata },
      lastModified: new Date(),
    };
  }

  async get(key: string, options: GetOptions = {}): Promise<StoredObject> {
    validateSupabaseKey(key, 'get');
    const info = await this.info(key, 'get');
    if (!info) throw storageError('get', 'NOT_FOUND', `No object at "${key}".`);
    const range = resolveRange(options.range, info.size, ctx('get'));
    if (info.size === 0) return storedObject(info, bodyToStream(new Uint8Array()));
    if (!range) return storedObject(info, await this.download(key));
    const { result, partial } = await withRange(range, () => this.download(key));
    return storedObject(info, partial ? result : sliceStream(result, range.start, range.end), range);
  }

  async head(key: string): Promise<ObjectInfo | null> {
    validateSupabaseKey(key, 'head');
    return this.info(key, 'head');
  }

  async delete(keys: string | readonly string[]): Promise<void> {
    const list = typeof keys === 'string' ? [keys] : [...keys];
    for (const key of list) validateSupabaseKey(key, 'delete');
    const failed: { key: string; message: string }[] = [];
    for (let i = 0; i < list.length; i += REMOVE_BATCH) {
      const batch = list.slice(i, i + REMOVE_BATCH);
      const { error } = await this.files.remove(batch);
      if (error) {
        const mapped = mapStorageError('delete', error);
        for (const key of batch) failed.push({ key, message: mapped.message });
      }
    }
    if (failed.length > 0) {
      throw storageError('delete', 'UNAVAILABLE', `${failed.length} of ${list.length} objects could not be deleted; see details.failed.`);
    }
  }

  async list(options: ListOptions = {}): Promise<ListPage> {
    validateSupabasePrefix(options.prefix, 'list');
    validateListOptions(options, ctx('list'));
    const limit = options.limit ?? 1000;
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const found = await walkKeys((folder, search) => this.listFolder(folder, search), options.prefix ?? '', after, limit);
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return { items, cursor: found.length > limit && last ? encodeCursor(last.key) : undefined };
  }

  async copy(from: string, to: string): Promise<void> {
    validateSupabaseKey(from, 'copy');
    validateSupabaseKey(to, 'copy');
    let { error } = await this.files.copy(from, to, { copyMetadata: true });
    if (error && mapStorageError('copy', error).code === 'CONFLICT') {
      // storage-js cannot ask copy to overwrite; S3 semantics replace the target, so clear it first.
      const removed = await this.files.remove([to]);
      if (removed.error) throw mapStorageError('copy', removed.error);
      ({ error } = await this.files.copy(from, to, { copyMetadata: true }));
    }
    if (error) throw mapStorageError('copy', error);
  }

  async createUploadUrl(key: string, options: UploadUrlOptions = {}): Promise<UploadTarget> {
    validateSupabaseKey(key, 'createUploadUrl');
    resolveExpiresIn(options.expiresIn, 900, ctx('createUploadUrl'));
    validateMaxBytes(options.maxBytes, ctx('createUploadUrl'));
    if (options.contentType !== undefined) validatePutOptions({ contentType: options.contentType }, ctx('createUploadUrl'));
    if (options.method === 'POST') throw unsupported({ port: 'storage', ...ctx('createUploadUrl') }, 'form POST uploads');
    const requested = Date.now();
    const { data, error } = await this.files.createSignedUploadUrl(key, { upsert: true });
    if (error) throw mapStorageError('createUploadUrl', error);
    return {
      url: data.signedUrl,
      method: 'PUT',
      headers: options.contentType ? { 'content-type': options.contentType } : {},
      fields: {},
      // The server fixes the lifetime (capabilities.uploadUrlExpiry); `expiresIn` cannot change it.
      expiresAt: new Date(requested + this.settings.uploadUrlLifetimeSeconds * 1000),
    };
  }

  async createDownloadUrl(key: string, options: DownloadUrlOptions = {}): Promise<SignedUrl> {
    validateSupabaseKey(key, 'createDownloadUrl');
    const expiresIn = resolveExpiresIn(options.expiresIn, 3600, ctx('createDownloadUrl'));
    if (options.downloadAs !== undefined && (typeof options.downloadAs !== 'string' || options.downloadAs.length === 0)) {
      throw storageError('createDownloadUrl', 'INVALID_INPUT', 'downloadAs must be a non-empty file name.');
    }
    const requested = Date.now();
    const { data, error } = await this.files.createSignedUrl(key, expiresIn, options.downloadAs ? { download: options.downloadAs } : {});
    if (error) throw mapStorageError('createDownloadUrl', error);
    return { url: data.signedUrl, expiresAt: new Date(requested + expiresIn * 1000) };
  }

  async publicUrl(key: string): Promise<string> {
    validateSupabaseKey(key, 'publicUrl');
    if (!this.settings.publicBucket) {
      throw unsupported(
        { port: 'storage', ...ctx('publicUrl') },
        'public URLs (the bucket is private; set publicBucket: true for a public bucket)',
      );
    }
    return this.files.getPublicUrl(key).data.publicUrl;
  }

  async close(): Promise<void> {}

  private async info(key: string, operation: string): Promise<ObjectInfo | null> {
    const { data, error } = await this.files.info(key);
    if (error) {
      const mapped = mapStorageError(operation, error);
      if (mapped.code === 'NOT_FOUND') return null;
      throw mapped;
    }
    const info = data as InfoData;
    return {
      key,
      size: info.size ?? 0,
      contentType: info.contentType ?? 'application/octet-stream',
      cacheControl: info.cacheControl ?? undefined,
      metadata: stringMetadata(info.metadata),
      etag: info.etag ?? undefined,
      lastModified: new Date(info.lastModified ?? info.createdAt ?? 0),
    };
  }

  private async download(key: string): Promise<ReadableStream<Uint8Array>> {
    const { data, error } = await this.files.download(key).asStream();
    if (error) throw mapStorageError('get', error);
    return data as ReadableStream<Uint8Array>;
  }

  private async listFolder(folder: string, search: string): Promise<FolderEntry[]> {
    const entries: FolderEntry[] = [];
    for (let offset = 0; ; offset += LIST_PAGE) {
      const { data, error } = await this.files.list(folder, {
        limit: LIST_PAGE,
        offset,
        sortBy: { column: 'name', order: 'asc' },
        ...(search ? { search } : {}),
      });
      if (error) throw mapStorageError('list', error);
      entries.push(...(data as FolderEntry[]));
      if (data.length < LIST_PAGE) return entries;
    }
  }
}
