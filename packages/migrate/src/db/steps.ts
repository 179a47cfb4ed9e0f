import type { DbPort } from '@switchyard/core';
import type { Migration } from '../model/migration.js';
import { dbSpecs } from '../model/sides.js';
import { conninfo } from './conninfo.js';
import { dropSubscription, ensurePublication, ensureSubscription, REPLICATION, subscriptionState } from './replication.js';
import { type SequencesResult, syncSequences } from './sequences.js';
import { type CatchUp, catchUp, freeze } from './switch.js';

export interface DbSides {
  from: DbPort;
  to: DbPort;
}

/** Phase 1 → 2: the source publishes the app schemas, the target subscribes and copies the existing rows. Idempotent. */
export async function replicate(migration: Migration, { from, to }: DbSides): Promise<{ publication: boolean; subscription: boolean }> {
  const publication = await ensurePublication(from, migration.schemas);
  const subscription = await ensureSubscription({
    subscriber: to,
    publisher: from,
    name: REPLICATION.forward,
    conninfo: conninfo(dbSpecs(migration).from, 'from', migration.env),
    copyData: true,
  });
  return { publication, subscription };
}

/**
 * After the switch the old database follows the new one (no initial copy: it holds everything up to
 * the freeze), so a rollback to phase 2 loses nothing written in phase 3. The forward subscription
 * and its slot are dropped first. Idempotent.
 */
export async function reverse(migration: Migration, { from, to }: DbSides): Promise<{ publication: boolean; subscription: boolean }> {
  const publication = await ensurePublication(to, migration.schemas);
  await dropSubscription(to, from, REPLICATION.forward);
  const subscription = await ensureSubscription({
    subscriber: from,
    publisher: to,
    name: REPLICATION.reverse,
    conninfo: conninfo(dbSpecs(migration).to, 'to', migration.env),
    copyData: false,
  });
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
  if ((await subscriptionState(sides.from, REPLICATION.reverse)).exists) {
    // Switched before: the forward slot is gone, and the target has been the primary since.
    return {
      frozen,
      catchUp: { lagBytes: 0, syncing: [], caughtUp: true, waitedMs: 0 },
      reversed: { publication: false, subscription: false },
    };
  }
  const caught = await catchUp({ publisher: sides.from, subscriber: sides.to, ...options });
  if (!caught.caughtUp) return { frozen, catchUp: caught };
  const sequences = await syncSequences({ ...sides, schemas: migration.schemas, margin: options.margin ?? 1000 });
  const reversed = await reverse(migration, sides);
  return { frozen, catchUp: caught, sequences, reversed };
}
