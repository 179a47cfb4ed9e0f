import { describePubSubPort } from '@switchyard/contract-tests';
import { FaultProxy } from '@switchyard/test-peers';
import { createPgNotifyPubSub, type PgNotifyPubSub } from '../src/pg-notify.js';

const URL_ = process.env.PG_NOTIFY_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TIMEOUT_MS = 2_000;

// The published contract suite, as an app team runs it for its own adapter: the port under test
// goes through a fault proxy in front of the machine's PostgreSQL; the harness's clients do not.
describePubSubPort('pg-notify (third-party adapter)', async () => {
  const proxy = await FaultProxy.start({ port: Number(new URL(URL_).port || 5432) });
  const port = await createPgNotifyPubSub({ url: proxy.url(URL_), timeoutMs: TIMEOUT_MS });
  // Fails the suite loudly when PostgreSQL is down.
  await port.publish('contract:ping', { ok: true });
  return {
    port,
    harness: {
      connect: () => createPgNotifyPubSub({ url: URL_ }),
      openConnections: async (other) => (other as PgNotifyPubSub).openConnections(),
    },
    faults: Object.assign(proxy, { timeoutMs: TIMEOUT_MS }),
    teardown: async () => {
      await port.close();
      await proxy.close();
    },
  };
});
