import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import type { Json, Message, OperationEvent, SwitchyardEvent } from '@switchyard/core/adapter';
import { adminClient, eventually, REDIS_URL, randomPrefix } from '@switchyard/test-peers/redis';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedisPubSub, type RedisPubSub, type RedisPubSubOptions } from '../src/redis/index.js';

const keyPrefix = randomPrefix();
const id = () => randomBytes(4).toString('hex');

/** Collects messages and waits, boundedly, for a count of them. */
function collector<T extends Json = Json>() {
  const messages: Message<T>[] = [];
  return {
    messages,
    handler: (message: Message<T>) => {
      messages.push(message);
    },
    waitFor: (count: number) => eventually(`${count} messages (got ${messages.length})`, async () => messages.length >= count),
  };
}

/** The `id=` of the client whose `name=` is `name` in CLIENT LIST, if any. */
async function clientId(admin: Redis, name: string): Promise<string | undefined> {
  const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
  const line = list.split('\n').find((l) => l.includes(` name=${name} `));
  return line?.match(/^id=(\d+)/)?.[1];
}

async function numsub(admin: Redis, channel: string): Promise<number> {
  const reply = (await admin.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
  return Number(reply[1]);
}

describe('RedisPubSub', () => {
  let admin: Redis;
  const opened: RedisPubSub[] = [];
  const open = async (options: RedisPubSubOptions = {}) => {
    const pubsub = await createRedisPubSub({ url: REDIS_URL, keyPrefix, ...options });
    opened.push(pubsub);
    return pubsub;
  };

  beforeAll(async () => {
    admin = await adminClient();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((pubsub) => pubsub.close()));
  });
  afterAll(() => {
    admin?.disconnect();
  });

  describe('reconnect', () => {
    it('re-subscribes every channel and pattern after CLIENT KILL of the subscriber connection', async () => {
      const connectionName = `sy-${id()}`;
      const pubsub = await open({ connectionName });
      const channel = `kill:${id()}`;
      const onChannel = collector();
      const onPattern = collector();
      await pubsub.subscribe(channel, onChannel.handler);
      await pubsub.subscribe({ pattern: `${channel}:*` }, onPattern.handler);
      const killed = await clientId(admin, `${connectionName}:sub`);
      expect(killed).toBeDefined();

      await admin.call('CLIENT', 'KILL', 'ID', killed!);
      // ioredis reconnects on its own; the adapter then subscribes the new connection to both.
      await eventually('the subscriber to reconnect with one channel and one pattern', async () => {
        const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
        const line = list.split('\n').find((l) => l.includes(` name=${connectionName}:sub `));
        return line !== undefined && !line.startsWith(`id=${killed} `) && / sub=1 /.test(line) && / psub=1 /.test(line);
      });

      await pubsub.publish(channel, 'after');
      await pubsub.publish(`${channel}:x`, 'after-pattern');
      await onChannel.waitFor(1);
      await onPattern.waitFor(1);
      expect(onChannel.messages.map((m) => m.data)).toEqual(['after']);
      expect(onPattern.messages.map((m) => [m.channel, m.data])).toEqual([[`${channel}:x`, 'after-pattern']]);
      expect(pubsub.openConnections()).toBe(2);
    });

    it('publishes again once a killed publisher connection is back', async () => {
      const connectionName = `sy-${id()}`;
      const pubsub = await open({ connectionName });
      const channel = `kill-pub:${id()}`;
      const received = collector();
      await pubsub.subscribe(channel, received.handler);
      await pubsub.publish(channel, 1);
      await received.waitFor(1);
      const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'normal')) as string;
      const killed = list
        .split('\n')
        .find((l) => l.includes(` name=${connectionName}:pub `))
        ?.match(/^id=(\d+)/)?.[1];
      expect(killed).toBeDefined();
      await admin.call('CLIENT', 'KILL', 'ID', killed!);
      // The publish waits (boundedly) for the reconnect instead of failing on the dead socket.
      await eventually('a publish to succeed after the kill', () =>
        pubsub.publish(channel, 2).then(
          () => true,
          () => false,
        ),
      );
      await received.waitFor(2);
      expect(received.messages.map((m) => m.data)).toContain(2);
    });
  });

  describe('publish', () => {
    it('sends the publishes of one turn of the event loop in one socket write, not one each, and every one arrives in order', async () => {
      const publisher = await open();
      const subscriber = await open();
      const channel = `batch:${id()}`;
      const received = collector<number>();
      await subscriber.subscribe(channel, received.handler);
      await publisher.publish(channel, 0);
      // Every write a socket of this process hands to the OS: one _write per chunk, or one _writev for a batch.
      const single = vi.spyOn(Socket.prototype as unknown as { _write: () => void }, '_write');
      const batch = vi.spyOn(Socket.prototype as unknown as { _writev: () => void }, '_writev');
      try {
        await Promise.all(Array.from({ length: 200 }, (_, i) => publisher.publish(channel, i + 1)));
        expect(single.mock.calls.length + batch.mock.calls.length).toBeLessThanOrEqual(2);
      } finally {
        single.mockRestore();
        batch.mockRestore();
      }
      await received.waitFor(201);
      expect(received.messages.map((message) => message.data)).toEqual(Array.from({ length: 201 }, (_, i) => i));
    });
  });

  describe('subscribe', () => {
    it('shares one Redis subscription between handlers and drops it with the last one', async () => {
      const pubsub = await open();
      const channel = `shared:${id()}`;
      const first = collector();
      const second = collector();
      const a = await pubsub.subscribe(channel, first.handler);
      const b = await pubsub.subscribe(channel, second.handler);
      expect(await numsub(admin, keyPrefix + channel)).toBe(1);

      await a.unsubscribe();
      expect(await numsub(admin, keyPrefix + channel)).toBe(1);
      await pubsub.publish(channel, 'only-second');
      await second.waitFor(1);
      expect(first.messages).toEqual([]);

      await b.unsubscribe();
      await b.unsubscribe();
      expect(await numsub(admin, keyPrefix + channel)).toBe(0);
    });

    it('ignores messages that are not Switchyard envelopes and counts them', async () => {
      const pubsub = await open();
      const channel = `malformed:${id()}`;
      const received = collector();
      await pubsub.subscribe(channel, received.handler);
      await admin.publish(keyPrefix + channel, 'not json');
      await admin.publish(keyPrefix + channel, '{"id":7,"data":1}');
      await admin.publish(keyPrefix + channel, '[1,2]');
      await pubsub.publish(channel, 'valid');
      await received.waitFor(1);
      expect(received.messages.map((m) => m.data)).toEqual(['valid']);
      expect(pubsub.droppedMessages()).toBe(3);
    });

    it('runs an async handler one message at a time, in order, and survives one that rejects', async () => {
      const pubsub = await open();
      const channel = `async:${id()}`;
      const seen: number[] = [];
      await pubsub.subscribe<number>(channel, async (message) => {
        await new Promise((resolve) => setTimeout(resolve, message.data % 2 === 0 ? 20 : 0));
        seen.push(message.data);
      });
      await pubsub.subscribe(channel, async () => {
        throw new Error('handler bug');
      });
      for (let i = 0; i < 6; i++) await pubsub.publish(channel, i);
      await eventually('six messages', async () => seen.length === 6);
      expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('treats glob characters in the key prefix literally in pattern subscriptions', async () => {
      const suffix = id();
      // Unescaped, the pattern `t[ab]-…:room:*` would also match the other app's `ta-…:room:1`.
      const globbed = await open({ keyPrefix: `t[ab]-${suffix}:` });
      const literal = await open({ keyPrefix: `ta-${suffix}:` });
      const received = collector();
      await globbed.subscribe({ pattern: 'room:*' }, received.handler);
      await literal.publish('room:1', 'other app');
      await globbed.publish('room:2', 'mine');
      await received.waitFor(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received.messages.map((m) => m.data)).toEqual(['mine']);
    });
  });

  describe('errors', () => {
    it('fails a publish with UNAVAILABLE (retryable, with the cause) while Redis is unreachable', async () => {
      const pubsub = await open({ url: undefined, host: '127.0.0.1', port: 1, connectTimeoutMs: 300 });
      const error = await expectSwitchyardError(pubsub.publish('down', 1), 'UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
      await expectSwitchyardError(
        pubsub.subscribe('down', () => {}),
        'UNAVAILABLE',
      );
      await pubsub.close();
      expect(pubsub.openConnections()).toBe(0);
    });

    it('fails with CONFIG on wrong credentials', async () => {
      const user = `sy-test-${id()}`;
      await admin.call('ACL', 'SETUSER', user, 'on', '>right-password', '&*', '+@all');
      try {
        const pubsub = await open({ username: user, password: 'wrong-password' });
        const error = await expectSwitchyardError(pubsub.publish('auth', 1), 'CONFIG');
        expect(error.message).not.toContain('wrong-password');
        const allowed = await open({ username: user, password: 'right-password' });
        await allowed.publish('auth', 1);
      } finally {
        await admin.call('ACL', 'DELUSER', user);
      }
    });

    it('fails with FORBIDDEN when the ACL user may not use the channel', async () => {
      const user = `sy-test-${id()}`;
      await admin.call('ACL', 'SETUSER', user, 'on', '>pw', '~*', 'resetchannels', '&elsewhere:*', '+@all');
      try {
        const pubsub = await open({ username: user, password: 'pw' });
        const error = await expectSwitchyardError(pubsub.publish('denied', 1), 'FORBIDDEN');
        expect(error.retryable).toBe(false);
        await expectSwitchyardError(
          pubsub.subscribe('denied', () => {}),
          'FORBIDDEN',
        );
      } finally {
        await admin.call('ACL', 'DELUSER', user);
      }
    });

    it('refuses bad options with CONFIG', async () => {
      await expectSwitchyardError(createRedisPubSub({ url: 'http://localhost' }), 'CONFIG');
      await expectSwitchyardError(createRedisPubSub({ url: REDIS_URL, cluster: { nodes: [{ host: 'a', port: 1 }] } }), 'CONFIG');
      await expectSwitchyardError(createRedisPubSub({ keyPrefix: 'has space' }), 'CONFIG');
      await expectSwitchyardError(createRedisPubSub({ maxPayloadBytes: 0 }), 'CONFIG');
    });

    it.each(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'])('names ioredis when it is not installed (%s)', async (code) => {
      const missing = Object.assign(new Error("Cannot find package 'ioredis'"), { code });
      const error = await expectSwitchyardError(createRedisPubSub({}, { importIoredis: () => Promise.reject(missing) }), 'CONFIG');
      expect(error.message).toContain('npm install ioredis');
      expect(error.cause).toBe(missing);
    });
  });

  describe('close', () => {
    it('is idempotent, ends subscriptions and refuses later calls', async () => {
      const pubsub = await open();
      const channel = `close:${id()}`;
      const subscription = await pubsub.subscribe(channel, () => {});
      await Promise.all([pubsub.close(), pubsub.close()]);
      expect(pubsub.openConnections()).toBe(0);
      await eventually('Redis to drop the subscription', async () => (await numsub(admin, keyPrefix + channel)) === 0);
      await subscription.unsubscribe();
      await expectSwitchyardError(
        pubsub.subscribe(channel, () => {}),
        'UNAVAILABLE',
      );
    });
  });

  describe('onEvent', () => {
    it('reports each call and keeps the extra methods reachable', async () => {
      const events: SwitchyardEvent[] = [];
      const pubsub = await open({ onEvent: (event) => events.push(event) });
      await pubsub.publish(`events:${id()}`, 1);
      await expectSwitchyardError(pubsub.publish('bad channel', 1), 'INVALID_INPUT');
      expect(pubsub.openConnections()).toBe(1);
      const operations = events.filter((e): e is OperationEvent => e.type === 'operation' && e.operation === 'publish');
      expect(operations.map((e) => [e.port, e.provider, e.error?.code])).toEqual([
        ['pubsub', 'aws', undefined],
        ['pubsub', 'aws', 'INVALID_INPUT'],
      ]);
    });
  });
});
