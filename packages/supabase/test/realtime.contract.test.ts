import { describePubSubPort } from '@switchyard/contract-tests';
import { FaultProxy } from '@switchyard/test-peers';
import { startRealtime } from './realtime-fixture.js';

const TIMEOUT_MS = 1_000;

// The real supabase-js Realtime client against the fake Realtime server (@switchyard/test-peers/supabase).
// The port under test reaches it (socket and REST) through a fault proxy, so the contract's fault
// and resume cases run too; the harness's other clients connect directly.
describePubSubPort('SupabaseRealtime', async () => {
  const fixture = await startRealtime();
  const proxy = await FaultProxy.start({ port: Number(new URL(fixture.fake.url).port) });
  const port = await fixture.connect({ url: proxy.url(fixture.fake.url), timeoutMs: TIMEOUT_MS });
  return {
    port,
    harness: fixture.harness,
    faults: Object.assign(proxy, { timeoutMs: TIMEOUT_MS }),
    teardown: async () => {
      await fixture.teardown();
      await proxy.close();
    },
  };
});
