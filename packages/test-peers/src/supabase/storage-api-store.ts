import { createHash, randomUUID } from 'node:crypto';
import { errors } from './storage-api-errors.js';

/** An object: its row in `storage.objects` and its bytes on the backend. */
export interface FakeObject {
  id: string;
  /** A new one for every write; never the id (storage-api keys backend files by version). */
  version: string;
  bytes: Buffer;
  contentType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown>;
  etag: string;
  createdAt: string;
  updatedAt: string;
  lastModified: string;
}

export interface FakeBucket {
  id: string;
  public: boolean;
  fileSizeLimit: number | null;
  allowedMimeTypes: string[] | null;
  createdAt: string;
  objects: Map<string, FakeObject>;
}

/** storage-api's `VALID_OBJECT_KEY` (src/storage/limits.ts). */
const VALID_KEY = /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]*$/;

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** `validateMimeType` in src/storage/uploader.ts: exact types, or `type/*`. */
function mimeAllowed(type: string, allowed: string[]): boolean {
  const [kind, sub] = type.split(';')[0]!.trim().split('/');
  return allowed.some((entry) => {
    const [allowedKind, allowedSub] = entry.split('/');
    return allowedKind === kind && (allowedSub === '*' || allowedSub === sub);
  });
}

/** The continuation token of list-v2: base64 of `l:<last name>` lines (src/storage/object.ts). */
function decodeCursor(cursor: string): string {
  let startAfter = '';
  for (const part of Buffer.from(cursor, 'base64').toString().split('\n')) {
    const match = /^(\S):(.*)/.exec(part);
    if (!match || !['l', 'o', 'c', 'a'].includes(match[1]!)) throw errors.invalidParameter('continuation token');
    if (match[1] === 'l') startAfter = match[2]!;
  }
  return startAfter;
}

export interface UploadRequest {
  contentType: string | undefined;
  cacheControl: string | undefined;
  userMetadata: Record<string, unknown> | undefined;
  /** The request's Content-Length, when it has one. */
  declaredLength: number | undefined;
  upsert: boolean;
}

/** Buckets and objects, with storage-api's checks, as its routes and database functions apply them. */
export class FakeStore {
  readonly buckets = new Map<string, FakeBucket>();

  constructor(private readonly limits: { uploadFileSizeLimit: number; maxKeySegmentBytes: number }) {}

  createBucket(body: { id?: string; name?: string; public?: boolean; file_size_limit?: number; allowed_mime_types?: string[] }): string {
    const id = body.id ?? body.name ?? '';
    if (this.buckets.has(id)) throw errors.bucketExists();
    this.buckets.set(id, {
      id,
      public: body.public === true,
      fileSizeLimit: body.file_size_limit ?? null,
      allowedMimeTypes: body.allowed_mime_types ?? null,
      createdAt: new Date().toISOString(),
      objects: new Map(),
    });
    return id;
  }

  bucket(id: string): FakeBucket {
    const bucket = this.buckets.get(id);
    if (!bucket) throw errors.noSuchBucket();
    return bucket;
  }

  bucketRow(bucket: FakeBucket) {
    return {
      id: bucket.id,
      name: bucket.id,
      owner: '',
      public: bucket.public,
      file_size_limit: bucket.fileSizeLimit,
      allowed_mime_types: bucket.allowedMimeTypes,
      created_at: bucket.createdAt,
      updated_at: bucket.createdAt,
    };
  }

  object(bucket: FakeBucket, key: string): FakeObject {
    const object = bucket.objects.get(key);
    if (!object) throw errors.noSuchKey();
    return object;
  }

  /** What storage-api checks before it reads the body (src/storage/uploader.ts `canUpload`, `fileUploadFromRequest`). */
  checkUpload(bucket: FakeBucket, key: string, request: UploadRequest): void {
    if (!key || !VALID_KEY.test(key)) throw errors.invalidKey(key);
    if (bucket.objects.has(key) && !request.upsert) throw errors.keyExists();
    const type = request.contentType ?? 'application/octet-stream';
    if (bucket.allowedMimeTypes && bucket.allowedMimeTypes.length > 0 && !mimeAllowed(type, bucket.allowedMimeTypes)) {
      throw errors.mimeType(type);
    }
    // Only a declared length is checked: "Unknown-size binary uploads do not have a later truncation signal".
    const limit = Math.min(bucket.fileSizeLimit ?? Number.POSITIVE_INFINITY, this.limits.uploadFileSizeLimit);
    if (request.declaredLength !== undefined && request.declaredLength > limit) throw errors.tooLarge();
  }

  /** Writes a new version; a segment longer than a file name fails as the file backend does (500). */
  store(bucket: FakeBucket, key: string, bytes: Buffer, request: Omit<UploadRequest, 'declaredLength' | 'upsert'>): FakeObject {
    if (key.split('/').some((segment) => Buffer.byteLength(segment) > this.limits.maxKeySegmentBytes)) throw errors.internal();
    const now = new Date().toISOString();
    const previous = bucket.objects.get(key);
    const object: FakeObject = {
      id: previous?.id ?? randomUUID(),
      version: randomUUID(),
      bytes,
      contentType: request.contentType ?? 'application/octet-stream',
      cacheControl: request.cacheControl ?? 'no-cache',
      userMetadata: request.userMetadata ?? {},
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      lastModified: now,
    };
    bucket.objects.set(key, object);
    return object;
  }

  /** The backend metadata storage-api keeps in `storage.objects.metadata`. */
  metadata(object: FakeObject) {
    return {
      eTag: object.etag,
      size: object.bytes.length,
      mimetype: object.contentType,
      cacheControl: object.cacheControl,
      lastModified: object.lastModified,
      contentLength: object.bytes.length,
      httpStatusCode: 200,
    };
  }

  /** `GET /object/info` (src/storage/renderer/info.ts): `metadata` is the user metadata here. */
  info(bucketId: string, key: string, object: FakeObject) {
    return {
      id: object.id,
      name: key,
      version: object.version,
      bucket_id: bucketId,
      size: object.bytes.length,
      content_type: object.contentType,
      cache_control: object.cacheControl,
      etag: object.etag,
      metadata: object.userMetadata,
      last_modified: object.updatedAt,
      created_at: object.createdAt,
    };
  }

  /** A whole `storage.objects` row, as delete and copy return it. */
  row(bucket: FakeBucket, key: string, object: FakeObject) {
    return {
      name: key,
      bucket_id: bucket.id,
      owner: '',
      owner_id: '',
      version: object.version,
      id: object.id,
      updated_at: object.updatedAt,
      created_at: object.createdAt,
      last_accessed_at: object.createdAt,
      metadata: this.metadata(object),
      user_metadata: object.userMetadata,
    };
  }

  /** `POST /object/list-v2` without a delimiter: `name LIKE prefix%` after the cursor, by `name COLLATE "C"`. */
  listV2(bucketId: string, body: { prefix?: string; limit?: number; cursor?: string }) {
    if (body.limit !== undefined && body.limit < 1) throw errors.schema('body/limit must be >= 1');
    const limit = Math.min(body.limit || 1000, 1000);
    const after = body.cursor ? decodeCursor(body.cursor) : '';
    const prefix = body.prefix ?? '';
    const bucket = this.buckets.get(bucketId);
    const names = [...(bucket?.objects.keys() ?? [])]
      .filter((name) => name.startsWith(prefix) && (!after || byteOrder(name, after) > 0))
      .sort(byteOrder);
    const page = names.slice(0, limit);
    const hasNext = names.length > limit;
    const last = page.at(-1);
    return {
      hasNext,
      ...(hasNext && last ? { nextCursor: Buffer.from(`l:${last}`).toString('base64'), nextCursorKey: last } : {}),
      folders: [],
      objects: page.map((name) => {
        const object = bucket!.objects.get(name)!;
        return {
          id: object.id,
          name,
          metadata: this.metadata(object),
          updated_at: object.updatedAt,
          created_at: object.createdAt,
          last_accessed_at: object.createdAt,
        };
      }),
    };
  }
}
