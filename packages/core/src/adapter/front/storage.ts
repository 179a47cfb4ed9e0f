import { SwitchyardError, unsupported } from '../../errors.js';
import type { OnEvent } from '../../events.js';
import { putOptionsFor, validateBody } from '../../storage/body.js';
import { validateDownloadName } from '../../storage/download-name.js';
import { capabilityKeyProblem, validateKey, validatePrefix } from '../../storage/keys.js';
import { resolveExpiresIn, validateListOptions, validateMaxBytes, validatePutOptions } from '../../storage/options.js';
import type {
  Body,
  DownloadUrlOptions,
  GetOptions,
  ListOptions,
  ListPage,
  ObjectInfo,
  PutOptions,
  SignedUrl,
  StorageCapabilities,
  StoragePort,
  StoredObject,
  UploadTarget,
  UploadUrlOptions,
} from '../../storage/port.js';
import { FrontPort } from './front-port.js';

/** Upload URL options after the front layer: `expiresIn` resolved to its default. */
export type ResolvedUploadUrlOptions = UploadUrlOptions & { expiresIn: number };
export type ResolvedDownloadUrlOptions = DownloadUrlOptions & { expiresIn: number };

/**
 * What an adapter implements: the provider calls and their error mapping. It receives only input
 * the front layer checked (keys valid for its capabilities, bodies of an accepted type with
 * `contentLength`/`contentType` filled from Blobs, options in range, expiries resolved, capability
 * checks done), and `delete` always gets a list.
 */
export interface StorageDriver {
  readonly capabilities: StorageCapabilities;
  put(key: string, body: Body, options: PutOptions): Promise<ObjectInfo>;
  get(key: string, options: GetOptions): Promise<StoredObject>;
  head(key: string): Promise<ObjectInfo | null>;
  delete(keys: readonly string[]): Promise<void>;
  list(options: ListOptions): Promise<ListPage>;
  copy(from: string, to: string): Promise<void>;
  createUploadUrl(key: string, options: ResolvedUploadUrlOptions): Promise<UploadTarget>;
  createDownloadUrl(key: string, options: ResolvedDownloadUrlOptions): Promise<SignedUrl>;
  publicUrl(key: string): Promise<string>;
  close(): Promise<void>;
}

export interface FrontOptions {
  /** The name of the provider, e.g. `aws`: in errors, events and `port.provider`. */
  provider: string;
  onEvent?: OnEvent | undefined;
  /** What printing the port shows (never a secret): bucket, region... */
  summary?: Record<string, unknown>;
}

/**
 * The StoragePort every storage adapter is reached through: validates keys and inputs once (with
 * what the driver's capabilities add), reports each call as one operation event, turns unknown
 * throws into SwitchyardErrors, and prints without secrets. The driver keeps only provider calls.
 */
export function storagePort(driver: StorageDriver, options: FrontOptions): StoragePort {
  return new FrontStorage(driver, options);
}

class FrontStorage extends FrontPort<'storage', StorageCapabilities> implements StoragePort {
  constructor(
    private readonly driver: StorageDriver,
    options: FrontOptions,
  ) {
    super('storage', driver.capabilities, options);
  }

  private key(key: unknown, operation: string): asserts key is string {
    const context = { provider: this.provider, operation };
    validateKey(key, context);
    const problem = capabilityKeyProblem(key, this.capabilities);
    if (problem) {
      throw new SwitchyardError({ code: 'INVALID_INPUT', port: 'storage', ...context, message: `Invalid storage key: ${problem}.` });
    }
  }

  put(key: string, body: Body, options?: PutOptions): Promise<ObjectInfo> {
    return this.run('put', async () => {
      this.key(key, 'put');
      validateBody(body, { provider: this.provider, operation: 'put' });
      validatePutOptions(options, { provider: this.provider, operation: 'put' });
      if ((options?.ifMatch !== undefined || options?.ifNoneMatch !== undefined) && !this.capabilities.conditionalPut) {
        throw unsupported({ port: 'storage', provider: this.provider, operation: 'put' }, 'conditional puts (ifMatch, ifNoneMatch)');
      }
      return this.driver.put(key, body, putOptionsFor(body, options));
    });
  }

  get(key: string, options: GetOptions = {}): Promise<StoredObject> {
    return this.run('get', async () => {
      this.key(key, 'get');
      if (options.range && !this.capabilities.rangeReads) {
        throw unsupported({ port: 'storage', provider: this.provider, operation: 'get' }, 'range reads');
      }
      return this.driver.get(key, options);
    });
  }

  head(key: string): Promise<ObjectInfo | null> {
    return this.run('head', async () => {
      this.key(key, 'head');
      return this.driver.head(key);
    });
  }

  delete(keys: string | readonly string[]): Promise<void> {
    return this.run('delete', async () => {
      const list = typeof keys === 'string' ? [keys] : [...keys];
      for (const key of list) this.key(key, 'delete');
      if (list.length > 0) await this.driver.delete(list);
    });
  }

  list(options: ListOptions = {}): Promise<ListPage> {
    return this.run('list', async () => {
      validatePrefix(options.prefix, { provider: this.provider, operation: 'list' });
      validateListOptions(options, { provider: this.provider, operation: 'list' });
      return this.driver.list(options);
    });
  }

  copy(from: string, to: string): Promise<void> {
    return this.run('copy', async () => {
      this.key(from, 'copy');
      this.key(to, 'copy');
      return this.driver.copy(from, to);
    });
  }

  createUploadUrl(key: string, options: UploadUrlOptions = {}): Promise<UploadTarget> {
    // Not async (see frontCall): signing is CPU-bound and called in bulk, a promise fewer helps.
    return this.run('createUploadUrl', () => {
      const context = { provider: this.provider, operation: 'createUploadUrl' };
      this.key(key, 'createUploadUrl');
      const expiresIn = resolveExpiresIn(options.expiresIn, 900, context);
      validateMaxBytes(options.maxBytes, context);
      validatePutOptions(options.contentType === undefined ? undefined : { contentType: options.contentType }, context);
      if (options.method === 'POST' && !this.capabilities.presignedPost) {
        throw unsupported({ port: 'storage', ...context }, 'form POST uploads');
      }
      return this.driver.createUploadUrl(key, { ...options, expiresIn });
    });
  }

  createDownloadUrl(key: string, options: DownloadUrlOptions = {}): Promise<SignedUrl> {
    return this.run('createDownloadUrl', () => {
      const context = { provider: this.provider, operation: 'createDownloadUrl' };
      this.key(key, 'createDownloadUrl');
      const expiresIn = resolveExpiresIn(options.expiresIn, 3600, context);
      if (options.downloadAs !== undefined) validateDownloadName(options.downloadAs, context);
      return this.driver.createDownloadUrl(key, { ...options, expiresIn });
    });
  }

  publicUrl(key: string): Promise<string> {
    return this.run('publicUrl', async () => {
      this.key(key, 'publicUrl');
      if (!this.capabilities.publicUrls)
        throw unsupported({ port: 'storage', provider: this.provider, operation: 'publicUrl' }, 'public URLs');
      return this.driver.publicUrl(key);
    });
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
