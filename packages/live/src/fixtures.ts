import type { AuthAdminFixture, DbFixture, PubSubFixture, StorageFixture } from '@switchyard/contract-tests';
import type { PubSubPort } from '@switchyard/core';
import { sql } from '@switchyard/core';
import { deleteKeys, deleteObjects, deleteUsers, dropTables } from './cleanup.js';
import { openAuth, openDb, openRealtime, openRedis, openStorage, type TargetOf } from './open.js';

/**
 * The contract fixtures on a live target. Each teardown removes what carries its suite's name prefix,
 * whether the cases passed or not (vitest runs `afterAll` after failures too); the global
 * teardown sweeps the whole live prefix once more.
 */
export async function storageFixture(target: TargetOf<'storage'>, namePrefix: string): Promise<StorageFixture> {
  const port = await openStorage(target);
  return sweptFixture(port, () => deleteObjects(port, namePrefix));
}

/**
 * The users the admin cases create all have emails starting with `namePrefix` (updated ones too),
 * so deleting those deletes every user the suite created and nothing else.
 */
export async function authFixture(target: TargetOf<'auth'>, namePrefix: string): Promise<AuthAdminFixture> {
  const port = await openAuth(target);
  return sweptFixture(port, () => deleteUsers(port, namePrefix));
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
  // The single-connection pool of the claim-leak case shares the tables of the main one.
  return sweptFixture(port, async () => {
    if (maxConnections === undefined) await dropTables(port, namePrefix);
  });
}

export async function pubSubFixture(target: TargetOf<'pubsub'>, namePrefix: string): Promise<PubSubFixture> {
  if (target.name === 'supabase-realtime') {
    // Broadcasts are not stored: closing every port is all the cleaning there is.
    const counts = new Map<PubSubPort, () => number>();
    const connect = async () => {
      const { port, openSockets } = await openRealtime(target);
      counts.set(port, openSockets);
      return port;
    };
    const port = await connect();
    return {
      port,
      harness: {
        connect,
        openConnections: async (other) => {
          const count = counts.get(other);
          if (!count) throw new Error('this port was not opened by the live fixture, so its sockets are not counted');
          return count();
        },
      },
      teardown: () => port.close(),
    };
  }
  const port = await openRedis(target);
  return {
    port,
    harness: {
      connect: () => openRedis(target),
      openConnections: async (other) => (other as Awaited<ReturnType<typeof openRedis>>).openConnections(),
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

/** A fixture with no harness whose teardown sweeps what its suite left, then closes the port even if the sweep failed. */
function sweptFixture<P extends { close(): Promise<void> }>(port: P, sweep: () => Promise<unknown>) {
  return {
    port,
    harness: undefined,
    teardown: async () => {
      try {
        await sweep();
      } finally {
        await port.close();
      }
    },
  };
}
