import { createRdsDb } from '@switchyard/aws/rds';
import { describeDbPort } from '@switchyard/contract-tests';
import { installSupabaseCompat } from '@switchyard/postgres';
import { FaultProxy } from '@switchyard/test-peers';
import { createTestDatabase } from '@switchyard/test-peers/postgres';

const TIMEOUT_MS = 1_000;

// Supabase RLS policies (auth.uid()) running unchanged on a plain PostgreSQL through the RDS
// adapter, configured as in production from a Secrets Manager secret (fetched by a stub here; the
// real client against moto is in rds-secret.peers.test.ts). Every connection goes through a fault
// proxy, so the contract's fault cases run too.
describeDbPort('RdsDb', async ({ maxConnections }) => {
  const database = await createTestDatabase({ prepare: installSupabaseCompat });
  const url = new URL(database.connectionString);
  const proxy = await FaultProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
  const port = await createRdsDb({
    host: '127.0.0.1',
    port: proxy.port,
    database: url.pathname.slice(1),
    auth: {
      type: 'secret',
      secretId: 'app/db',
      region: 'us-east-1',
      fetchSecret: async () => JSON.stringify({ username: 'postgres', password: 'unused' }),
    },
    ssl: false,
    max: maxConnections ?? 10,
    connectionTimeoutMs: TIMEOUT_MS,
    queryTimeoutMs: TIMEOUT_MS,
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
});
