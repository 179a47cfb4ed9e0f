import { createHash } from 'node:crypto';
import { comparableEtag, headDifference, type ListedObject, type StoragePort, SwitchyardError } from '@switchyard/core';
import { failure, objectPages } from '../listings.js';
import { type Outcome, type RunOptions, type RunResult, resumableRun } from '../resumable.js';
import { withRetries } from '../retry.js';

export interface VerifyObjectsOptions extends RunOptions {
  from: StoragePort;
  to: StoragePort;
  prefix?: string | undefined;
  /** Download and hash both sides even where etags can be compared. */
  deep?: boolean | undefined;
  /** A difference is compared again this many times, a second apart, before it counts (writes in flight). Default 2. */
  recheck?: number | undefined;
}

export interface VerifyObjectsCounts extends Record<string, number> {
  /** Same size, type, metadata and content (etag, or the SHA-256 of both bodies). */
  same: number;
  /** Not at the target. */
  missing: number;
  /** At the target with other content, size, type or metadata. */
  differs: number;
  /** Different at the target, which holds a later version (written there after the source's): not a loss, listed to review. */
  newerAtTarget: number;
  /** Gone from the source since it was listed. */
  sourceMissing: number;
  /** Could not be compared (problems file); run again. */
  failed: number;
}

const zero = (): VerifyObjectsCounts => ({ same: 0, missing: 0, differs: 0, newerAtTarget: 0, sourceMissing: 0, failed: 0 });

async function sha256(storage: StoragePort, key: string): Promise<string | null> {
  try {
    const object = await storage.get(key);
    const hash = createHash('sha256');
    const reader = object.body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) hash.update(chunk.value);
    return hash.digest('hex');
  } catch (error) {
    if (SwitchyardError.hasCode(error, 'NOT_FOUND')) return null;
    throw error;
  }
}

async function compare(options: VerifyObjectsOptions, item: ListedObject): Promise<Outcome<VerifyObjectsCounts>> {
  const { from, to } = options;
  const key = item.key;
  const [source, target] = await Promise.all([from.head(key), to.head(key)]);
  if (!source) return { count: 'sourceMissing' };
  if (!target) return { count: 'missing', problem: { key, difference: 'missing at the target', size: source.size } };
  let difference = headDifference(source, target);
  if (!difference) {
    const [a, b] = [comparableEtag(source.etag), comparableEtag(target.etag)];
    if (options.deep || a === undefined || b === undefined) {
      // Etags are not comparable across providers (multipart, opaque): compare the bytes.
      const [hashA, hashB] = await Promise.all([sha256(from, key), sha256(to, key)]);
      if (hashA === null) return { count: 'sourceMissing' };
      if (hashB === null) return { count: 'missing', problem: { key, difference: 'missing at the target', size: source.size } };
      if (hashA !== hashB) difference = 'content differs (SHA-256)';
    } else if (a !== b) difference = 'content differs (etag)';
  }
  if (!difference) return { count: 'same' };
  const newer = Math.floor(target.lastModified.getTime() / 1000) > Math.floor(source.lastModified.getTime() / 1000);
  return {
    count: newer ? 'newerAtTarget' : 'differs',
    problem: {
      key,
      difference,
      source: { size: source.size, contentType: source.contentType, lastModified: source.lastModified },
      target: { size: target.size, contentType: target.contentType, lastModified: target.lastModified },
    },
  };
}

/**
 * Compares every object of `from` with `to`: size, content type, metadata and content (etags where
 * both are plain MD5s, otherwise both bodies downloaded and hashed). Every difference goes to the
 * problems file (JSON lines); resumable and split by `shard` like `copyObjects`.
 */
export function verifyObjects(options: VerifyObjectsOptions): Promise<RunResult<VerifyObjectsCounts>> {
  const { from } = options;
  return resumableRun<ListedObject, VerifyObjectsCounts>({
    ...options,
    run: 'verify-objects',
    label: 'verify objects',
    defaultConcurrency: 16,
    zero,
    list: objectPages(from, options),
    keyOf: (item) => item.key,
    handle: async (item) => {
      try {
        let verdict = await withRetries(() => compare(options, item));
        // A write in flight reaches the two sides a moment apart: look again before calling it a difference.
        for (let again = options.recheck ?? 2; again > 0 && verdict.problem; again--) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          verdict = await withRetries(() => compare(options, item));
        }
        return verdict;
      } catch (error) {
        return { count: 'failed', problem: failure(error, { key: item.key }) };
      }
    },
  });
}
