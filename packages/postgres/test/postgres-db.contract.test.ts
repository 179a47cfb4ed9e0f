import { describeDbPort } from '@switchyard/contract-tests';
import { createPostgresDb, installSupabaseCompat } from '@switchyard/postgres';
import { FaultProxy } from '@switchyard/test-peers';
import { createTestDatabase } from '@switchyard/test-peers/postgres';

// Every call goes through a fault proxy in front of the machine's PostgreSQL, so the contract's
// fault cases (refused, reset, silent, slow, cut, a connection lost inside a transaction) run too.
const TIMEOUT_MS = 1_000;

describeDbPort('PostgresDb', async ({ maxConnections }) => {
  const database = await createTestDatabase({ prepare: installSupabaseCompat });
  const url = new URL(database.connectionString);
  const proxy = await FaultProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
  const port = await createPostgresDb({
    connectionString: proxy.url(database.connectionString),
    max: maxConnections ?? 10,
    connectionTimeoutMs: TIMEOUT_MS,
    queryTimeoutMs: TIMEOUT_MS,
  });
  return {
    port,
    harness: undefined,
    faults: Object.assign(proxy, { timeoutMs: TIMEOUT_MS }),
    teardown: async () => {
      await port.close();
      await proxy.close();
      await database.drop();
    },
  };
});
