import { SwitchyardError, unsupported } from '../errors.js';
import type { OnEvent } from '../events.js';
import type { ReadMode } from '../providers/config.js';
import { isRereadable, validateBody } from '../storage/body.js';
import { validateKey } from '../storage/keys.js';
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
import { InMemoryJournal, type RepairJournal } from './journal.js';
import { type RepairResult, repairStorage } from './repair-storage.js';
import {
  BackgroundWork,
  bounded,
  closeBoth,
  DEFAULT_SHADOW_TIMEOUT_MS,
  type DualContext,
  reportDivergence,
  type ShadowFailure,
  settleShadow,
} from './shadow.js';
import { headDifference, transfer } from './storage-transfer.js';

export interface DualStorageOptions {
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
  /** Longest wait for one shadow call. Default 2,000 ms. */
  shadowTimeoutMs?: number;
  onEvent?: OnEvent;
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

  constructor(options: DualStorageOptions) {
    const { primary, shadow } = options;
    this.primary = primary;
    this.shadow = shadow;
    this.provider = `${primary.provider}+${shadow.provider}`;
    this.reads = options.reads ?? 'primary';
    this.copyForward = options.copyForward ?? false;
    this.journal = options.journal ?? new InMemoryJournal();
    this.labels = options.labels ?? { primary: primary.provider, shadow: shadow.provider };
    this.context = {
      port: 'storage',
      primary: primary.provider,
      shadow: shadow.provider,
      onEvent: options.onEvent,
      timeoutMs: options.shadowTimeoutMs ?? DEFAULT_SHADOW_TIMEOUT_MS,
    };
    const a = primary.capabilities;
    const b = shadow.capabilities;
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
  }

  private ctx(operation: string) {
    return { provider: this.provider, operation };
  }

  /** Runs a shadow write within the bound; a failure is reported and journaled, never thrown. */
  private async shadowWrite(operation: string, keys: readonly string[], write: () => Promise<unknown>): Promise<void> {
    try {
      await bounded(this.context, operation, write());
    } catch (error) {
      await this.shadowWriteFailed(operation, keys, error);
    }
  }

  private async shadowWriteFailed(operation: string, keys: readonly string[], error: unknown): Promise<void> {
    for (const key of keys) {
      reportDivergence(this.context, operation, 'the shadow write failed; journaled for repair', { key, error });
    }
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
   * would have overwritten for nothing, so there the shadow is written only after the primary.
   */
  async put(key: string, body: Body, options?: PutOptions): Promise<ObjectInfo> {
    validateKey(key, this.ctx('put'));
    validateBody(body, this.ctx('put'));
    validatePutOptions(options, this.ctx('put'));
    if (!isRereadable(body) || this.reads === 'fallback') {
      const info = await this.primary.put(key, body, options);
      await this.shadowWrite('put', [key], () =>
        isRereadable(body) ? this.shadow.put(key, body, options) : transfer(this.primary, this.shadow, key),
      );
      return info;
    }
    const primary = this.primary.put(key, body, options);
    const shadow = settleShadow(this.context, 'put', () => this.shadow.put(key, body, options));
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
   * The primary refused a put the shadow got at the same time: the write did not happen, so the
   * shadow must not keep it. Removed now, and journaled as a delete so repair makes the shadow
   * equal the primary (its earlier version back, or a copy that landed after the bound removed).
   */
  private async withdrawShadowPut(key: string, shadow: ShadowFailure | undefined): Promise<void> {
    // The shadow refused it too: nothing to take back.
    if (shadow && !shadow.timedOut) return;
    try {
      await bounded(this.context, 'put', this.shadow.delete(key));
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
    try {
      const object = await this.primary.get(key, options);
      if (this.reads === 'compare') this.compareInBackground('get', key, object.info);
      return object;
    } catch (error) {
      if (this.reads !== 'fallback' || !SwitchyardError.hasCode(error, 'NOT_FOUND')) throw error;
      const object = await this.fromShadow('get', key, () => this.shadow.get(key, options));
      if (!object) throw error;
      return object;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    validateKey(key, this.ctx('head'));
    const info = await this.primary.head(key);
    if (info) {
      if (this.reads === 'compare') this.compareInBackground('head', key, info);
      return info;
    }
    if (this.reads === 'compare') this.compareInBackground('head', key, null);
    if (this.reads !== 'fallback') return null;
    return this.fromShadow('head', key, () => this.shadow.head(key));
  }

  /** A fallback read at the shadow; a shadow failure reads as "not there" so the primary path never breaks. */
  private async fromShadow<T>(operation: string, key: string, read: () => Promise<T | null>): Promise<T | null> {
    let found: T | null;
    try {
      found = await bounded(this.context, operation, read());
    } catch (error) {
      if (SwitchyardError.hasCode(error, 'NOT_FOUND')) return null;
      reportDivergence(this.context, operation, 'the fallback read at the shadow failed', { key, error });
      return null;
    }
    if (found === null) return null;
    reportDivergence(this.context, operation, 'missing in the primary; served from the shadow', { key });
    if (this.copyForward) this.background.start(() => this.copyToPrimary(key));
    return found;
  }

  private async copyToPrimary(key: string): Promise<void> {
    try {
      // Re-check, so a write that reached the primary meanwhile is not overwritten with older data.
      if (await this.primary.head(key)) return;
      await transfer(this.shadow, this.primary, key);
    } catch (error) {
      reportDivergence(this.context, 'copyForward', 'copying the object forward to the primary failed', { key, error });
    }
  }

  private compareInBackground(operation: string, key: string, primary: ObjectInfo | null): void {
    this.background.start(async () => {
      let shadow: ObjectInfo | null;
      try {
        shadow = await bounded(this.context, operation, this.shadow.head(key));
      } catch (error) {
        reportDivergence(this.context, operation, 'the comparison read at the shadow failed', { key, error });
        return;
      }
      const difference = headDifference(primary, shadow);
      if (difference) reportDivergence(this.context, operation, difference, { key });
    });
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
    try {
      await this.primary.copy(from, to);
    } catch (error) {
      if (this.reads !== 'fallback' || !SwitchyardError.hasCode(error, 'NOT_FOUND')) throw error;
      // The source was never migrated: bring it over first so the copy happens at the primary.
      if (!(await this.fromShadow('copy', from, () => this.shadow.head(from)))) throw error;
      await transfer(this.shadow, this.primary, from);
      await this.primary.copy(from, to);
    }
    await this.shadowWrite('copy', [to], () => this.shadow.copy(from, to));
  }

  async createUploadUrl(key: string, options?: UploadUrlOptions): Promise<UploadTarget> {
    validateKey(key, this.ctx('createUploadUrl'));
    const target = await this.primary.createUploadUrl(key, options);
    // The client uploads to the primary alone; repair copies the object over once it has arrived.
    await this.record('createUploadUrl', [key], 'uploaded through a signed URL to the primary', target.expiresAt);
    return target;
  }

  async createDownloadUrl(key: string, options?: DownloadUrlOptions): Promise<SignedUrl> {
    validateKey(key, this.ctx('createDownloadUrl'));
    resolveExpiresIn(options?.expiresIn, 3600, this.ctx('createDownloadUrl'));
    return (await this.holder(key, 'createDownloadUrl')).createDownloadUrl(key, options);
  }

  async publicUrl(key: string): Promise<string> {
    validateKey(key, this.ctx('publicUrl'));
    if (!this.capabilities.publicUrls) throw unsupported({ port: 'storage', ...this.ctx('publicUrl') }, 'publicUrls');
    return (await this.holder(key, 'publicUrl')).publicUrl(key);
  }

  /** The side a URL should point at: the primary, unless in fallback mode only the shadow has the object. */
  private async holder(key: string, operation: string): Promise<StoragePort> {
    if (this.reads !== 'fallback' || (await this.primary.head(key))) return this.primary;
    try {
      if (await bounded(this.context, operation, this.shadow.head(key))) return this.shadow;
    } catch (error) {
      reportDivergence(this.context, operation, 'the shadow could not be checked for the object', { key, error });
    }
    return this.primary;
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
