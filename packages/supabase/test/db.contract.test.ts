import { describeDbPort } from '@switchyard/contract-tests';
import { FaultProxy } from '@switchyard/test-peers';
import { createSupabaseDb, type SupabaseDbOptions } from '../src/db/index.js';
import { createTestDatabase } from './db-test-database.js';

const TIMEOUT_MS = 1_000;

/** A fresh database behind a fault proxy, so the contract's fault cases run too. */
async function fixture(options: Omit<SupabaseDbOptions, 'connectionString'>) {
  const database = await createTestDatabase();
  const url = new URL(database.connectionString);
  const proxy = await FaultProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
  const port = await createSupabaseDb({
    connectionString: proxy.url(database.connectionString),
    connectionTimeoutMs: TIMEOUT_MS,
    queryTimeoutMs: TIMEOUT_MS,
    ...options,
  });
  return {
    port,
    harness: undefined,
    // A statement is abandoned after between queryTimeoutMs and 1.25 × that (one watchdog per pool).
    faults: Object.assign(proxy, { timeoutMs: 1.25 * TIMEOUT_MS }),
    teardown: async () => {
      await port.close();
      await proxy.close();
      await database.drop();
    },
  };
}

describeDbPort('SupabaseDb (direct)', ({ maxConnections }) => fixture({ maxConnections: maxConnections ?? 10 }));

// The same contract with the settings used behind Supavisor's transaction mode.
describeDbPort('SupabaseDb (transaction-pooler)', ({ maxConnections }) =>
  fixture({ mode: 'transaction-pooler', maxConnections: maxConnections ?? 5 }),
);
