import { inspect } from 'node:util';
import { SwitchyardError } from '@switchyard/core/adapter';
import { FaultProxy } from '@switchyard/test-peers';
import { eventually, REDIS_URL, randomPrefix } from '@switchyard/test-peers/redis';
import * as ioredis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisPubSub, type RedisPubSub } from '../src/redis/index.js';

/** ioredis, recording every client the adapter creates so a test can look at its listeners. */
function trackedIoredis(clients: ioredis.Redis[]) {
  class TrackedRedis extends ioredis.Redis {
    constructor(...args: ConstructorParameters<typeof ioredis.Redis>) {
      super(...args);
      clients.push(this);
    }
  }
  return async () => ({ Redis: TrackedRedis, Cluster: ioredis.Cluster });
}

function listeners(client: ioredis.Redis): number {
  return client.eventNames().reduce((sum, name) => sum + client.listenerCount(name), 0);
}

describe('RedisPubSub during an outage', () => {
  let proxy: FaultProxy;
  const opened: RedisPubSub[] = [];

  beforeAll(async () => {
    proxy = await FaultProxy.start({ port: Number(new URL(REDIS_URL).port || 6379) });
  });

  afterAll(async () => {
    await Promise.all(opened.map((pubsub) => pubsub.close()));
    await proxy?.close();
  });

  it('keeps 2,000 publishes waiting for the connection without adding a listener per call', async () => {
    const clients: ioredis.Redis[] = [];
    const pubsub = await createRedisPubSub(
      { url: proxy.url(REDIS_URL), keyPrefix: randomPrefix(), connectTimeoutMs: 1_000 },
      { importIoredis: trackedIoredis(clients) },
    );
    opened.push(pubsub);
    await pubsub.publish('outage', 'before');
    const [publisher] = clients;
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      await proxy.set('refuse');
      // The connection has dropped and reconnect attempts are refused: calls now wait for it.
      await eventually('the publisher to lose its connection', async () => publisher!.status !== 'ready');
      const before = listeners(publisher!);
      const waiting = Array.from({ length: 2_000 }, (_, i) => pubsub.publish('outage', i).catch((e: unknown) => e));
      // Every call has reached its wait for the connection by now. ioredis itself holds two
      // listeners ('ready', 'close') while a connection attempt is in progress.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(listeners(publisher!)).toBeLessThanOrEqual(before + 2);
      const outcomes = await Promise.all(waiting);
      expect(outcomes.every((e) => SwitchyardError.isInstance(e) && e.code === 'UNAVAILABLE' && e.retryable)).toBe(true);
      expect(listeners(publisher!)).toBeLessThanOrEqual(before + 2);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await proxy.set('pass');
    }
  });

  // The publisher holds a turn's writes until the next tick (Connection.coalesceWrites): a
  // connection that dies with them held, or mid-reply, must not turn a lost publish into a success.
  for (const fault of [{ mode: 'reset' as const }, { mode: 'cut' as const, afterBytes: 40 }]) {
    it(`answers every publish of a batch the connection dropped (${fault.mode}) with delivery or a retryable UNAVAILABLE`, async () => {
      const keyPrefix = randomPrefix();
      const publisher = await createRedisPubSub({ url: proxy.url(REDIS_URL), keyPrefix, connectTimeoutMs: 500, commandTimeoutMs: 500 });
      const subscriber = await createRedisPubSub({ url: REDIS_URL, keyPrefix });
      opened.push(publisher, subscriber);
      const delivered = new Set<number>();
      await subscriber.subscribe('batch', (message) => {
        delivered.add(message.data as number);
      });
      await publisher.publish('batch', -1);
      await eventually('the first message', async () => delivered.has(-1));
      try {
        const outcomes = Array.from({ length: 100 }, (_, i) =>
          publisher.publish('batch', i).then(
            () => 'published' as const,
            (error: unknown) => error,
          ),
        );
        // In the same turn: the writes are still held when the connection goes.
        const faulted = proxy.set(fault.mode, fault);
        const settled = await Promise.all(outcomes);
        await faulted;
        for (const [i, outcome] of settled.entries()) {
          if (outcome === 'published') continue;
          expect(SwitchyardError.isInstance(outcome) && outcome.code === 'UNAVAILABLE' && outcome.retryable, String(outcome)).toBe(true);
          settled[i] = 'failed' as never;
        }
        const published = settled.flatMap((outcome, i) => (outcome === 'published' ? [i] : []));
        await eventually(`${published.length} published messages delivered`, async () => published.every((i) => delivered.has(i)));
      } finally {
        await proxy.set('pass');
      }
      // And the publisher recovers by itself.
      await eventually('a publish after the fault', () =>
        publisher.publish('batch', 1_000).then(
          () => true,
          () => false,
        ),
      );
      await eventually('its delivery', async () => delivered.has(1_000));
    });
  }

  it('never prints the password', async () => {
    const url = new URL(REDIS_URL);
    url.username = 'app';
    url.password = 'sy-secret-redis-password';
    // Nothing listens on port 1: the password never even reaches a server.
    url.port = '1';
    const pubsub = await createRedisPubSub({ url: url.toString(), connectTimeoutMs: 200, onEvent: () => {} });
    opened.push(pubsub);
    const byFields = await createRedisPubSub({
      host: '127.0.0.1',
      port: 1,
      password: 'sy-secret-redis-password',
      connectTimeoutMs: 200,
      presence: { ttlSeconds: 5 },
    });
    opened.push(byFields);
    for (const port of [pubsub, byFields, byFields.presence!]) {
      if ('subscribe' in port) await port.subscribe('printing', () => {}).catch(() => undefined);
      const printed = [inspect(port, { depth: 10, showHidden: true }), JSON.stringify(port), String(port)].join('\n');
      expect(printed).not.toContain('sy-secret-redis-password');
      expect(printed).toContain('127.0.0.1');
    }
  });
});
