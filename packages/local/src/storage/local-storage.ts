import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  adapterErrors,
  type Body,
  bodyToStream,
  type DeleteFailure,
  deleteFailed,
  type GetOptions,
  type ListedObject,
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type PutOptions,
  type ResolvedDownloadUrlOptions,
  type ResolvedUploadUrlOptions,
  resolveRange,
  type SignedUrl,
  type StorageCapabilities,
  type StorageDriver,
  type StoredObject,
  SwitchyardError,
  storedObject,
  type UploadTarget,
  wholeBytes,
} from '@switchyard/core/adapter';
import { fsErrorCode, fsFailure } from './fs-errors.js';
import type { LingerLimits } from './http-reply.js';
import { objectBody, objectPath, openObject, readInfo } from './object-file.js';
import { ObjectWriter } from './object-writer.js';
import { encodeKey, type Grant, grantToUrl } from './signing.js';

export interface LocalStorageOptions {
  /** Where objects live; created when missing. */
  directory: string;
  /** Absolute URL where `handler` is mounted, e.g. `http://localhost:3000/_storage`; needed for signed URLs. */
  baseUrl?: string;
  /** HMAC key for signed URLs (≥ 32 bytes). Default: a random key kept in `<directory>/.switchyard-secret`. */
  secret?: string | Uint8Array;
  /** Serve every object unsigned at `<baseUrl>/p/<key>` and enable `publicUrl`. */
  publicRead?: boolean;
  /**
   * After the handler refuses an upload (413 over `maxBytes`, 403), it keeps reading and dropping
   * what the client still sends so the client reads the answer instead of a connection reset,
   * within these bounds (default 128 MiB, 30 s, 5 s idle); then it closes the connection.
   */
  refusedUploadLinger?: LingerLimits;
  /**
   * How long a write or delete waits for another writer of the same key, in this process or
   * another sharing the directory, before failing UNAVAILABLE (retryable). Default 10,000 ms.
   */
  lockTimeoutMs?: number;
}

const errors = adapterErrors('storage', 'local');
/** What a get reads of a file's end with the description: the rest of an object up to about this size. */
const GET_TAIL_BYTES = 64 * 1024;
/** A get's first read: the whole file of an object up to about this size, and a larger one's first bytes. */
const GET_FIRST_BYTES = 16 * 1024;

/** The storage driver on a directory, with HMAC-signed URLs served by its handler (see http-handler.ts). */
export class LocalStorage implements StorageDriver {
  readonly capabilities: StorageCapabilities;
  readonly directory: string;
  readonly baseUrl: string | undefined;
  /** @internal the signing key */
  readonly secret: Promise<Buffer>;
  private readonly writer: ObjectWriter;

  constructor(options: LocalStorageOptions) {
    this.directory = options.directory;
    this.baseUrl = options.baseUrl?.replace(/\/$/, '');
    this.capabilities = {
      rangeReads: true,
      presignedPost: false,
      uploadUrlEnforcesContentType: true,
      uploadUrlEnforcesMaxBytes: true,
      uploadUrlExpiry: 'requested',
      publicUrls: options.publicRead === true,
      downloadAs: true,
      unicodeKeys: true,
      conditionalPut: true,
    };
    this.writer = new ObjectWriter(options.directory, options.lockTimeoutMs ?? 10_000);
    this.secret = this.loadSecret(options.secret);
    // A rejected secret is reported by the first call that signs; never as an unhandled rejection.
    this.secret.catch(() => undefined);
  }

  async put(key: string, body: Body, options: PutOptions): Promise<ObjectInfo> {
    const source = wholeBytes(body) ?? (bodyToStream(body) as unknown as AsyncIterable<Uint8Array>);
    return this.write(key, source, options, Number.POSITIVE_INFINITY);
  }

  /** @internal Streams `source` into `key`, refusing more than `maxBytes`; nothing is left behind on failure. */
  write(key: string, source: AsyncIterable<Uint8Array> | Uint8Array, options: PutOptions, maxBytes: number): Promise<ObjectInfo> {
    return this.writer.write(key, source, options, maxBytes);
  }

  async get(key: string, options: GetOptions = {}): Promise<StoredObject> {
    const opened = await openObject(objectPath(this.directory, key), GET_TAIL_BYTES, GET_FIRST_BYTES).catch((error: unknown) => {
      throw fsFailure('get', error);
    });
    if (!opened) throw errors.error('get', 'NOT_FOUND', `No object at "${key}".`);
    let range: { start: number; end: number } | undefined;
    try {
      range = resolveRange(options.range, opened.info.size, { provider: 'local', operation: 'get' });
    } catch (error) {
      await opened.file.close();
      throw error;
    }
    const body = await objectBody(opened, range?.start ?? 0, range?.end ?? opened.info.size - 1).catch((error: unknown) => {
      throw fsFailure('get', error);
    });
    return storedObject(opened.info, body, range);
  }

  async head(key: string): Promise<ObjectInfo | null> {
    return readInfo(objectPath(this.directory, key)).catch((error: unknown) => {
      throw fsFailure('head', error);
    });
  }

  async delete(keys: readonly string[]): Promise<void> {
    const failed: DeleteFailure[] = [];
    const causes: unknown[] = [];
    await Promise.all(
      keys.map((key) =>
        this.writer.remove(key).catch((error: Error) => {
          failed.push({ key, code: SwitchyardError.isInstance(error) ? error.code : fsErrorCode(error), message: error.message });
          causes.push(error);
        }),
      ),
    );
    if (failed.length > 0) {
      throw deleteFailed({ provider: 'local' }, failed, keys.length, causes.length === 1 ? causes[0] : new AggregateError(causes));
    }
  }

  async list(options: ListOptions): Promise<ListPage> {
    const prefix = options.prefix ?? '';
    const after = options.cursor === undefined ? undefined : Buffer.from(options.cursor, 'base64url').toString('utf8');
    const limit = options.limit ?? 1000;
    const items = (await this.allObjects())
      .filter((item) => item.key.startsWith(prefix) && (after === undefined || item.key > after))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const page = items.slice(0, limit);
    const last = page.at(-1);
    // The cursor is the last key returned: keys added or removed between pages never shift it.
    const cursor = items.length > limit && last ? Buffer.from(last.key).toString('base64url') : undefined;
    return { items: page, cursor };
  }

  async copy(from: string, to: string): Promise<void> {
    const source = await this.get(from);
    const { contentType, cacheControl, metadata } = source.info;
    await this.write(
      to,
      source.body as unknown as AsyncIterable<Uint8Array>,
      { contentType, ...(cacheControl ? { cacheControl } : {}), metadata },
      Number.POSITIVE_INFINITY,
    );
  }

  async createUploadUrl(key: string, options: ResolvedUploadUrlOptions): Promise<UploadTarget> {
    const grant: Grant = {
      op: 'put',
      key,
      expires: Math.floor(Date.now() / 1000) + options.expiresIn,
      contentType: options.contentType,
      maxBytes: options.maxBytes,
    };
    return {
      url: await this.signedUrl(grant, 'createUploadUrl'),
      method: 'PUT',
      headers: options.contentType ? { 'content-type': options.contentType } : {},
      fields: {},
      expiresAt: new Date(grant.expires * 1000),
    };
  }

  async createDownloadUrl(key: string, options: ResolvedDownloadUrlOptions): Promise<SignedUrl> {
    const expires = Math.floor(Date.now() / 1000) + options.expiresIn;
    const grant: Grant = { op: 'get', key, expires, downloadAs: options.downloadAs };
    return { url: await this.signedUrl(grant, 'createDownloadUrl'), expiresAt: new Date(grant.expires * 1000) };
  }

  async publicUrl(key: string): Promise<string> {
    return `${this.requireBaseUrl('publicUrl')}/p/${encodeKey(key)}`;
  }

  close(): Promise<void> {
    return this.writer.close();
  }

  private async signedUrl(grant: Grant, operation: string): Promise<string> {
    return grantToUrl(this.requireBaseUrl(operation), grant, await this.secret);
  }

  private requireBaseUrl(operation: string): string {
    if (!this.baseUrl) {
      throw errors.config(
        'Signed and public URLs need baseUrl: the absolute URL where the local storage handler is mounted, e.g. http://localhost:3000/_storage.',
        { operation },
      );
    }
    return this.baseUrl;
  }

  private async allObjects(): Promise<ListedObject[]> {
    const root = join(this.directory, 'objects');
    const shards = await readdir(root).catch(() => [] as string[]);
    const infos = await Promise.all(
      shards.map(async (shard) => {
        const files = await readdir(join(root, shard)).catch(() => [] as string[]);
        return Promise.all(files.map((file) => readInfo(join(root, shard, file)).catch(() => null)));
      }),
    );
    return infos
      .flat()
      .flatMap((info) => (info ? [{ key: info.key, size: info.size, lastModified: info.lastModified, etag: info.etag }] : []));
  }

  private async loadSecret(secret: string | Uint8Array | undefined): Promise<Buffer> {
    if (secret !== undefined) {
      const bytes = Buffer.from(secret);
      if (bytes.length < 32) throw errors.config('The signing secret must be at least 32 bytes.');
      return bytes;
    }
    const file = join(this.directory, '.switchyard-secret');
    const existing = await readFile(file).catch(() => undefined);
    if (existing && existing.length >= 32) return existing;
    await mkdir(this.directory, { recursive: true });
    const fresh = randomBytes(32);
    // `wx` fails if another instance won the race; then use the key it wrote.
    await writeFile(file, fresh, { flag: 'wx', mode: 0o600 }).catch(() => undefined);
    return readFile(file);
  }
}
