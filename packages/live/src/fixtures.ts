import type { DbFixture, PubSubFixture, StorageFixture } from '@switchyard/contract-tests';
import type { PubSubPort } from '@switchyard/core';
import { sql } from '@switchyard/core';
import { deleteKeys, deleteObjects, dropTables } from './cleanup.js';
import { openDb, openPubSub, openStorage, type TargetOf } from './open.js';

/**
 * The contract fixtures on a live target. Each teardown removes what carries its suite's name prefix,
 * whether the cases passed or not (vitest runs `afterAll` after failures too); the global
 * teardown sweeps the whole live prefix once more.
 */
export async function storageFixture(target: TargetOf<'storage'>, namePrefix: string): Promise<StorageFixture> {
  const port = await openStorage(target);
  return {
    port,
    harness: undefined,
    teardown: async () => {
      try {
        await deleteObjects(port, namePrefix);
      } finally {
        await port.close();
      }
    },
  };
}

export async function dbFixture(target: TargetOf<'db'>, namePrefix: string, maxConnections?: number): Promise<DbFixture> {
  const port = await openDb(target, maxConnections);
  const compat = await port.one<{ ok: boolean }>(sql`select to_regprocedure('auth.uid()') is not null as ok`);
  if (!compat.ok) {
    await port.close();
    throw new Error(
      `${target.name}: the database has no auth.uid(); apply the Supabase compatibility SQL first (SUPABASE_COMPAT_SQL, or installSupabaseCompat from @switchyard/postgres).`,
    );
  }
  return {
    port,
    harness: undefined,
    teardown: async () => {
      try {
        // The single-connection pool of the claim-leak case shares the tables of the main one.
        if (maxConnections === undefined) await dropTables(port, namePrefix);
      } finally {
        await port.close();
      }
    },
  };
}

export async function pubSubFixture(target: TargetOf<'pubsub'>, namePrefix: string): Promise<PubSubFixture> {
  const port = await openPubSub(target);
  return {
    port,
    harness: {
      connect: (): Promise<PubSubPort> => openPubSub(target),
      openConnections: async (other) => (other as Awaited<ReturnType<typeof openPubSub>>).openConnections(),
    },
    teardown: async () => {
      try {
        await port.close();
      } finally {
        await deleteKeys(target.options.url, target.options.keyPrefix, namePrefix);
      }
    },
  };
}
