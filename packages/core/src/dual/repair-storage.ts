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
  journal: RepairJournal;
  context: DualContext;
  limit?: number | undefined;
}

const KEPT_IN_SHADOW =
  'present only in the shadow after a journaled write; not deleted: copy it to the primary (backfillStorage) or delete it by hand';

async function repairKey(input: RepairStorageInput, entry: RepairEntry): Promise<boolean> {
  const { primary, shadow, context } = input;
  const key = entry.key;
  const source = await primary.head(key);
  if (!source && entry.keepUntil && entry.keepUntil.getTime() > Date.now()) return false;
  if (source) await bounded(context, 'repair', transfer(primary, shadow, key));
  else if (entry.operation === 'delete') await bounded(context, 'repair', shadow.delete(key));
  else if (await bounded(context, 'repair', shadow.head(key))) {
    // A journaled write the primary does not hold: the entry was recorded before the providers
    // swapped roles (a DbJournal lives in the replicated database and survives the phase 2 → 3
    // redeploy), or the object was removed outside Switchyard. The shadow may hold the only copy.
    reportDivergence(context, 'repair', KEPT_IN_SHADOW, { key });
    return false;
  }
  // Checked again rather than trusted: a write may have landed at the primary meanwhile.
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
