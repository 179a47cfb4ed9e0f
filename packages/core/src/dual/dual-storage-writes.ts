import { SwitchyardError } from '../errors.js';
import { isRereadable, putOptionsFor } from '../storage/body.js';
import { capabilityKeyProblem } from '../storage/keys.js';
import type { Body, ObjectInfo, PutOptions, StoragePort } from '../storage/port.js';
import { wasSkipped } from './circuit.js';
import type { DualScope } from './dual-call.js';
import type { RepairJournal } from './journal.js';
import { type DualContext, reportDivergence, type ShadowFailure, settleShadow, shadowCall, transferBoundMs } from './shadow.js';
import { copyObject } from './storage-transfer.js';

/** What the write path shares with its DualStorage. */
export interface DualWritesInput {
  primary: StoragePort;
  shadow: StoragePort;
  context: DualContext;
  provider: string;
  journal: RepairJournal;
  /** How journal entries name the side that is primary now. */
  primaryLabel: string;
  /** True in `fallback` mode, where the shadow may hold the only copy of a key. */
  shadowMayHoldOnlyCopy: boolean;
}

/**
 * DualStorage's writes: the primary must take them, the shadow gets them within its bound, and
 * whatever the shadow misses is reported and journaled for repair instead of failing the request.
 */
export class DualWrites {
  constructor(private readonly input: DualWritesInput) {}

  /**
   * A key one side cannot hold would be written to the other only and journaled forever: refused
   * before any I/O instead (Supabase Storage holds ASCII keys only, for example).
   */
  validateKeyForBothSides(key: string, operation: string): void {
    for (const side of [this.input.primary, this.input.shadow]) {
      const problem = capabilityKeyProblem(key, side.capabilities);
      if (problem) {
        throw new SwitchyardError({
          code: 'INVALID_INPUT',
          port: 'storage',
          provider: this.input.provider,
          operation,
          message: `Invalid storage key for ${side.provider}, one side of this dual-run: ${problem}. Use a key both providers can store.`,
        });
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
  async put(scope: DualScope, key: string, body: Body, options?: PutOptions): Promise<ObjectInfo> {
    const { primary, shadow, context } = this.input;
    const { ifMatch, ifNoneMatch, ...mirrored } = options ?? {};
    const conditional = ifMatch !== undefined || ifNoneMatch !== undefined;
    if (!isRereadable(body) || this.input.shadowMayHoldOnlyCopy || conditional) {
      const info = await scope.primary(() => primary.put(key, body, options));
      const copy = () =>
        isRereadable(body) ? shadow.put(key, body, mirrored) : copyObject(primary, shadow, key, { newerTarget: 'replace' });
      await this.shadowWrite('put', [key], scope.shadow(copy), transferBoundMs(context, info.size));
      return info;
    }
    const primaryPut = scope.primary(() => primary.put(key, body, options));
    const bound = transferBoundMs(context, putOptionsFor(body, options).contentLength ?? 0);
    const shadowPut = settleShadow(
      context,
      'put',
      scope.shadow(() => shadow.put(key, body, options)),
      bound,
    );
    let info: ObjectInfo;
    try {
      info = await primaryPut;
    } catch (error) {
      await this.withdrawShadowPut(scope, key, await shadowPut);
      throw error;
    }
    const failure = await shadowPut;
    if (failure) await this.shadowWriteFailed('put', [key], failure.error);
    return info;
  }

  /** Runs a shadow write within the bound; a failure is reported and journaled, never thrown. */
  async shadowWrite(operation: string, keys: readonly string[], write: () => Promise<unknown>, boundMs?: number): Promise<void> {
    try {
      await shadowCall(this.input.context, operation, write, boundMs);
    } catch (error) {
      await this.shadowWriteFailed(operation, keys, error);
    }
  }

  private async shadowWriteFailed(operation: string, keys: readonly string[], error: unknown): Promise<void> {
    const why = wasSkipped(error) ? 'the shadow is skipped while its circuit is open' : 'the shadow write failed';
    for (const key of keys) {
      reportDivergence(this.input.context, operation, `${why}; journaled for repair`, {
        kind: 'shadow-failure',
        key,
        error,
        evenIfSkipped: true,
      });
    }
    await this.record(operation, keys, 'shadow write failed');
  }

  /** Journals `keys` under `operation`, or under `entry` when repair should replay them as another operation. */
  async record(operation: string, keys: readonly string[], reason: string, keepUntil?: Date, entry = operation): Promise<void> {
    const { journal, primaryLabel, context } = this.input;
    for (const key of keys) {
      try {
        await journal.record({ port: 'storage', key, operation: entry, reason, keepUntil, primary: primaryLabel });
      } catch (error) {
        reportDivergence(context, operation, 'the repair journal refused an entry; this key will not be repaired', {
          kind: 'repair-failure',
          key,
          error,
        });
      }
    }
  }

  /**
   * The primary refused a put the shadow got at the same time: the write did not happen, so the
   * shadow must not keep it. Removed now, and journaled as a delete so repair makes the shadow
   * equal the primary (its earlier version back, or a copy that landed after the bound removed).
   */
  private async withdrawShadowPut(scope: DualScope, key: string, shadowPut: ShadowFailure | undefined): Promise<void> {
    // The shadow refused it too: nothing to take back.
    if (shadowPut && !shadowPut.timedOut) return;
    const { context, shadow } = this.input;
    try {
      await shadowCall(
        context,
        'put',
        scope.shadow(() => shadow.delete(key)),
      );
      reportDivergence(context, 'put', 'the primary refused the put; its shadow copy was removed', { kind: 'rolled-back', key });
    } catch (error) {
      reportDivergence(context, 'put', 'the primary refused the put; removing its shadow copy failed, journaled for repair', {
        kind: 'shadow-failure',
        key,
        error,
      });
    }
    await this.record('put', [key], 'the primary refused the put', undefined, 'delete');
  }
}
