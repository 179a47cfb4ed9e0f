import { createRedisPubSub, type RedisPubSub } from '@switchyard/aws/redis';
import { describePubSubPort } from '@switchyard/contract-tests';
import { DualPubSub, type PubSubPort } from '@switchyard/core';
import { createLocalPubSub, LocalBroker, type LocalPubSubPort } from '@switchyard/local';
import { adminClient, REDIS_URL, randomPrefix } from '@switchyard/test-peers/redis';

function sides(port: PubSubPort): { primary: PubSubPort; shadow: PubSubPort } {
  return port as DualPubSub;
}

describePubSubPort('DualPubSub (local + local)', async () => {
  const brokers = [new LocalBroker(), new LocalBroker()] as const;
  const connect = async () =>
    new DualPubSub({ primary: await createLocalPubSub({ broker: brokers[0] }), shadow: await createLocalPubSub({ broker: brokers[1] }) });
  const port = await connect();
  return {
    port,
    harness: {
      connect,
      openConnections: async (other) => {
        const { primary, shadow } = sides(other);
        return (primary as LocalPubSubPort).openListeners() + (shadow as LocalPubSubPort).openListeners();
      },
    },
    teardown: () => port.close(),
  };
});

describePubSubPort('DualPubSub (local + Redis)', async () => {
  // Fails the whole suite, loudly, when the local Redis is down.
  (await adminClient()).disconnect();
  const broker = new LocalBroker();
  const keyPrefix = randomPrefix();
  const connect = async () =>
    new DualPubSub({
      primary: await createLocalPubSub({ broker }),
      shadow: await createRedisPubSub({ url: REDIS_URL, keyPrefix, connectTimeoutMs: 5_000 }),
      shadowTimeoutMs: 5_000,
    });
  const port = await connect();
  return {
    port,
    harness: {
      connect,
      openConnections: async (other) => {
        const { primary, shadow } = sides(other);
        return (primary as LocalPubSubPort).openListeners() + (shadow as RedisPubSub).openConnections();
      },
    },
    teardown: () => port.close(),
  };
});
