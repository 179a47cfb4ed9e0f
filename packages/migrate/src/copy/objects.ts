import { comparableEtag, copyObject, type StoragePort } from '@switchyard/core';
import { failure, objectPages } from '../listings.js';
import { type RunOptions, type RunResult, resumableRun } from '../resumable.js';
import { withRetries } from '../retry.js';
import { orderSafe, type Paired, TargetListing } from './target-listing.js';

export interface CopyObjectsOptions extends RunOptions {
  from: StoragePort;
  to: StoragePort;
  /** Only keys starting with this string. */
  prefix?: string | undefined;
}

/** What `copy objects` did, per object of this shard. */
export interface CopyObjectsCounts extends Record<string, number> {
  /** Streamed to the target (it lacked the object, or held an older version). */
  copied: number;
  /** The target already held the same object. */
  unchanged: number;
  /** The target holds a version written after the source's, or written while this run looked: never replaced. */
  keptNewer: number;
  /** Gone from the source since it was listed. */
  sourceMissing: number;
  /** Could not be copied (listed in the problems file); running again retries them. */
  failed: number;
}

const zero = (): CopyObjectsCounts => ({ copied: 0, unchanged: 0, keptNewer: 0, sourceMissing: 0, failed: 0 });

const COUNT = {
  copied: 'copied',
  unchanged: 'unchanged',
  'kept-newer': 'keptNewer',
  raced: 'keptNewer',
  'source-missing': 'sourceMissing',
} as const;

async function copyOne(from: StoragePort, to: StoragePort, { source, target }: Paired): Promise<keyof typeof COUNT> {
  // The two listings settle most keys without a request: same size and the same plain MD5 etag.
  const listed = comparableEtag(source.etag);
  if (target && target.size === source.size && listed !== undefined && listed === comparableEtag(target.etag)) return 'unchanged';
  // Never replaces a newer target version: see copyObject (look, read, conditional write). A key
  // the target's listing lacks is written only if still absent; any other is looked at again.
  const absent = target === null && orderSafe(source.key);
  return copyObject(from, to, source.key, { newerTarget: 'keep', ...(absent ? { seen: null } : {}) });
}

/**
 * Copies every object of `from` that `to` lacks or holds in an older version, `concurrency` at a
 * time (default 16), resumable from its checkpoint and split by `shard` (a hash of the key). It
 * never deletes and never replaces a version written at `to` after `from`'s, so it may run while
 * the app writes, in any phase; a second run copies nothing.
 */
export function copyObjects(options: CopyObjectsOptions): Promise<RunResult<CopyObjectsCounts>> {
  const { from, to } = options;
  const targets = new TargetListing(to, options);
  const sources = objectPages(from, options);
  return resumableRun<Paired, CopyObjectsCounts>({
    ...options,
    run: 'copy-objects',
    label: 'copy objects',
    defaultConcurrency: 16,
    zero,
    list: async (cursor) => targets.pair(await sources(cursor)),
    keyOf: (item) => item.source.key,
    handle: async (item) => {
      try {
        return { count: COUNT[await withRetries(() => copyOne(from, to, item))] };
      } catch (error) {
        return { count: 'failed', problem: failure(error, { key: item.source.key }) };
      }
    },
  });
}
