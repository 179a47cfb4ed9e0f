import { describePubSubPort, expectSwitchyardError } from '@switchyard/contract-tests';
import type { Json } from '@switchyard/core/adapter';
import { eventually, randomPrefix } from '@switchyard/test-peers/redis';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisPubSub, type RedisPubSub } from '../src/redis/index.js';
import { onFreePorts, startCluster, type TestCluster } from './redis-servers.js';

const keyPrefix = randomPrefix();
let started: Promise<TestCluster> | undefined;
// One cluster for the whole file, started by whichever suite needs it first.
const cluster = () => {
  started ??= onFreePorts(startCluster);
  return started;
};

afterAll(async () => {
  await (await started)?.stop();
});

for (const sharded of [false, true]) {
  describePubSubPort(`RedisPubSub on a cluster${sharded ? ', sharded' : ''}`, async () => {
    const { nodes } = await cluster();
    const connect = () => createRedisPubSub({ cluster: { nodes, sharded }, keyPrefix });
    const port = await connect();
    return {
      port,
      harness: { connect, openConnections: async (other) => (other as RedisPubSub).openConnections() },
      teardown: () => port.close(),
    };
  });
}

describe('RedisPubSub on a cluster, sharded', () => {
  let test: TestCluster;
  beforeAll(async () => {
    test = await cluster();
  });

  it('subscribes with SSUBSCRIBE on the shard that owns the channel, and has no patterns', async () => {
    const pubsub = await createRedisPubSub({ cluster: { nodes: test.nodes, sharded: true }, keyPrefix });
    try {
      expect(pubsub.capabilities.patternSubscribe).toBe(false);
      await expectSwitchyardError(
        pubsub.subscribe({ pattern: 'a:*' }, () => {}),
        'UNSUPPORTED',
      );
      const channels = ['s:1', 's:2', 's:3', 's:4'];
      for (const channel of channels) await pubsub.subscribe(channel, () => {});
      const shardChannels = async () =>
        (
          await Promise.all(test.clients.map((client) => client.call('PUBSUB', 'SHARDCHANNELS', `${keyPrefix}s:*`) as Promise<string[]>))
        ).flat();
      await eventually('the four shard channels', async () => (await shardChannels()).length === 4);
      expect((await shardChannels()).sort()).toEqual(channels.map((c) => keyPrefix + c));
      const plain = await Promise.all(
        test.clients.map((client) => client.call('PUBSUB', 'CHANNELS', `${keyPrefix}*`) as Promise<string[]>),
      );
      expect(plain.flat()).toEqual([]);
    } finally {
      await pubsub.close();
    }
  });

  it("takes an app's own Cluster client, sharded as that client says, without using the client itself", async () => {
    const client = new Cluster(test.nodes, { lazyConnect: true, shardedSubscribers: true, enableOfflineQueue: true });
    client.on('error', () => undefined);
    const pubsub = await createRedisPubSub({ client, keyPrefix });
    try {
      expect(pubsub.capabilities.patternSubscribe).toBe(false);
      const received: Json[] = [];
      await pubsub.subscribe('from-client', (message) => {
        received.push(message.data);
      });
      await pubsub.publish('from-client', 'sharded');
      await eventually('the sharded message', async () => received.length === 1);
      expect(received).toEqual(['sharded']);
      expect(client.status).toBe('wait');
    } finally {
      await pubsub.close();
      client.disconnect();
    }
  });

  it('keeps presence in one slot per channel', async () => {
    const pubsub = await createRedisPubSub({ cluster: { nodes: test.nodes, sharded: true }, keyPrefix, presence: { ttlSeconds: 30 } });
    try {
      for (const channel of ['p:1', 'p:2', 'p:3']) {
        await pubsub.presence!.join(channel, 'alice', { n: 1 });
        expect((await pubsub.presence!.list(channel)).map((m) => [m.memberId, m.data])).toEqual([['alice', { n: 1 }]]);
      }
    } finally {
      await pubsub.close();
    }
  });

  it('delivers again after every subscriber connection on every node is killed', async () => {
    const nodes = test.nodes;
    for (const sharded of [false, true]) {
      const subscriber = await createRedisPubSub({ cluster: { nodes, sharded }, keyPrefix });
      const publisher = await createRedisPubSub({ cluster: { nodes, sharded }, keyPrefix });
      try {
        const channel = `kill:${sharded}`;
        const received: unknown[] = [];
        await subscriber.subscribe(channel, (message) => {
          received.push(message.data);
        });
        const killed = await Promise.all(test.clients.map((client) => client.call('CLIENT', 'KILL', 'TYPE', 'pubsub') as Promise<number>));
        expect(killed.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
        // Nothing tells us when ioredis has re-subscribed, so publish until one arrives (bounded).
        let sent = 0;
        await eventually(`a message after the kill (sharded: ${sharded})`, async () => {
          await publisher.publish(channel, ++sent).catch(() => undefined);
          return received.length > 0;
        });
      } finally {
        await Promise.all([subscriber.close(), publisher.close()]);
      }
    }
  });

  it('publishes again after a reply that never came, the publisher connections having been reopened', async () => {
    const connectionName = `sy-pause-${Date.now()}`;
    const pubsub = await createRedisPubSub({ cluster: { nodes: test.nodes }, keyPrefix, commandTimeoutMs: 300, connectionName });
    // This port's publisher connections over every node, as node:id: each node numbers its clients
    // from its own counter, so a bare id can name a new connection on another node (seen in CI).
    const publisherIds = async () =>
      (await Promise.all(test.clients.map((client) => client.call('CLIENT', 'LIST') as Promise<string>)))
        .flatMap((list, node) =>
          list
            .split('\n')
            .filter((line) => line.includes(` name=${connectionName}:pub `))
            .map((line) => `${node}:${line.match(/^id=(\d+)/)?.[1]}`),
        )
        .sort();
    try {
      await pubsub.publish('paused', 'ready');
      const before = await publisherIds();
      expect(before.length).toBeGreaterThan(0);
      // Every node holds its clients' commands, connections open, for 1.5 s.
      await Promise.all(test.clients.map((client) => client.call('CLIENT', 'PAUSE', 1_500, 'ALL')));
      const error = await expectSwitchyardError(pubsub.publish('paused', 'unanswered'), 'UNAVAILABLE');
      expect(error.retryable).toBe(true);
      await eventually('a publish to be answered after the pause', () =>
        pubsub.publish('paused', 'answered').then(
          () => true,
          () => false,
        ),
      );
      // Not one of the connections whose replies were in doubt is still in use. The server may list
      // a connection the client already closed for a moment after a pause.
      await eventually('the connections in doubt to be gone from CLIENT LIST', async () =>
        (await publisherIds()).every((id) => !before.includes(id)),
      );
      expect((await publisherIds()).length).toBeGreaterThan(0);
    } finally {
      await pubsub.close();
    }
    expect(pubsub.openConnections()).toBe(0);
  });
});
