import { describePubSubPort } from '@switchyard/contract-tests';
import { createRedisPubSub, type RedisPubSub } from '../src/redis/index.js';
import { adminClient, REDIS_URL, randomPrefix } from './redis-peer.js';

const keyPrefix = randomPrefix();

describePubSubPort('RedisPubSub', async () => {
  // Fails the whole suite, loudly, when the local Redis is down.
  const admin = await adminClient();
  admin.disconnect();
  const connect = () => createRedisPubSub({ url: REDIS_URL, keyPrefix, connectTimeoutMs: 5_000 });
  const port = await connect();
  return {
    port,
    harness: {
      connect,
      openConnections: async (other) => (other as RedisPubSub).openConnections(),
    },
    teardown: () => port.close(),
  };
});
