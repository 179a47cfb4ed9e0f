import type { SwitchyardError } from '@switchyard/core/adapter/storage';
import { StorageApiError } from './api-error.js';
import { bucketMissing, mapRefusal, storageError, urlWrong } from './errors.js';
import type { StorageHttp } from './http.js';

/** What the adapter learns from the bucket itself (`GET /bucket/{id}`). */
export interface BucketFacts {
  /** The bucket's `file_size_limit` in bytes, when it sets one. */
  fileSizeLimit: number | undefined;
}

interface BucketRow {
  public?: boolean;
  file_size_limit?: number | null;
}

/**
 * Checks the bucket and the key once, before the adapter's first request. storage-api cannot tell a
 * caller which is wrong on its object routes: a forged or foreign key reads there as an anonymous
 * request, and both that and a missing bucket answer `NoSuchBucket` like a missing object, while
 * listing and batch delete answer a missing bucket with an empty success. `GET /bucket/{id}` needs
 * a valid key and names a missing bucket, so it tells the two apart. Only success is remembered:
 * after a failure the next call checks again (the bucket may have been created meanwhile).
 */
export class BucketCheck {
  private known: BucketFacts | undefined;

  constructor(
    private readonly http: StorageHttp,
    private readonly bucket: string,
    private readonly expectPublic: boolean,
  ) {}

  /** The bucket's facts; `CONFIG` naming the key or the bucket when either is wrong. */
  async facts(operation: string): Promise<BucketFacts> {
    if (this.known) return this.known;
    let row: BucketRow;
    try {
      row = await this.http.json<BucketRow>(operation, { method: 'GET', path: `/bucket/${encodeURIComponent(this.bucket)}` });
    } catch (error) {
      throw this.diagnose(operation, error);
    }
    if (this.expectPublic && row.public !== true) {
      throw storageError(
        operation,
        'CONFIG',
        `Supabase Storage bucket "${this.bucket}" is private, but publicBucket is true: make the bucket public or set publicBucket: false.`,
      );
    }
    const limit = row.file_size_limit;
    this.known = { fileSizeLimit: typeof limit === 'number' && limit > 0 ? limit : undefined };
    return this.known;
  }

  /**
   * What an object route's `NoSuchBucket` means: the bucket is gone, or the key was refused (the
   * route read the request as anonymous). Asks the bucket route, which answers each plainly.
   */
  async explain(operation: string, cause: unknown): Promise<SwitchyardError> {
    this.known = undefined;
    try {
      await this.facts(operation);
    } catch (error) {
      return error as SwitchyardError;
    }
    return bucketMissing(operation, this.bucket, cause);
  }

  private diagnose(operation: string, error: unknown): SwitchyardError {
    if (error instanceof StorageApiError && error.code === 'NoSuchBucket') return bucketMissing(operation, this.bucket, error);
    // A 404 that is not storage-api's own (it names every error with a code) came from something else.
    if (error instanceof StorageApiError && error.status === 404) return urlWrong(operation, error);
    return mapRefusal(operation, error);
  }
}

/** True for the answer storage-api gives on object routes for a missing bucket or a refused key. */
export function isNoSuchBucket(error: unknown): boolean {
  return error instanceof StorageApiError && error.code === 'NoSuchBucket';
}
