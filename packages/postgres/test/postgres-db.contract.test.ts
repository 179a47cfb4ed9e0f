import { describeDbPort } from '@switchyard/contract-tests';
import { createPostgresDb } from '@switchyard/postgres';
import { createTestDatabase } from './test-database.js';

describeDbPort('PostgresDb', async ({ maxConnections }) => {
  const database = await createTestDatabase();
  const port = createPostgresDb({ connectionString: database.connectionString, max: maxConnections ?? 10 });
  return {
    port,
    harness: undefined,
    teardown: async () => {
      await port.close();
      await database.drop();
    },
  };
});
