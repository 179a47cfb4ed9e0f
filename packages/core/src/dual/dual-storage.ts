import { SwitchyardError, unsupported } from '../errors.js';
import type { ReadMode } from '../providers/config.js';
import { validateBody } from '../storage/body.js';
import { intersectKeyCharacters, validateKey } from '../storage/keys.js';
import { resolveExpiresIn, validatePutOptions } from '../storage/options.js';
import type * as port from '../storage/port.js';
import { type DualScope, dualCall } from './dual-call.js';
import { DualSides } from './dual-sides.js';
import { DualReads } from './dual-storage-reads.js';
import { DualWrites } from './dual-storage-writes.js';
import { InMemoryJournal, type RepairJournal } from './journal.js';
import { type RepairResult, repairStorage } from './repair-storage.js';
import { BackgroundWork, closeBoth, type ShadowOptions } from './shadow.js';
import { copyObject } from './storage-transfer.js';

export interface DualStorageOptions extends ShadowOptions {
  primary: port.StoragePort;
  shadow: port.StoragePort;
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
export class DualStorage extends DualSides<port.StoragePort> implements port.StoragePort {
  readonly capabilities: port.StorageCapabilities;
  readonly journal: RepairJournal;
  private readonly labels: { primary: string; shadow: string };
  private readonly reads: ReadMode;
  private readonly copyForward: boolean;
  private readonly background = new BackgroundWork();
  private readonly readPath: DualReads;
  private readonly writePath: DualWrites;

  constructor(options: DualStorageOptions) {
    super('storage', options);
    const { primary, shadow } = options;
    this.reads = options.reads ?? 'primary';
    this.copyForward = options.copyForward ?? false;
    this.journal = options.journal ?? new InMemoryJournal();
    this.labels = options.labels ?? { primary: primary.provider, shadow: shadow.provider };
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
    this.writePath = new DualWrites({
      primary,
      shadow,
      context: this.context,
      provider: this.provider,
      journal: this.journal,
      primaryLabel: this.labels.primary,
      shadowMayHoldOnlyCopy: this.reads === 'fallback',
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
      keyCharacters: intersectKeyCharacters(a.keyCharacters, b.keyCharacters),
      maxKeySegmentBytes: smaller(a.maxKeySegmentBytes, b.maxKeySegmentBytes),
      // The condition is the primary's (its etag); the shadow mirrors whatever the primary accepted.
      conditionalPut: a.conditionalPut,
    };
  }

  private ctx(operation: string) {
    return { provider: this.provider, operation };
  }

  private call<T>(operation: string, run: (scope: DualScope) => Promise<T>): Promise<T> {
    return dualCall(this.context, this.provider, operation, run);
  }

  /** See `DualWrites.put`: both sides at once where the body allows it, journaled for repair when the shadow misses. */
  put(key: string, body: port.Body, options?: port.PutOptions): Promise<port.ObjectInfo> {
    return this.call('put', (scope) => {
      validateKey(key, this.ctx('put'));
      this.writePath.validateKeyForBothSides(key, 'put');
      validateBody(body, this.ctx('put'));
      validatePutOptions(options, this.ctx('put'));
      return this.writePath.put(scope, key, body, options);
    });
  }

  get(key: string, options?: port.GetOptions): Promise<port.StoredObject> {
    return this.call('get', (scope) => {
      validateKey(key, this.ctx('get'));
      return this.readPath.get(scope, key, options);
    });
  }

  head(key: string): Promise<port.ObjectInfo | null> {
    return this.call('head', (scope) => {
      validateKey(key, this.ctx('head'));
      return this.readPath.head(scope, key);
    });
  }

  delete(keys: string | readonly string[]): Promise<void> {
    return this.call('delete', async (scope) => {
      const list = typeof keys === 'string' ? [keys] : [...keys];
      for (const key of list) validateKey(key, this.ctx('delete'));
      await scope.primary(() => this.primary.delete(keys));
      await this.writePath.shadowWrite(
        'delete',
        list,
        scope.shadow(() => this.shadow.delete(keys)),
      );
    });
  }

  list(options?: port.ListOptions): Promise<port.ListPage> {
    return this.call('list', (scope) => scope.primary(() => this.primary.list(options)));
  }

  copy(from: string, to: string): Promise<void> {
    return this.call('copy', async (scope) => {
      validateKey(from, this.ctx('copy'));
      validateKey(to, this.ctx('copy'));
      this.writePath.validateKeyForBothSides(to, 'copy');
      try {
        await scope.primary(() => this.primary.copy(from, to));
      } catch (error) {
        if (this.reads !== 'fallback' || !SwitchyardError.hasCode(error, 'NOT_FOUND')) throw error;
        // The source was never migrated: bring it over first so the copy happens at the primary.
        if (!(await this.readPath.fromShadow(scope, 'copy', from, error, () => this.shadow.head(from)))) throw error;
        await copyObject(this.shadow, this.primary, from, { newerTarget: 'keep', onlyIfMissing: true });
        await scope.primary(() => this.primary.copy(from, to));
      }
      await this.writePath.shadowWrite(
        'copy',
        [to],
        scope.shadow(() => this.shadow.copy(from, to)),
      );
    });
  }

  createUploadUrl(key: string, options?: port.UploadUrlOptions): Promise<port.UploadTarget> {
    return this.call('createUploadUrl', async (scope) => {
      validateKey(key, this.ctx('createUploadUrl'));
      this.writePath.validateKeyForBothSides(key, 'createUploadUrl');
      const target = await scope.primary(() => this.primary.createUploadUrl(key, options));
      // The client uploads to the primary alone; repair copies the object over once it has arrived.
      await this.writePath.record('createUploadUrl', [key], 'uploaded through a signed URL to the primary', target.expiresAt);
      return target;
    });
  }

  createDownloadUrl(key: string, options?: port.DownloadUrlOptions): Promise<port.SignedUrl> {
    return this.call('createDownloadUrl', async (scope) => {
      validateKey(key, this.ctx('createDownloadUrl'));
      resolveExpiresIn(options?.expiresIn, 3600, this.ctx('createDownloadUrl'));
      return (await this.readPath.holder(scope, key, 'createDownloadUrl')).createDownloadUrl(key, options);
    });
  }

  publicUrl(key: string): Promise<string> {
    return this.call('publicUrl', async (scope) => {
      validateKey(key, this.ctx('publicUrl'));
      if (!this.capabilities.publicUrls) throw unsupported({ port: 'storage', ...this.ctx('publicUrl') }, 'publicUrls');
      return (await this.readPath.holder(scope, key, 'publicUrl')).publicUrl(key);
    });
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

/** The smaller of two optional limits; undefined when neither side has one. */
function smaller(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
