import { SwitchyardError } from '../errors.js';
import type { StoragePort } from '../storage/port.js';
import { comparableEtag, copyObject } from './storage-transfer.js';

export interface BackfillStorageOptions {
  /** The side that holds the objects (during a migration, the old provider). */
  from: StoragePort;
  /** The side to fill. Nothing is ever deleted here. */
  to: StoragePort;
  /** Only keys starting with this string. */
  prefix?: string;
  /** Objects copied at once. Default 4. */
  concurrency?: number;
  /** A `cursor` from an earlier run's progress, to resume the listing there instead of from the start. */
  cursor?: string;
  /** Called after each page of the listing is done; `cursor` resumes after that page (absent after the last). */
  onProgress?: (progress: BackfillStorageProgress) => void;
}

/** Counts so far; `cursor` is where a later run may resume. */
export interface BackfillStorageProgress {
  /** Keys listed at `from`. */
  examined: number;
  /** Objects streamed to `to` because they were missing there or older there. */
  copied: number;
  /** Objects `to` already held, or that vanished at `from` meanwhile. */
  skipped: number;
  /**
   * Objects `to` holds in a version written after `from`'s (or in the same second), or that were
   * written at `to` while this run looked: never replaced. `verify` compares their contents.
   */
  keptNewer: number;
  /** Keys that could not be copied; running again retries them. */
  failed: number;
  cursor?: string | undefined;
}

/** One key that could not be copied, with why. */
export interface BackfillFailure {
  key: string;
  error: SwitchyardError;
}

export interface BackfillStorageResult extends Omit<BackfillStorageProgress, 'failed' | 'cursor'> {
  failed: BackfillFailure[];
}

const DEFAULT_CONCURRENCY = 4;

function context(operation: string) {
  return { port: 'storage' as const, provider: 'backfill', operation };
}

function asError(error: unknown, operation: string): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  return new SwitchyardError({
    ...context(operation),
    code: 'UNAVAILABLE',
    message: 'Copying the object failed; run the backfill again.',
    cause: error,
  });
}

function validate(options: BackfillStorageOptions): number {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new SwitchyardError({
      ...context('backfillStorage'),
      code: 'INVALID_INPUT',
      message: 'concurrency must be a whole number from 1 to 64.',
    });
  }
  if (options.from === options.to) {
    throw new SwitchyardError({
      ...context('backfillStorage'),
      code: 'INVALID_INPUT',
      message: 'from and to are the same storage; give the two providers.',
    });
  }
  return concurrency;
}

/** Runs `task` over `items` with at most `limit` at once. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Copies every object of `from` that `to` lacks or holds in an older version, streaming each body
 * with its content type, cache control and metadata, and never replacing a version `to` got after
 * `from`'s (see `copyObject`: the app may be writing while this runs). The migration's one-off copy of the
 * objects that existed before dual-run began: idempotent (a second run copies nothing), resumable
 * (from a progress `cursor`, or simply from the start), and it never deletes anything. A key that
 * fails is listed in `failed` and the run goes on; run it again to retry.
 */
export async function backfillStorage(options: BackfillStorageOptions): Promise<BackfillStorageResult> {
  const concurrency = validate(options);
  const { from, to } = options;
  const result: BackfillStorageResult = { examined: 0, copied: 0, skipped: 0, keptNewer: 0, failed: [] };
  let cursor = options.cursor;
  do {
    const page = await from.list({ ...(options.prefix ? { prefix: options.prefix } : {}), ...(cursor ? { cursor } : {}) });
    result.examined += page.items.length;
    await eachLimited(page.items, concurrency, async (item) => {
      try {
        // The listing alone settles most keys; copyObject looks again before it writes.
        const target = await to.head(item.key);
        const listed = comparableEtag(item.etag);
        if (target && target.size === item.size && listed !== undefined && listed === comparableEtag(target.etag)) {
          result.skipped++;
          return;
        }
        const outcome = await copyObject(from, to, item.key, { newerTarget: 'keep' });
        if (outcome === 'copied') result.copied++;
        else if (outcome === 'kept-newer' || outcome === 'raced') result.keptNewer++;
        else result.skipped++;
      } catch (error) {
        result.failed.push({ key: item.key, error: asError(error, 'backfillStorage') });
      }
    });
    cursor = page.cursor;
    options.onProgress?.({ ...result, failed: result.failed.length, cursor });
  } while (cursor);
  return result;
}
