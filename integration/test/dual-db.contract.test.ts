import { describeDbPort } from '@switchyard/contract-tests';
import { DualDb } from '@switchyard/core';
import { createLocalDb } from '@switchyard/local';
import { createPostgresDb, installSupabaseCompat } from '@switchyard/postgres';
import { createTestDatabase } from '@switchyard/test-peers/postgres';

// Every read-only query is mirrored (sampleRate 1): the shadow lacks the suite's tables, so each
// mirror fails there, which must never reach the caller.
describeDbPort('DualDb (local + local, compare every read)', async () => {
  const port = new DualDb({ primary: await createLocalDb(), shadow: await createLocalDb(), reads: 'compare', sampleRate: 1 });
  return { port, harness: undefined, teardown: () => port.close() };
});

describeDbPort('DualDb (PostgreSQL + local PGlite, compare every read)', async ({ maxConnections }) => {
  const database = await createTestDatabase({ prepare: installSupabaseCompat });
  const primary = await createPostgresDb({
    connectionString: database.connectionString,
    ...(maxConnections ? { max: maxConnections } : {}),
  });
  const port = new DualDb({ primary, shadow: await createLocalDb(), reads: 'compare', sampleRate: 1 });
  return {
    port,
    harness: undefined,
    teardown: async () => {
      await port.close();
      await database.drop();
    },
  };
});
