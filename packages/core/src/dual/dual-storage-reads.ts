import { SwitchyardError } from '../errors.js';
import type { ReadMode } from '../providers/config.js';
import type { GetOptions, ObjectInfo, StoragePort, StoredObject } from '../storage/port.js';
import type { DualScope } from './dual-call.js';
import { type BackgroundWork, type DualContext, reportDivergence, shadowCall } from './shadow.js';
import { copyObject, headDifference } from './storage-transfer.js';

/** What the read path shares with its DualStorage. */
export interface DualReadsInput {
  primary: StoragePort;
  shadow: StoragePort;
  context: DualContext;
  reads: ReadMode;
  copyForward: boolean;
  background: BackgroundWork;
}

/**
 * A primary answer the shadow may stand in for in `fallback` mode: no such object (not migrated
 * yet), or the primary cannot answer at all (an outage; served from the shadow rather than failed).
 */
function fallsBack(error: unknown): boolean {
  return SwitchyardError.hasCode(error, 'NOT_FOUND') || (SwitchyardError.hasCode(error, 'UNAVAILABLE') && error.retryable);
}

/**
 * DualStorage's reads: `primary` reads the primary only; `compare` also heads the shadow off the
 * request path and reports differences; `fallback` tries the shadow when the primary does not have
 * the object or is unavailable, and can copy what it found forward to the primary.
 */
export class DualReads {
  constructor(private readonly input: DualReadsInput) {}

  async get(scope: DualScope, key: string, options?: GetOptions): Promise<StoredObject> {
    const { primary, shadow, reads } = this.input;
    try {
      const object = await scope.primary(() => primary.get(key, options));
      if (reads === 'compare') this.compareInBackground(scope, 'get', key, object.info);
      return object;
    } catch (error) {
      if (reads !== 'fallback' || !fallsBack(error)) throw error;
      const object = await this.fromShadow(scope, 'get', key, error, () => shadow.get(key, options));
      if (!object) throw error;
      return object;
    }
  }

  async head(scope: DualScope, key: string): Promise<ObjectInfo | null> {
    const { primary, shadow, reads } = this.input;
    let info: ObjectInfo | null;
    try {
      info = await scope.primary(() => primary.head(key));
    } catch (error) {
      if (reads !== 'fallback' || !fallsBack(error)) throw error;
      const found = await this.fromShadow(scope, 'head', key, error, () => shadow.head(key));
      if (!found) throw error;
      return found;
    }
    if (reads === 'compare') this.compareInBackground(scope, 'head', key, info);
    if (info || reads !== 'fallback') return info;
    return this.fromShadow(scope, 'head', key, undefined, () => shadow.head(key));
  }

  /** The side a URL should point at: the primary, unless in fallback mode only the shadow has the object. */
  async holder(scope: DualScope, key: string, operation: string): Promise<StoragePort> {
    const { primary, shadow, reads, context } = this.input;
    if (reads !== 'fallback') return primary;
    try {
      if (await scope.primary(() => primary.head(key))) return primary;
    } catch (error) {
      if (!fallsBack(error)) throw error;
    }
    try {
      if (
        await shadowCall(
          context,
          operation,
          scope.shadow(() => shadow.head(key)),
        )
      )
        return shadow;
    } catch (error) {
      reportDivergence(context, operation, 'the shadow could not be checked for the object', { kind: 'shadow-failure', key, error });
    }
    return primary;
  }

  /**
   * A fallback read at the shadow, after the primary answered NOT_FOUND (`primaryError` undefined
   * or NOT_FOUND) or failed; a shadow failure reads as "not there" so the caller gets the primary's answer.
   */
  async fromShadow<T>(
    scope: DualScope,
    operation: string,
    key: string,
    primaryError: unknown,
    read: () => Promise<T | null>,
  ): Promise<T | null> {
    const { context } = this.input;
    let found: T | null;
    try {
      found = await shadowCall(context, operation, scope.shadow(read));
    } catch (error) {
      if (SwitchyardError.hasCode(error, 'NOT_FOUND')) return null;
      reportDivergence(context, operation, 'the fallback read at the shadow failed', { kind: 'shadow-failure', key, error });
      return null;
    }
    if (found === null) return null;
    const unavailable = primaryError !== undefined && !SwitchyardError.hasCode(primaryError, 'NOT_FOUND');
    if (unavailable) {
      reportDivergence(context, operation, 'the primary was unavailable; served from the shadow', {
        kind: 'primary-failure',
        key,
        error: primaryError,
      });
    } else {
      reportDivergence(context, operation, 'missing in the primary; served from the shadow', { kind: 'missing', key });
      if (this.input.copyForward) this.input.background.start(() => this.copyToPrimary(key));
    }
    return found;
  }

  private async copyToPrimary(key: string): Promise<void> {
    const { primary, shadow, context } = this.input;
    try {
      // Only into an empty key: a write that reached the primary meanwhile is never overwritten.
      await copyObject(shadow, primary, key, { newerTarget: 'keep', onlyIfMissing: true });
    } catch (error) {
      reportDivergence(context, 'copyForward', 'copying the object forward to the primary failed', { kind: 'repair-failure', key, error });
    }
  }

  private compareInBackground(scope: DualScope, operation: string, key: string, primaryInfo: ObjectInfo | null): void {
    const { shadow, context, background } = this.input;
    background.start(async () => {
      let shadowInfo: ObjectInfo | null;
      try {
        shadowInfo = await shadowCall(
          context,
          operation,
          scope.shadow(() => shadow.head(key)),
        );
      } catch (error) {
        reportDivergence(context, operation, 'the comparison read at the shadow failed', { kind: 'shadow-failure', key, error });
        return;
      }
      const difference = headDifference(primaryInfo, shadowInfo);
      if (difference) reportDivergence(context, operation, difference, { kind: 'mismatch', key });
    });
  }
}
