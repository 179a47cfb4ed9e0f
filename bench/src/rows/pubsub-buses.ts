import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createRedisPubSub } from '@switchyard/aws/redis';
import type { Message, PubSubPort } from '@switchyard/core';
import { createLocalPubSub } from '@switchyard/local';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The message every bus carries: a sequence number plus ~100 bytes, as a small app event would. */
export interface Payload {
  seq: number;
  body: string;
  [key: string]: string | number;
}
export const BODY = 'x'.repeat(100);

/** What the pub/sub bench drives: the port, or a raw client doing the same job. */
export interface Bus {
  /** Adds `count` handlers on one channel; each calls `delivered(seq)` per message. */
  subscribe(count: number, delivered: (seq: number) => void): Promise<void>;
  publish(payload: Payload): Promise<unknown>;
  close(): Promise<void>;
}

export function uniquePrefix(): string {
  return `switchyard-bench:${randomBytes(4).toString('hex')}:`;
}

/** A PubSubPort as a Bus: `count` separate `subscribe` calls on one channel. */
export function portBus(port: PubSubPort, channel: string): Bus {
  const subscriptions: { unsubscribe(): Promise<void> }[] = [];
  return {
    async subscribe(count, delivered) {
      for (let i = 0; i < count; i++) {
        subscriptions.push(await port.subscribe<Payload>(channel, (message) => delivered(message.data.seq)));
      }
    },
    publish: (payload) => port.publish(channel, payload),
    async close() {
      await Promise.all(subscriptions.map((subscription) => subscription.unsubscribe()));
      await port.close();
    },
  };
}

export async function redisPortBus(): Promise<Bus> {
  return portBus(await createRedisPubSub({ url: REDIS_URL, keyPrefix: uniquePrefix() }), 'events');
}

/** Raw ioredis: one publisher and one subscriber connection, JSON.parse once per message, `count` listeners. */
export async function rawRedisBus(): Promise<Bus> {
  const channel = `${uniquePrefix()}events`;
  const publisher = new Redis(REDIS_URL);
  const subscriber = new Redis(REDIS_URL);
  const handlers: ((payload: Payload) => void)[] = [];
  subscriber.on('message', (from: string, raw: string) => {
    if (from !== channel) return;
    const payload = JSON.parse(raw) as Payload;
    for (const handler of handlers) handler(payload);
  });
  return {
    async subscribe(count, delivered) {
      for (let i = 0; i < count; i++) handlers.push((payload) => delivered(payload.seq));
      await subscriber.subscribe(channel);
    },
    publish: (payload) => publisher.publish(channel, JSON.stringify(payload)),
    async close() {
      await Promise.all([publisher.quit(), subscriber.quit()]);
    },
  };
}

export async function localPortBus(): Promise<Bus> {
  return portBus(await createLocalPubSub(), 'events');
}

/** The in-process floor: an EventEmitter that passes the object as is (no copy, no ids, synchronous). */
export function emitterBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async subscribe(count, delivered) {
      for (let i = 0; i < count; i++) emitter.on('events', (payload: Payload) => delivered(payload.seq));
    },
    async publish(payload) {
      emitter.emit('events', payload);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/**
 * Dual-run done by hand over two Redis ports: publish to both at once with one id, subscribe on
 * both and drop the second copy of an id (the last 10,000 ids remembered).
 */
export async function handDualRedisBus(): Promise<Bus> {
  const primary = await createRedisPubSub({ url: REDIS_URL, keyPrefix: uniquePrefix() });
  const shadow = await createRedisPubSub({ url: REDIS_URL, keyPrefix: uniquePrefix() });
  const subscriptions: { unsubscribe(): Promise<void> }[] = [];
  return {
    async subscribe(count, delivered) {
      for (let i = 0; i < count; i++) {
        const seen = new Set<string>();
        const once = (message: Message<Payload>) => {
          if (seen.has(message.id)) return;
          seen.add(message.id);
          if (seen.size > 10_000) seen.delete(seen.values().next().value!);
          delivered(message.data.seq);
        };
        subscriptions.push(await primary.subscribe<Payload>('events', once), await shadow.subscribe<Payload>('events', once));
      }
    },
    publish(payload) {
      const id = randomUUID();
      return Promise.all([primary.publish('events', payload, { id }), shadow.publish('events', payload, { id })]);
    },
    async close() {
      await Promise.all(subscriptions.map((subscription) => subscription.unsubscribe()));
      await Promise.all([primary.close(), shadow.close()]);
    },
  };
}
