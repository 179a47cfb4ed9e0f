import { emit } from '../events.js';
import type { StoragePort } from '../storage/port.js';
import type { RepairEntry, RepairJournal } from './journal.js';
import { type DualContext, reportDivergence, shadowCall, transferBoundMs } from './shadow.js';
import { copyObject, headDifference } from './storage-transfer.js';

/** What one `repair()` pass did. */
export interface RepairResult {
  /** Entries whose two sides now agree and that left the journal. */
  repaired: number;
  /** Entries still pending (failed again, or waiting for a signed upload). */
  remaining: number;
}

interface RepairStorageInput {
  primary: StoragePort;
  shadow: StoragePort;
  /** The names entries give the sides in `RepairEntry.primary`. */
  labels: { primary: string; shadow: string };
  journal: RepairJournal;
  context: DualContext;
  limit?: number | undefined;
}

/** An entry's two sides: where its operation happened (the primary when it was recorded) and the side that missed it. */
interface Orientation {
  authority: StoragePort;
  other: StoragePort;
  /** How the side that missed the operation is named in divergences. */
  otherRole: 'shadow' | 'primary';
}

const KEPT: Record<Orientation['otherRole'], string> = {
  shadow: 'present only in the shadow after a journaled write; not deleted: copy it to the primary (backfillStorage) or delete it by hand',
  primary:
    'present only in the primary after a write journaled while the shadow was primary; not deleted: copy it to the shadow (backfillStorage) or delete it by hand',
};

/**
 * An entry recorded while the current shadow was primary (the phase 2 → 3 swap, or a rollback) is
 * replayed against it; one naming the current primary, or both sides (equal labels), against the primary.
 */
function orientation(input: RepairStorageInput, entry: RepairEntry): Orientation {
  const { primary, shadow, labels } = input;
  const swapped = entry.primary === labels.shadow && entry.primary !== labels.primary;
  return swapped ? { authority: shadow, other: primary, otherRole: 'primary' } : { authority: primary, other: shadow, otherRole: 'shadow' };
}

async function repairKey(input: RepairStorageInput, entry: RepairEntry): Promise<boolean> {
  const { primary, shadow, context } = input;
  const { authority, other, otherRole } = orientation(input, entry);
  // Calls that reach the shadow go through its circuit and bound, as on the request path.
  const at = <T>(side: StoragePort, call: () => Promise<T>): Promise<T> => (side === shadow ? shadowCall(context, 'repair', call) : call());
  const key = entry.key;
  const source = await at(authority, () => authority.head(key));
  if (!source && entry.keepUntil && entry.keepUntil.getTime() > Date.now()) return false;
  // Holding it again after a journaled delete means it was re-created since: copied, not deleted.
  // The journal names the side that is right, so a newer version at the other side is replaced,
  // but never one written after this copy looked (the write is conditional where the side can).
  if (source) {
    const bound = transferBoundMs(context, source.size);
    await shadowCall(context, 'repair', () => copyObject(authority, other, key, { newerTarget: 'replace' }), bound);
  } else if (entry.operation === 'delete') await at(other, () => other.delete(key));
  else if (await at(other, () => other.head(key))) {
    // A journaled write the authoritative side does not hold: the object was removed outside
    // Switchyard. The other side may hold the only copy.
    reportDivergence(context, 'repair', KEPT[otherRole], { kind: 'repair-failure', key });
    return false;
  }
  // Checked again rather than trusted: a write may have landed at either side meanwhile.
  const difference = headDifference(await primary.head(key), await shadowCall(context, 'repair', () => shadow.head(key)));
  if (difference) throw new Error(difference);
  return true;
}

/** One pass over the journal; see `DualStorage.repair`. */
export async function repairStorage(input: RepairStorageInput): Promise<RepairResult> {
  const started = performance.now();
  const entries = await input.journal.pending('storage', input.limit ?? 1000);
  let repaired = 0;
  for (const entry of entries) {
    try {
      if (await repairKey(input, entry)) {
        await input.journal.resolve(entry);
        repaired++;
      }
    } catch (error) {
      reportDivergence(input.context, 'repair', 'repair failed; the entry stays in the journal', {
        kind: error && (error as { provider?: string }).provider === input.context.shadow ? 'shadow-failure' : 'repair-failure',
        key: entry.key,
        error,
      });
      await input.journal.failed(entry, 'repair failed').catch(() => undefined);
    }
  }
  const left = await input.journal.pending('storage', input.limit ?? 1000);
  const { port, primary, shadow, onEvent } = input.context;
  emit(onEvent, { type: 'repair', port, primary, shadow, repaired, remaining: left.length, durationMs: performance.now() - started });
  return { repaired, remaining: left.length };
}
