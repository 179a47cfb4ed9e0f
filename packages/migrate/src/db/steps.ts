import { type DbPort, SwitchyardError } from '@switchyard/core';
import type { Migration } from '../model/migration.js';
import { dbSides } from '../model/sides.js';
import { withRetries } from '../retry.js';
import { conninfo } from './conninfo.js';
import {
  dropSubscription,
  ensurePublication,
  ensureSubscription,
  REPLICATION,
  refreshSubscription,
  subscriptionState,
} from './replication.js';
import { type SequencesResult, syncSequences } from './sequences.js';
import { type CatchUp, catchUp, freeze } from './switch.js';

export interface DbSides {
  from: DbPort;
  to: DbPort;
}

/**
 * Subscribes one database to the other: `forward` the target follows the source and copies its
 * existing rows first; `reverse` the source follows the target, with no initial copy. The
 * subscriber reaches the publisher with the planned adapter's settings. True when it subscribed.
 */
async function follow(migration: Migration, { from, to }: DbSides, direction: 'forward' | 'reverse'): Promise<boolean> {
  const forward = direction === 'forward';
  const publisher = forward ? 'from' : 'to';
  return ensureSubscription({
    subscriber: forward ? to : from,
    publisher: forward ? from : to,
    name: REPLICATION[direction],
    conninfo: conninfo((await dbSides(migration))[publisher], publisher, migration.env),
    copyData: forward,
  });
}

/** Phase 1 → 2: the source publishes the app schemas, the target subscribes and copies the existing rows. Idempotent. */
export async function replicate(migration: Migration, { from, to }: DbSides): Promise<{ publication: boolean; subscription: boolean }> {
  const publication = await ensurePublication(from, migration.schemas);
  const subscription = await follow(migration, { from, to }, 'forward');
  // Tables added to an existing publication reach an existing subscription only once it refreshes.
  if (publication && !subscription) await refreshSubscription(to, REPLICATION.forward);
  return { publication, subscription };
}

/**
 * After the switch the old database follows the new one (no initial copy: it holds everything up to
 * the freeze), so a rollback to phase 2 loses nothing written in phase 3. The forward subscription
 * and its slot are dropped first. Idempotent.
 */
export async function reverse(
  migration: Migration,
  { from, to }: DbSides,
  options: { timeoutMs?: number } = {},
): Promise<{ publication: boolean; subscription: boolean }> {
  if ((await subscriptionState(to, REPLICATION.forward)).exists) {
    // Dropping the forward link before the target has everything would strand the rest at the source.
    const caught = await catchUp({ publisher: from, subscriber: to, timeoutMs: options.timeoutMs ?? 30_000 });
    if (!caught.caughtUp) {
      throw new SwitchyardError({
        code: 'PRECONDITION_FAILED',
        port: 'db',
        operation: 'switchyard db reverse',
        message: `The target has not caught up with the source (${caught.lagBytes} bytes, ${caught.syncing.length} tables copying); run switchyard db freeze and db catch-up first.`,
      });
    }
  }
  const publication = await ensurePublication(to, migration.schemas);
  await dropSubscription(to, from, REPLICATION.forward);
  const subscription = await follow(migration, { from, to }, 'reverse');
  return { publication, subscription };
}

export interface SwitchResult {
  frozen: { ended: number };
  catchUp: CatchUp;
  sequences?: SequencesResult | undefined;
  reversed?: { publication: boolean; subscription: boolean } | undefined;
}

/**
 * The database switch before phase 3, in order: freeze the source (the app's writes there fail,
 * retryably), wait for the target to confirm everything, set its sequences past the source's, and
 * reverse the replication. Stops after the wait when the target did not catch up in time (the
 * source stays frozen: run it again, or `db unfreeze` to roll back).
 */
export async function switchDatabases(
  migration: Migration,
  sides: DbSides,
  options: { timeoutMs?: number; margin?: number; signal?: AbortSignal } = {},
): Promise<SwitchResult> {
  const frozen = await freeze(sides.from);
  const [forward, reverseLink] = await withRetries(() =>
    Promise.all([subscriptionState(sides.to, REPLICATION.forward), subscriptionState(sides.from, REPLICATION.reverse)]),
  );
  const done: CatchUp = { lagBytes: 0, syncing: [], caughtUp: true, waitedMs: 0 };
  // Switched before: the target has been the primary since, and only the reverse link remains.
  if (reverseLink.exists) return { frozen, catchUp: done, reversed: { publication: false, subscription: false } };
  // No forward link any more: a reverse interrupted after dropping it (which it does only once caught up).
  const caught = forward.exists ? await catchUp({ publisher: sides.from, subscriber: sides.to, ...options }) : done;
  if (!caught.caughtUp) return { frozen, catchUp: caught };
  const sequences = await withRetries(() => syncSequences({ ...sides, schemas: migration.schemas, margin: options.margin ?? 1000 }));
  const reversed = await withRetries(() => reverse(migration, sides));
  return { frozen, catchUp: caught, sequences, reversed };
}
