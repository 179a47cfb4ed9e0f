import { describeDbPort } from '@switchyard/contract-tests';
import { createLocalDb } from '@switchyard/local';

// PGlite is a single session: maxConnections is always 1, which the claim-leak case needs anyway.
describeDbPort('LocalDb (PGlite)', async () => {
  const port = await createLocalDb();
  return { port, harness: undefined, teardown: () => port.close() };
});
