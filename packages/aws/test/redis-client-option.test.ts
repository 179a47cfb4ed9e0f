import { randomBytes } from 'node:crypto';
import { describePubSubPort, expectSwitchyardError } from '@switchyard/contract-tests';
import type { Message } from '@switchyard/core/adapter';
import { FaultProxy } from '@switchyard/test-peers';
import { adminClient, eventually, REDIS_URL, randomPrefix } from '@switchyard/test-peers/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisPubSub, type RedisPubSub } from '../src/redis/index.js';

const keyPrefix = randomPrefix();
const id = () => randomBytes(4).toString('hex');

/**
 * An app's own client, configured the way the adapter must NOT run: commands queued while
 * offline, no reconnect, its own key prefix, not connected until asked.
 */
function appClient(url: string): Redis {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: true, retryStrategy: () => null, keyPrefix: 'app:' });
  client.on('error', () => undefined);
  return client;
}

// The whole contract, fault and resume cases included, with `client` as the only connection setting.
describePubSubPort('RedisPubSub from an existing ioredis client', async () => {
  const admin = await adminClient();
  admin.disconnect();
  const proxy = await FaultProxy.start({ port: Number(new URL(REDIS_URL).port || 6379) });
  const direct = appClient(REDIS_URL);
  const proxied = appClient(proxy.url(REDIS_URL));
  const port = await createRedisPubSub({ client: proxied, keyPrefix, connectTimeoutMs: 1_000, commandTimeoutMs: 500 });
  return {
    port,
    harness: {
      connect: () => createRedisPubSub({ client: direct, keyPrefix, connectTimeoutMs: 5_000 }),
      openConnections: async (other) => (other as RedisPubSub).openConnections(),
    },
    faults: Object.assign(proxy, { timeoutMs: 1_000 }),
    teardown: async () => {
      await port.close();
      await proxy.close();
      direct.disconnect();
      proxied.disconnect();
    },
  };
});

describe('RedisPubSub from an existing ioredis client', () => {
  let admin: Redis;
  beforeAll(async () => {
    admin = await adminClient();
  });
  afterAll(() => admin?.disconnect());

  it("opens connections of its own: the app's client is never connected, and stays usable after close()", async () => {
    const client = appClient(REDIS_URL);
    const pubsub = await createRedisPubSub({ client, keyPrefix, connectionName: `sy-${id()}` });
    const received: Message[] = [];
    await pubsub.subscribe('own', (message) => {
      received.push(message);
    });
    await pubsub.publish('own', 'hello');
    await eventually('the message', async () => received.length === 1);
    expect(client.status).toBe('wait');
    await pubsub.close();
    expect(pubsub.openConnections()).toBe(0);
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });

  it("uses the adapter's key prefix and connection names, not the client's", async () => {
    const connectionName = `sy-${id()}`;
    const client = appClient(REDIS_URL);
    const pubsub = await createRedisPubSub({ client, keyPrefix, connectionName });
    try {
      const channel = `prefix:${id()}`;
      await pubsub.subscribe(channel, () => {});
      const channels = (await admin.call('PUBSUB', 'CHANNELS', `*${channel}`)) as string[];
      expect(channels).toEqual([keyPrefix + channel]);
      await pubsub.publish(channel, 1);
      const list = (await admin.call('CLIENT', 'LIST')) as string;
      expect(list).toContain(` name=${connectionName}:pub `);
      expect(list).toContain(` name=${connectionName}:sub `);
    } finally {
      await pubsub.close();
    }
  });

  it("reconnects and re-subscribes after CLIENT KILL although the app's client would not reconnect", async () => {
    const connectionName = `sy-${id()}`;
    const pubsub = await createRedisPubSub({ client: appClient(REDIS_URL), keyPrefix, connectionName });
    try {
      const channel = `kill:${id()}`;
      const received: Message[] = [];
      await pubsub.subscribe(channel, (message) => {
        received.push(message);
      });
      await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub', 'SKIPME', 'yes');
      await eventually('the subscriber to come back subscribed', async () => {
        const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
        return list.split('\n').some((line) => line.includes(` name=${connectionName}:sub `) && / sub=1 /.test(line));
      });
      await pubsub.publish(channel, 'after');
      await eventually('the message after the kill', async () => received.length === 1);
    } finally {
      await pubsub.close();
    }
  });

  it('fails a publish with UNAVAILABLE when the server refuses, instead of queueing it as the client would', async () => {
    const pubsub = await createRedisPubSub({ client: appClient('redis://127.0.0.1:1'), keyPrefix, connectTimeoutMs: 1_000 });
    try {
      const error = await expectSwitchyardError(pubsub.publish('refused', 1), 'UNAVAILABLE');
      expect(error.retryable).toBe(true);
    } finally {
      await pubsub.close();
    }
  }, 5_000);

  it('does not import ioredis itself', async () => {
    const importIoredis = () => Promise.reject(Object.assign(new Error("Cannot find package 'ioredis'"), { code: 'ERR_MODULE_NOT_FOUND' }));
    const pubsub = await createRedisPubSub({ client: appClient(REDIS_URL), keyPrefix }, { importIoredis });
    await pubsub.publish('no-import', 1);
    await pubsub.close();
  });

  it('refuses connection settings beside `client`, and a client that is not ioredis, as CONFIG', async () => {
    const client = appClient(REDIS_URL);
    const both = await expectSwitchyardError(createRedisPubSub({ client, url: REDIS_URL, password: 'x' }), 'CONFIG');
    expect(both.message).toContain('Give either `client` or `url`, `password`');
    const notIoredis = await expectSwitchyardError(createRedisPubSub({ client: {} as never }), 'CONFIG');
    expect(notIoredis.message).toContain('ioredis Redis or Cluster');
  });
});
