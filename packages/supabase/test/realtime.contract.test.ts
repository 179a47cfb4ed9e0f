import { describePubSubPort } from '@switchyard/contract-tests';
import { startRealtime } from './realtime-fixture.js';

// The real supabase-js Realtime client against the fake Realtime server (test/fakes/realtime-server.ts).
describePubSubPort('SupabaseRealtime', async () => {
  const fixture = await startRealtime();
  const port = await fixture.connect();
  return { port, harness: fixture.harness, teardown: fixture.teardown };
});
