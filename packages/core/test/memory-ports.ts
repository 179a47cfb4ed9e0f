import { createHash, randomUUID } from 'node:crypto';
import {
  type AuthPort,
  type AuthUser,
  bodyToBytes,
  bodyToStream,
  type CreateUserInput,
  type ObjectInfo,
  type StoragePort,
  SwitchyardError,
  storedObject,
} from '@switchyard/core/adapter';

const notNeeded = () => Promise.reject(new Error('not used by these tests'));

/**
 * A StoragePort in memory, enough for the backfill and repair: put/get/head/list/delete, with a
 * small page size so paging is exercised. `etags: 'md5'` gives S3-style etags, `'opaque'` provider-specific ones.
 */
export class MemoryStorage implements StoragePort {
  readonly provider: string;
  readonly capabilities = {
    rangeReads: false,
    presignedPost: false,
    uploadUrlEnforcesContentType: false,
    uploadUrlEnforcesMaxBytes: false,
    uploadUrlExpiry: 'requested' as const,
    publicUrls: false,
    downloadAs: false,
    unicodeKeys: true,
    conditionalPut: false,
  };
  /** The modification time each put records; move it to make objects older or newer. */
  clock: () => Date = () => new Date();
  readonly objects = new Map<string, { info: ObjectInfo; bytes: Uint8Array }>();
  readonly puts: string[] = [];
  /** Keys whose next put fails with UNAVAILABLE. */
  readonly failPut = new Set<string>();
  /** Runs before each `get` (to delete an object mid-run, for example). */
  beforeGet: (key: string) => void = () => undefined;

  constructor(
    name: string,
    private readonly etags: 'md5' | 'opaque' = 'md5',
    private readonly pageSize = 2,
  ) {
    this.provider = name;
  }

  async put(key: string, body: Parameters<StoragePort['put']>[1], options: Parameters<StoragePort['put']>[2] = {}): Promise<ObjectInfo> {
    const bytes = await bodyToBytes(body);
    const current = this.objects.get(key);
    if (this.capabilities.conditionalPut) {
      const stale =
        options.ifNoneMatch === '*' ? current !== undefined : options.ifMatch !== undefined && current?.info.etag !== options.ifMatch;
      if (stale) {
        throw new SwitchyardError({
          code: 'PRECONDITION_FAILED',
          port: 'storage',
          provider: this.provider,
          operation: 'put',
          message: 'changed',
        });
      }
    }
    if (this.failPut.delete(key)) {
      throw new SwitchyardError({ code: 'UNAVAILABLE', port: 'storage', provider: this.provider, operation: 'put', message: 'down' });
    }
    const md5 = createHash('md5').update(bytes).digest('hex');
    const info: ObjectInfo = {
      key,
      size: bytes.byteLength,
      contentType: options.contentType ?? 'application/octet-stream',
      cacheControl: options.cacheControl,
      metadata: { ...options.metadata },
      etag: this.etags === 'md5' ? `"${md5}"` : randomUUID(),
      lastModified: this.clock(),
    };
    this.objects.set(key, { info, bytes });
    this.puts.push(key);
    return info;
  }

  async get(key: string) {
    this.beforeGet(key);
    const object = this.objects.get(key);
    if (!object)
      throw new SwitchyardError({ code: 'NOT_FOUND', port: 'storage', provider: this.provider, operation: 'get', message: 'no such key' });
    return storedObject(object.info, bodyToStream(object.bytes));
  }

  async head(key: string) {
    return this.objects.get(key)?.info ?? null;
  }

  async list(options: { prefix?: string; cursor?: string } = {}) {
    const keys = [...this.objects.keys()].filter((key) => key.startsWith(options.prefix ?? '')).sort();
    const start = options.cursor ? Number(options.cursor) : 0;
    const items = keys.slice(start, start + this.pageSize).map((key) => {
      const { info } = this.objects.get(key)!;
      return { key, size: info.size, lastModified: info.lastModified, etag: info.etag };
    });
    const next = start + this.pageSize;
    return { items, cursor: next < keys.length ? String(next) : undefined };
  }

  async delete(keys: string | readonly string[]) {
    for (const key of typeof keys === 'string' ? [keys] : keys) this.objects.delete(key);
  }

  copy = notNeeded;
  createUploadUrl = notNeeded;
  createDownloadUrl = notNeeded;
  publicUrl = notNeeded;
  close = async () => undefined;
}

/** An AuthPort in memory, enough for the backfill: the admin API, with paged listing. */
export class MemoryAuth implements AuthPort {
  readonly provider: string;
  readonly capabilities;
  readonly users = new Map<string, AuthUser>();
  readonly created: string[] = [];

  constructor(name: string, customUserId = true) {
    this.provider = name;
    this.capabilities = {
      magicLink: false,
      emailCode: true,
      refreshTokenRotation: false,
      customUserId,
      globalSignOut: false,
      immediateRevocation: false,
      distinctRefusalReasons: false,
    };
  }

  readonly admin = {
    createUser: async (input: CreateUserInput): Promise<AuthUser> => {
      const id = input.id ?? randomUUID();
      if (this.users.has(id) || (await this.admin.getUserByEmail(input.email))) {
        throw new SwitchyardError({
          code: 'CONFLICT',
          port: 'auth',
          provider: this.provider,
          operation: 'admin.createUser',
          message: 'taken',
        });
      }
      const user = {
        id,
        email: input.email,
        emailVerified: input.emailVerified ?? false,
        provider: this.provider,
        metadata: input.metadata ?? {},
      };
      this.users.set(id, user);
      this.created.push(id);
      return user;
    },
    getUser: async (id: string) => this.users.get(id) ?? null,
    getUserByEmail: async (email: string) => [...this.users.values()].find((u) => u.email === email.toLowerCase()) ?? null,
    listUsers: async (options: { limit?: number; cursor?: string } = {}) => {
      const all = [...this.users.values()];
      const start = options.cursor ? Number(options.cursor) : 0;
      // Pages of two whatever is asked, so paging is exercised.
      const next = start + 2;
      return { users: all.slice(start, next), cursor: next < all.length ? String(next) : undefined };
    },
    updateUser: notNeeded,
    deleteUser: notNeeded,
  };

  sendSignInEmail = notNeeded;
  verifySignIn = notNeeded;
  refresh = notNeeded;
  signOut = notNeeded;
  verifyAccessToken = notNeeded;
  close = async () => undefined;
}
