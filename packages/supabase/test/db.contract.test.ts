import { describeDbPort } from '@switchyard/contract-tests';
import { createSupabaseDb } from '../src/db/index.js';
import { createTestDatabase } from './db-test-database.js';

describeDbPort('SupabaseDb (direct)', async ({ maxConnections }) => {
  const database = await createTestDatabase();
  const port = await createSupabaseDb({ connectionString: database.connectionString, maxConnections: maxConnections ?? 10 });
  return {
    port,
    harness: undefined,
    teardown: async () => {
      await port.close();
      await database.drop();
    },
  };
});

// The same contract with the settings used behind Supavisor's transaction mode.
describeDbPort('SupabaseDb (transaction-pooler)', async ({ maxConnections }) => {
  const database = await createTestDatabase();
  const port = await createSupabaseDb({
    connectionString: database.connectionString,
    mode: 'transaction-pooler',
    maxConnections: maxConnections ?? 5,
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
