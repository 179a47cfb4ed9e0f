import { SwitchyardError, unsupported } from '../errors.js';
import type { ReadMode } from '../providers/config.js';
import { printsAs } from '../redact.js';
import { isRereadable, putOptionsFor, validateBody } from '../storage/body.js';
import { keyCharactersProblem, validateKey } from '../storage/keys.js';
import { resolveExpiresIn, validatePutOptions } from '../storage/options.js';
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
} from '../storage/port.js';
import { wasSkipped } from './circuit.js';
import { DualReads } from './dual-storage-reads.js';
import { InMemoryJournal, type RepairJournal } from './journal.js';
import { type RepairResult, repairStorage } from './repair-storage.js';
import {
  BackgroundWork,
  closeBoth,
  type DualContext,
  dualContext,
  reportDivergence,
  type ShadowFailure,
  type ShadowOptions,
  settleShadow,
  shadowCall,
  transferBoundMs,
} from './shadow.js';
import { copyObject } from './storage-transfer.js';

export interface DualStorageOptions extends ShadowOptions {
  primary: StoragePort;
  shadow: StoragePort;
  /** Where reads go: `primary` only, `fallback` to the shadow on NOT_FOUND, or `compare` both. Default `primary`. */
  reads?: ReadMode;
  /** In `fallback` mode, copy an object found only in the shadow to the primary (off the request path). */
  copyForward?: boolean;
  /** Keys the shadow missed; default in memory. */
  journal?: RepairJournal;
  /**
   * How journal entries name each side, so a journal replayed after the roles swap knows which
   * side was primary when an entry was recorded. Default: each side's `provider`. Set both when
   * the two sides are the same provider (two buckets of one service); equal labels cannot be told
   * apart, and their entries are always replayed against the current primary.
   */
  labels?: { primary: string; shadow: string };
}

/**
 * A StoragePort over two providers during a migration. Writes must succeed at the primary; the
 * shadow gets them too, within a bounded wait, and whatever it misses goes to the repair journal
 * and an `onEvent` divergence instead of failing the request. Listing is the primary's.
 */
export class DualStorage implements StoragePort {
  readonly provider: string;
  readonly capabilities: StorageCapabilities;
  readonly primary: StoragePort;
  readonly shadow: StoragePort;
  readonly journal: RepairJournal;
  private readonly labels: { primary: string; shadow: string };
  private readonly context: DualContext;
  private readonly reads: ReadMode;
  private readonly copyForward: boolean;
  private readonly background = new BackgroundWork();
  private readonly readPath: DualReads;

  constructor(options: DualStorageOptions) {
    const { primary, shadow } = options;
    this.primary = primary;
    this.shadow = shadow;
    this.provider = `${primary.provider}+${shadow.provider}`;
    this.reads = options.reads ?? 'primary';
    this.copyForward = options.copyForward ?? false;
    this.journal = options.journal ?? new InMemoryJournal();
    this.labels = options.labels ?? { primary: primary.provider, shadow: shadow.provider };
    this.context = dualContext('storage', options, options);
    const a = primary.capabilities;
    const b = shadow.capabilities;
    this.readPath = new DualReads({
      primary,
      shadow,
      context: this.context,
      reads: this.reads,
      copyForward: this.copyForward,
      background: this.background,
    });
    this.capabilities = {
      rangeReads: a.rangeReads && b.rangeReads,
      // Upload URLs are always the primary's: these describe the request the client actually sends.
      presignedPost: a.presignedPost,
      uploadUrlEnforcesContentType: a.uploadUrlEnforcesContentType,
      uploadUrlEnforcesMaxBytes: a.uploadUrlEnforcesMaxBytes,
      uploadUrlExpiry: a.uploadUrlExpiry,
      publicUrls: a.publicUrls && b.publicUrls,
      downloadAs: a.downloadAs && b.downloadAs,
      unicodeKeys: a.unicodeKeys && b.unicodeKeys,
      // The condition is the primary's (its etag); the shadow mirrors whatever the primary accepted.
      conditionalPut: a.conditionalPut,
    };
    // Its sides hold credentials: printing it shows which providers it joins, nothing more.
    printsAs(this, { provider: this.provider, primary: primary.provider, shadow: shadow.provider });
  }

  private ctx(operation: string) {
    return { provider: this.provider, operation };
  }

  /** Runs a shadow write within the bound; a failure is reported and journaled, never thrown. */
  private async shadowWrite(operation: string, keys: readonly string[], write: () => Promise<unknown>, boundMs?: number): Promise<void> {
    try {
      await shadowCall(this.context, operation, write, boundMs);
    } catch (error) {
      await this.shadowWriteFailed(operation, keys, error);
    }
  }

  private async shadowWriteFailed(operation: string, keys: readonly string[], error: unknown): Promise<void> {
    const why = wasSkipped(error) ? 'the shadow is skipped while its circuit is open' : 'the shadow write failed';
    for (const key of keys) reportDivergence(this.context, operation, `${why}; journaled for repair`, { key, error, evenIfSkipped: true });
    await this.record(operation, keys, 'shadow write failed');
  }

  /** Journals `keys` under `operation`, or under `entry` when repair should replay them as another operation. */
  private async record(operation: string, keys: readonly string[], reason: string, keepUntil?: Date, entry = operation): Promise<void> {
    for (const key of keys) {
      try {
        await this.journal.record({ port: 'storage', key, operation: entry, reason, keepUntil, primary: this.labels.primary });
      } catch (error) {
        reportDivergence(this.context, operation, 'the repair journal refused an entry; this key will not be repaired', { key, error });
      }
    }
  }

  /**
   * Whole bodies go to both sides at once, so a put costs the slower side, not the sum. A stream
   * can be read once: the primary takes it and the shadow copies from the primary afterwards
   * (teeing it would buffer whatever the slower side has not read yet). In `fallback` mode the
   * shadow may hold the only copy of a key, which a concurrent write the primary then refused
   * would have overwritten for nothing, so there the shadow is written only after the primary; so
   * is a conditional put, whose condition (an etag) is the primary's and which the shadow mirrors.
   */
  async put(key: string, body: Body, options?: PutOptions): Promise<ObjectInfo> {
    validateKey(key, this.ctx('put'));
    this.validateKeyForBothSides(key, 'put');
    validateBody(body, this.ctx('put'));
    validatePutOptions(options, this.ctx('put'));
    const { ifMatch, ifNoneMatch, ...mirrored } = options ?? {};
    const conditional = ifMatch !== undefined || ifNoneMatch !== undefined;
    const knownSize = putOptionsFor(body, options).contentLength;
    if (!isRereadable(body) || this.reads === 'fallback' || conditional) {
      const info = await this.primary.put(key, body, options);
      await this.shadowWrite(
        'put',
        [key],
        () =>
          isRereadable(body)
            ? this.shadow.put(key, body, mirrored)
            : copyObject(this.primary, this.shadow, key, { newerTarget: 'replace' }),
        transferBoundMs(this.context, info.size),
      );
      return info;
    }
    const primary = this.primary.put(key, body, options);
    const bound = transferBoundMs(this.context, knownSize ?? 0);
    const shadow = settleShadow(this.context, 'put', () => this.shadow.put(key, body, options), bound);
    let info: ObjectInfo;
    try {
      info = await primary;
    } catch (error) {
      await this.withdrawShadowPut(key, await shadow);
      throw error;
    }
    const failure = await shadow;
    if (failure) await this.shadowWriteFailed('put', [key], failure.error);
    return info;
  }

  /**
   * A key one side cannot hold would be written to the other only and journaled forever: refused
   * before any I/O instead (Supabase Storage holds ASCII keys only, for example).
   */
  private validateKeyForBothSides(key: string, operation: string): void {
    for (const side of [this.primary, this.shadow]) {
      const unicode = side.capabilities.unicodeKeys || /^[\x20-\x7e]*$/.test(key);
      const problem = unicode ? keyCharactersProblem(key, side.capabilities.keyCharacters) : 'it holds non-ASCII characters';
      if (problem) {
        throw new SwitchyardError({
          code: 'INVALID_INPUT',
          port: 'storage',
          ...this.ctx(operation),
          message: `Invalid storage key for ${side.provider}, one side of this dual-run: ${problem}. Use a key both providers can store.`,
        });
      }
    }
  }

  /**
   * The primary refused a put the shadow got at the same time: the write did not happen, so the
   * shadow must not keep it. Removed now, and journaled as a delete so repair makes the shadow
   * equal the primary (its earlier version back, or a copy that landed after the bound removed).
   */
  private async withdrawShadowPut(key: string, shadow: ShadowFailure | undefined): Promise<void> {
    // The shadow refused it too: nothing to take back.
    if (shadow && !shadow.timedOut) return;
    try {
      await shadowCall(this.context, 'put', () => this.shadow.delete(key));
      reportDivergence(this.context, 'put', 'the primary refused the put; its shadow copy was removed', { key });
    } catch (error) {
      reportDivergence(this.context, 'put', 'the primary refused the put; removing its shadow copy failed, journaled for repair', {
        key,
        error,
      });
    }
    await this.record('put', [key], 'the primary refused the put', undefined, 'delete');
  }

  async get(key: string, options?: GetOptions): Promise<StoredObject> {
    validateKey(key, this.ctx('get'));
    return this.readPath.get(key, options);
  }

  async head(key: string): Promise<ObjectInfo | null> {
    validateKey(key, this.ctx('head'));
    return this.readPath.head(key);
  }

  async delete(keys: string | readonly string[]): Promise<void> {
    const list = typeof keys === 'string' ? [keys] : [...keys];
    for (const key of list) validateKey(key, this.ctx('delete'));
    await this.primary.delete(keys);
    await this.shadowWrite('delete', list, () => this.shadow.delete(keys));
  }

  list(options?: ListOptions): Promise<ListPage> {
    return this.primary.list(options);
  }

  async copy(from: string, to: string): Promise<void> {
    validateKey(from, this.ctx('copy'));
    validateKey(to, this.ctx('copy'));
    this.validateKeyForBothSides(to, 'copy');
    try {
      await this.primary.copy(from, to);
    } catch (error) {
      if (this.reads !== 'fallback' || !SwitchyardError.hasCode(error, 'NOT_FOUND')) throw error;
      // The source was never migrated: bring it over first so the copy happens at the primary.
      if (!(await this.readPath.fromShadow('copy', from, error, () => this.shadow.head(from)))) throw error;
      await copyObject(this.shadow, this.primary, from, { newerTarget: 'keep', onlyIfMissing: true });
      await this.primary.copy(from, to);
    }
    await this.shadowWrite('copy', [to], () => this.shadow.copy(from, to));
  }

  async createUploadUrl(key: string, options?: UploadUrlOptions): Promise<UploadTarget> {
    validateKey(key, this.ctx('createUploadUrl'));
    this.validateKeyForBothSides(key, 'createUploadUrl');
    const target = await this.primary.createUploadUrl(key, options);
    // The client uploads to the primary alone; repair copies the object over once it has arrived.
    await this.record('createUploadUrl', [key], 'uploaded through a signed URL to the primary', target.expiresAt);
    return target;
  }

  async createDownloadUrl(key: string, options?: DownloadUrlOptions): Promise<SignedUrl> {
    validateKey(key, this.ctx('createDownloadUrl'));
    resolveExpiresIn(options?.expiresIn, 3600, this.ctx('createDownloadUrl'));
    return (await this.readPath.holder(key, 'createDownloadUrl')).createDownloadUrl(key, options);
  }

  async publicUrl(key: string): Promise<string> {
    validateKey(key, this.ctx('publicUrl'));
    if (!this.capabilities.publicUrls) throw unsupported({ port: 'storage', ...this.ctx('publicUrl') }, 'publicUrls');
    return (await this.readPath.holder(key, 'publicUrl')).publicUrl(key);
  }

  /**
   * For every journaled key, makes the other side equal the side that was primary when the key
   * was recorded (the shadow, for entries recorded before the roles swapped): copies what that
   * side has, deletes what it does not. Entries that still fail stay for the next call.
   */
  repair(options: { limit?: number } = {}): Promise<RepairResult> {
    return repairStorage({
      primary: this.primary,
      shadow: this.shadow,
      labels: this.labels,
      journal: this.journal,
      context: this.context,
      limit: options.limit,
    });
  }

  /** Resolves once every background comparison and copy-forward started so far has finished. */
  settled(): Promise<void> {
    return this.background.settled();
  }

  async close(): Promise<void> {
    await this.background.settled();
    await closeBoth([() => this.primary.close(), () => this.shadow.close()]);
  }
}
