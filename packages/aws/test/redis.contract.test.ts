import { describePubSubPort } from '@switchyard/contract-tests';
import { FaultProxy } from '@switchyard/test-peers';
import { adminClient, REDIS_URL, randomPrefix } from '@switchyard/test-peers/redis';
import { createRedisPubSub, type RedisPubSub } from '../src/redis/index.js';

const keyPrefix = randomPrefix();
const CONNECT_TIMEOUT_MS = 1_000;
const COMMAND_TIMEOUT_MS = 500;

// The port under test goes through a fault proxy in front of the machine's Redis, so the contract's
// fault and resume cases run too; the harness's other clients connect directly.
describePubSubPort('RedisPubSub', async () => {
  // Fails the whole suite, loudly, when the local Redis is down.
  const admin = await adminClient();
  admin.disconnect();
  const proxy = await FaultProxy.start({ port: Number(new URL(REDIS_URL).port || 6379) });
  const connect = () => createRedisPubSub({ url: REDIS_URL, keyPrefix, connectTimeoutMs: 5_000 });
  const port = await createRedisPubSub({
    url: proxy.url(REDIS_URL),
    keyPrefix,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
  });
  return {
    port,
    harness: {
      connect,
      openConnections: async (other) => (other as RedisPubSub).openConnections(),
    },
    // A reply is awaited for up to 1.5 × commandTimeoutMs (the watchdog checks every half period).
    faults: Object.assign(proxy, { timeoutMs: Math.max(CONNECT_TIMEOUT_MS, 1.5 * COMMAND_TIMEOUT_MS) }),
    teardown: async () => {
      await port.close();
      await proxy.close();
    },
  };
});
