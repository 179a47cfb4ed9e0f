import { createRdsDb } from '@switchyard/aws/rds';
import { describeDbPort } from '@switchyard/contract-tests';
import { createTestDatabase } from '../../postgres/test/test-database.js';

// Supabase RLS policies (auth.uid()) running unchanged on a plain PostgreSQL through the RDS
// adapter, configured as in production from a Secrets Manager secret (fetched by a stub here).
describeDbPort('RdsDb', async ({ maxConnections }) => {
  const database = await createTestDatabase();
  const url = new URL(database.connectionString);
  const port = await createRdsDb({
    host: url.hostname,
    port: Number(url.port),
    database: url.pathname.slice(1),
    auth: {
      type: 'secret',
      secretId: 'app/db',
      region: 'us-east-1',
      fetchSecret: async () => JSON.stringify({ username: 'postgres', password: 'unused' }),
    },
    ssl: false,
    max: maxConnections ?? 10,
  });
  return {
    port,
    harness: undefined,
    teardown: async () => {
      await port.close();
      await database.drop();
    },
  };
});
