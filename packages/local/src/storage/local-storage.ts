import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  type Body,
  bodyToStream,
  type DeleteFailure,
  type DownloadUrlOptions,
  deleteFailed,
  type GetOptions,
  type ListedObject,
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
  SwitchyardError,
  storedObject,
  type UploadTarget,
  type UploadUrlOptions,
  unsupported,
  validateKey,
  validateListOptions,
  validateMaxBytes,
  validatePrefix,
  validatePutOptions,
} from '@switchyard/core';
import { normalizeContentType } from './content-type.js';
import { fsErrorCode, fsFailure } from './fs-errors.js';
import type { LingerLimits } from './http-reply.js';
import { encodeTrailer, objectBody, objectPath, openObject, readInfo } from './object-file.js';
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
}

const PROVIDER = 'local';
/** Objects up to about this size come back from one read, body and description together. */
const GET_TAIL_BYTES = 64 * 1024;

function context(operation: string) {
  return { provider: PROVIDER, operation };
}

/** StoragePort on a directory, with HMAC-signed URLs served by `handler` (see http-handler.ts). */
export class LocalStorage implements StoragePort {
  readonly provider = PROVIDER;
  readonly capabilities: StorageCapabilities;
  readonly directory: string;
  readonly baseUrl: string | undefined;
  /** @internal the signing key */
  readonly secret: Promise<Buffer>;

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
      conditionalPut: false,
    };
    this.secret = this.loadSecret(options.secret);
    // A rejected secret is reported by the first call that signs; never as an unhandled rejection.
    this.secret.catch(() => undefined);
  }

  /** Folders known to exist: a put of a key in a known folder skips the mkdir system calls. */
  private readonly directories = new Set<string>();

  private async ensureDirectory(directory: string): Promise<void> {
    if (this.directories.has(directory)) return;
    await mkdir(directory, { recursive: true });
    // Bounded: a bucket with very many folders only loses the shortcut for the older ones.
    if (this.directories.size >= 10_000) this.directories.clear();
    this.directories.add(directory);
  }

  async put(key: string, body: Body, options: PutOptions = {}): Promise<ObjectInfo> {
    validateKey(key, context('put'));
    validatePutOptions(options, context('put'));
    return this.write(key, bodyToStream(body) as unknown as AsyncIterable<Uint8Array>, options, Number.POSITIVE_INFINITY);
  }

  /** @internal Streams `source` into `key`, refusing more than `maxBytes`; nothing is left behind on failure. */
  async write(key: string, source: AsyncIterable<Uint8Array>, options: PutOptions, maxBytes: number): Promise<ObjectInfo> {
    const target = objectPath(this.directory, key);
    const temp = join(this.directory, 'tmp', `${randomUUID()}.part`);
    const hash = createHash('md5');
    let size = 0;
    try {
      await this.ensureDirectory(dirname(temp));
      const handle = await open(temp, 'w').catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        this.directories.delete(dirname(temp));
        await this.ensureDirectory(dirname(temp));
        return open(temp, 'w');
      });
      try {
        for await (const chunk of source) {
          size += chunk.byteLength;
          if (size > maxBytes) {
            throw new SwitchyardError({
              code: 'INVALID_INPUT',
              port: 'storage',
              ...context('put'),
              message: `The body is larger than the ${maxBytes} bytes this upload allows.`,
            });
          }
          hash.update(chunk);
          await handle.write(chunk);
        }
        const info: ObjectInfo = {
          key,
          size,
          contentType: options.contentType === undefined ? 'application/octet-stream' : normalizeContentType(options.contentType),
          cacheControl: options.cacheControl,
          metadata: { ...options.metadata },
          etag: `"${hash.digest('hex')}"`,
          lastModified: new Date(Math.floor(Date.now() / 1000) * 1000),
        };
        await handle.write(encodeTrailer({ ...info, etag: info.etag!, lastModified: info.lastModified.toISOString() }));
        await handle.sync();
        await handle.close();
        await this.ensureDirectory(dirname(target));
        await rename(temp, target).catch(async (error: NodeJS.ErrnoException) => {
          // Someone removed the folder since we remembered it: make it again, once.
          if (error.code !== 'ENOENT') throw error;
          this.directories.delete(dirname(target));
          await this.ensureDirectory(dirname(target));
          await rename(temp, target);
        });
        return info;
      } finally {
        await handle.close().catch(() => undefined);
      }
    } catch (error) {
      await rm(temp, { force: true });
      if (SwitchyardError.isInstance(error)) throw error;
      throw fsFailure('put', error);
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<StoredObject> {
    validateKey(key, context('get'));
    const opened = await openObject(objectPath(this.directory, key), GET_TAIL_BYTES).catch((error: unknown) => {
      throw fsFailure('get', error);
    });
    if (!opened) throw new SwitchyardError({ code: 'NOT_FOUND', port: 'storage', ...context('get'), message: `No object at "${key}".` });
    let range: { start: number; end: number } | undefined;
    try {
      range = resolveRange(options.range, opened.info.size, context('get'));
    } catch (error) {
      await opened.handle.close();
      throw error;
    }
    const body = await objectBody(opened, range?.start ?? 0, range?.end ?? opened.info.size - 1).catch((error: unknown) => {
      throw fsFailure('get', error);
    });
    return storedObject(opened.info, body, range);
  }

  async head(key: string): Promise<ObjectInfo | null> {
    validateKey(key, context('head'));
    return readInfo(objectPath(this.directory, key)).catch((error: unknown) => {
      throw fsFailure('head', error);
    });
  }

  async delete(keys: string | readonly string[]): Promise<void> {
    const list = typeof keys === 'string' ? [keys] : [...keys];
    for (const key of list) validateKey(key, context('delete'));
    const failed: DeleteFailure[] = [];
    const causes: unknown[] = [];
    await Promise.all(
      list.map((key) =>
        rm(objectPath(this.directory, key), { force: true }).catch((error: Error) => {
          failed.push({ key, code: fsErrorCode(error), message: error.message });
          causes.push(error);
        }),
      ),
    );
    if (failed.length > 0) {
      throw deleteFailed({ provider: PROVIDER }, failed, list.length, causes.length === 1 ? causes[0] : new AggregateError(causes));
    }
  }

  async list(options: ListOptions = {}): Promise<ListPage> {
    validatePrefix(options.prefix, context('list'));
    validateListOptions(options, context('list'));
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
    validateKey(from, context('copy'));
    validateKey(to, context('copy'));
    const source = await this.get(from);
    const { contentType, cacheControl, metadata } = source.info;
    await this.write(
      to,
      source.body as unknown as AsyncIterable<Uint8Array>,
      { contentType, ...(cacheControl ? { cacheControl } : {}), metadata },
      Number.POSITIVE_INFINITY,
    );
  }

  async createUploadUrl(key: string, options: UploadUrlOptions = {}): Promise<UploadTarget> {
    validateKey(key, context('createUploadUrl'));
    const expiresIn = resolveExpiresIn(options.expiresIn, 900, context('createUploadUrl'));
    validateMaxBytes(options.maxBytes, context('createUploadUrl'));
    if (options.contentType !== undefined) validatePutOptions({ contentType: options.contentType }, context('createUploadUrl'));
    if (options.method === 'POST') throw unsupported({ port: 'storage', ...context('createUploadUrl') }, 'form POST uploads');
    const grant: Grant = {
      op: 'put',
      key,
      expires: Math.floor(Date.now() / 1000) + expiresIn,
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

  async createDownloadUrl(key: string, options: DownloadUrlOptions = {}): Promise<SignedUrl> {
    validateKey(key, context('createDownloadUrl'));
    const expiresIn = resolveExpiresIn(options.expiresIn, 3600, context('createDownloadUrl'));
    const grant: Grant = { op: 'get', key, expires: Math.floor(Date.now() / 1000) + expiresIn, downloadAs: options.downloadAs };
    return { url: await this.signedUrl(grant, 'createDownloadUrl'), expiresAt: new Date(grant.expires * 1000) };
  }

  async publicUrl(key: string): Promise<string> {
    validateKey(key, context('publicUrl'));
    if (!this.capabilities.publicUrls)
      throw unsupported({ port: 'storage', ...context('publicUrl') }, 'public URLs (set publicRead: true)');
    return `${this.requireBaseUrl('publicUrl')}/p/${encodeKey(key)}`;
  }

  async close(): Promise<void> {}

  private async signedUrl(grant: Grant, operation: string): Promise<string> {
    return grantToUrl(this.requireBaseUrl(operation), grant, await this.secret);
  }

  private requireBaseUrl(operation: string): string {
    if (!this.baseUrl) {
      throw new SwitchyardError({
        code: 'CONFIG',
        port: 'storage',
        ...context(operation),
        message:
          'Signed and public URLs need baseUrl: the absolute URL where LocalStorage#handler is mounted, e.g. http://localhost:3000/_storage.',
      });
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
      if (bytes.length < 32) {
        throw new SwitchyardError({
          code: 'CONFIG',
          port: 'storage',
          ...context('create'),
          message: 'The signing secret must be at least 32 bytes.',
        });
      }
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
