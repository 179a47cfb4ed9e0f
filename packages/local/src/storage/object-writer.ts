import { hash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type ObjectInfo, type PutOptions, SwitchyardError } from '@switchyard/core/adapter';
import { normalizeContentType } from './content-type.js';
import { fsFailure } from './fs-errors.js';
import { KeyLocks, lockPath } from './key-lock.js';
import { ObjectFd } from './object-fd.js';
import { encodeTrailer, objectPath, readInfo } from './object-file.js';
import { StreamMd5 } from './stream-md5.js';

function refused(code: 'INVALID_INPUT' | 'PRECONDITION_FAILED', message: string): SwitchyardError {
  return new SwitchyardError({ code, port: 'storage', provider: 'local', operation: 'put', message });
}

/** An etag without its weak marker and quotes, as If-Match compares them (RFC 9110 §13.1.1). */
function opaque(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/**
 * Writes and removes object files: bytes stream to `tmp/`, are fsynced, and replace the object
 * in one atomic rename, under the key's lock (see key-lock.ts) so conditional puts are decided
 * atomically against every other writer, in this process or another.
 */
export class ObjectWriter {
  /** Folders known to exist: a put of a key in a known folder skips the mkdir system calls. */
  private readonly directories = new Set<string>();
  private readonly locks: KeyLocks;

  constructor(
    private readonly root: string,
    lockTimeoutMs: number,
  ) {
    this.locks = new KeyLocks(root, lockTimeoutMs);
  }

  /**
   * Streams `source` (or writes whole bytes) into `key`, refusing more than `maxBytes`; nothing is
   * left behind on failure.
   */
  async write(key: string, source: AsyncIterable<Uint8Array> | Uint8Array, options: PutOptions, maxBytes: number): Promise<ObjectInfo> {
    const target = objectPath(this.root, key);
    const temp = join(this.root, 'tmp', `${randomUUID()}.part`);
    const whole = source instanceof Uint8Array ? source : undefined;
    // Whole bytes are hashed in one call below; a stream as it is written.
    const streamed = whole ? undefined : new StreamMd5(temp);
    let size = whole ? whole.byteLength : 0;
    const tooLarge = () => refused('INVALID_INPUT', `The body is larger than the ${maxBytes} bytes this upload allows.`);
    try {
      if (size > maxBytes) throw tooLarge();
      const file = await this.inFolder(temp, () => ObjectFd.create(temp));
      try {
        if (streamed) {
          for await (const chunk of source as AsyncIterable<Uint8Array>) {
            size += chunk.byteLength;
            if (size > maxBytes) throw tooLarge();
            const written = file.append([chunk]);
            // Hashing runs while the thread pool writes the same bytes.
            streamed.update(chunk);
            await written;
            streamed.written(size);
          }
        }
        const info: ObjectInfo = {
          key,
          size,
          contentType: options.contentType === undefined ? 'application/octet-stream' : normalizeContentType(options.contentType),
          cacheControl: options.cacheControl,
          metadata: { ...options.metadata },
          // The MD5 of the bytes, as S3 gives single-part objects: a strong etag that changes with the content.
          etag: `"${streamed ? await streamed.digest(size) : hash('md5', whole as Uint8Array, 'hex')}"`,
          lastModified: new Date(Math.floor(Date.now() / 1000) * 1000),
        };
        const trailer = encodeTrailer({ ...info, etag: info.etag as string, lastModified: info.lastModified.toISOString() });
        await file.append(whole ? [whole, trailer] : [trailer]);
        await file.sync();
        await file.close();
        await this.locks.hold(lockPath(this.root, target), async () => {
          await this.checkPrecondition(key, target, options);
          await this.inFolder(target, () => rename(temp, target));
        });
        return info;
      } finally {
        await file.close().catch(() => undefined);
      }
    } catch (error) {
      streamed?.abort();
      await rm(temp, { force: true });
      if (SwitchyardError.isInstance(error)) throw error;
      throw fsFailure('put', error);
    }
  }

  /** Releases the lock holder file. */
  close(): Promise<void> {
    return this.locks.close();
  }

  /** Removes `key`'s object, if any, under its lock. Throws the fs error as it is. */
  remove(key: string): Promise<void> {
    const target = objectPath(this.root, key);
    return this.locks.hold(lockPath(this.root, target), () => rm(target, { force: true }));
  }

  private async checkPrecondition(key: string, target: string, options: PutOptions): Promise<void> {
    if (options.ifMatch === undefined && options.ifNoneMatch === undefined) return;
    const current = await readInfo(target);
    if (options.ifNoneMatch === '*' && current) {
      throw refused('PRECONDITION_FAILED', `An object already exists at "${key}"; ifNoneMatch "*" only creates new keys.`);
    }
    if (options.ifMatch !== undefined && (!current?.etag || opaque(current.etag) !== opaque(options.ifMatch))) {
      throw refused(
        'PRECONDITION_FAILED',
        current
          ? `The object at "${key}" changed since etag ${options.ifMatch}; read it again before replacing it.`
          : `There is no object at "${key}" any more; ifMatch replaces only the version it names.`,
      );
    }
  }

  /** Runs `fn` on a path whose folder is made on first use, and again if it was removed since. */
  private async inFolder<T>(path: string, fn: () => Promise<T>): Promise<T> {
    const folder = dirname(path);
    if (!this.directories.has(folder)) await this.makeFolder(folder);
    try {
      return await fn();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await this.makeFolder(folder);
      return fn();
    }
  }

  private async makeFolder(folder: string): Promise<void> {
    await mkdir(folder, { recursive: true });
    // Bounded: a bucket with very many folders only loses the shortcut for the older ones.
    if (this.directories.size >= 10_000) this.directories.clear();
    this.directories.add(folder);
  }
}
