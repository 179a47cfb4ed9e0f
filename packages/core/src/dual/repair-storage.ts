import type { StoragePort } from '../storage/port.js';
import type { RepairEntry, RepairJournal } from './journal.js';
import { bounded, type DualContext, reportDivergence } from './shadow.js';
import { headDifference, transfer } from './storage-transfer.js';

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
 * replayed against it. Entries without a recorded primary, or naming neither side (or both, when
 * the labels are equal), are read against the current primary, as before the field existed.
 */
function orientation(input: RepairStorageInput, entry: RepairEntry): Orientation {
  const { primary, shadow, labels } = input;
  const swapped = entry.primary !== undefined && entry.primary === labels.shadow && entry.primary !== labels.primary;
  return swapped ? { authority: shadow, other: primary, otherRole: 'primary' } : { authority: primary, other: shadow, otherRole: 'shadow' };
}

async function repairKey(input: RepairStorageInput, entry: RepairEntry): Promise<boolean> {
  const { primary, shadow, context } = input;
  const { authority, other, otherRole } = orientation(input, entry);
  // Only calls that reach the shadow are bounded, as on the request path.
  const at = <T>(side: StoragePort, call: Promise<T>): Promise<T> => (side === shadow ? bounded(context, 'repair', call) : call);
  const key = entry.key;
  const source = await at(authority, authority.head(key));
  if (!source && entry.keepUntil && entry.keepUntil.getTime() > Date.now()) return false;
  // Holding it again after a journaled delete means it was re-created since: copied, not deleted.
  if (source) await bounded(context, 'repair', transfer(authority, other, key));
  else if (entry.operation === 'delete') await at(other, other.delete(key));
  else if (await at(other, other.head(key))) {
    // A journaled write the authoritative side does not hold: the object was removed outside
    // Switchyard, or the entry predates the recorded primary and the roles swapped since (a
    // DbJournal lives in the replicated database and survives the phase 2 → 3 redeploy). The
    // other side may hold the only copy.
    reportDivergence(context, 'repair', KEPT[otherRole], { key });
    return false;
  }
  // Checked again rather than trusted: a write may have landed at either side meanwhile.
  const difference = headDifference(await primary.head(key), await bounded(context, 'repair', shadow.head(key)));
  if (difference) throw new Error(difference);
  return true;
}

/** One pass over the journal; see `DualStorage.repair`. */
export async function repairStorage(input: RepairStorageInput): Promise<RepairResult> {
  const entries = await input.journal.pending('storage', input.limit ?? 1000);
  let repaired = 0;
  for (const entry of entries) {
    try {
      if (await repairKey(input, entry)) {
        await input.journal.resolve(entry);
        repaired++;
      }
    } catch (error) {
      reportDivergence(input.context, 'repair', 'repair failed; the entry stays in the journal', { key: entry.key, error });
      await input.journal.failed(entry, 'repair failed').catch(() => undefined);
    }
  }
  const left = await input.journal.pending('storage', input.limit ?? 1000);
  return { repaired, remaining: left.length };
}
