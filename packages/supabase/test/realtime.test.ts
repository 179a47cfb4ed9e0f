import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { createClient } from '@supabase/supabase-js';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import type { Message, OperationEvent, SwitchyardEvent } from '@switchyard/core/adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupabaseRealtime } from '../src/realtime/index.js';
import { type RealtimeFixture, startRealtime } from './realtime-fixture.js';

/** Calls `probe` every 200 ms until `done()` holds; a dropped message in between is expected (at-most-once). */
async function eventually(probe: () => Promise<unknown>, done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await probe();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('SupabaseRealtime', () => {
  let fixture: RealtimeFixture;

  beforeAll(async () => {
    fixture = await startRealtime();
  });

  afterAll(async () => {
    await fixture?.teardown();
  });

  describe('reconnect', () => {
    it('rejoins its channels after the server drops the socket', async () => {
      const subscriber = await fixture.connect();
      const publisher = await fixture.connect();
      const channel = `drop-${randomUUID()}`;
      const received: Message[] = [];
      await subscriber.subscribe(channel, (message) => {
        received.push(message);
      });
      const key = fixture.keyOf(subscriber);
      expect(fixture.fake.dropSockets(key)).toBe(1);
      expect(fixture.fake.openSockets(key)).toBe(0);
      await eventually(
        () => publisher.publish(channel, 'after drop'),
        () => received.length > 0,
      );
      expect(received[0]).toMatchObject({ channel, data: 'after drop' });
      expect(fixture.fake.openSockets(key)).toBe(1);
      // The rejoined channel also publishes over the socket again.
      const before = fixture.fake.received.socket;
      await eventually(
        () => subscriber.publish(channel, 'own'),
        () => fixture.fake.received.socket > before && received.some((m) => m.data === 'own'),
      );
    }, 30_000);

    it('joins again when the server closes the channel', async () => {
      const subscriber = await fixture.connect();
      const publisher = await fixture.connect();
      const channel = `closed-${randomUUID()}`;
      const received: Message[] = [];
      await subscriber.subscribe(channel, (message) => {
        received.push(message);
      });
      fixture.fake.closeChannel(channel);
      await eventually(
        () => publisher.publish(channel, 'after close'),
        () => received.length > 0,
      );
      expect(received[0]?.data).toBe('after close');
    }, 30_000);
  });

  describe('publish', () => {
    it('uses the REST endpoint when not subscribed, without opening a socket', async () => {
      const publisher = await fixture.connect();
      const subscriber = await fixture.connect();
      const channel = `rest-${randomUUID()}`;
      const received: Message[] = [];
      await subscriber.subscribe(channel, (message) => {
        received.push(message);
      });
      const { rest, socket } = fixture.fake.received;
      const sent = await publisher.publish(channel, { n: 1 }, { id: 'rest-1' });
      expect(fixture.fake.received).toEqual({ rest: rest + 1, socket });
      expect(fixture.fake.openSockets(fixture.keyOf(publisher))).toBe(0);
      await eventually(
        async () => undefined,
        () => received.length === 1,
        5_000,
      );
      expect(received[0]).toEqual({ id: 'rest-1', channel, data: { n: 1 }, publishedAt: sent.publishedAt });
    });

    it('uses the joined channel when subscribed', async () => {
      const port = await fixture.connect();
      const channel = `socket-${randomUUID()}`;
      const received: Message[] = [];
      await port.subscribe(channel, (message) => {
        received.push(message);
      });
      const { rest, socket } = fixture.fake.received;
      await port.publish(channel, 'over the socket');
      expect(fixture.fake.received).toEqual({ rest, socket: socket + 1 });
      await eventually(
        async () => undefined,
        () => received.length === 1,
        5_000,
      );
    });

    it('refuses data over maxPayloadBytes with INVALID_INPUT before any I/O', async () => {
      const port = await fixture.connect({ maxPayloadBytes: 4096 });
      expect(port.capabilities.maxPayloadBytes).toBe(4096 - 256);
      const channel = `big-${randomUUID()}`;
      const before = { ...fixture.fake.received };
      await expectSwitchyardError(port.publish(channel, 'x'.repeat(4000)), 'INVALID_INPUT');
      expect(fixture.fake.openSockets(fixture.keyOf(port))).toBe(0);
      await port.subscribe(channel, () => {});
      await expectSwitchyardError(port.publish(channel, 'x'.repeat(4000)), 'INVALID_INPUT');
      expect(fixture.fake.received).toEqual(before);
    });

    it('maps the REST rate limit to RATE_LIMITED and a refused key to CONFIG', async () => {
      const port = await fixture.connect();
      fixture.fake.failNextRest(429);
      const limited = await expectSwitchyardError(port.publish(`limited-${randomUUID()}`, 1), 'RATE_LIMITED');
      expect(limited).toMatchObject({ retryable: true, provider: 'supabase', port: 'pubsub', operation: 'publish' });
      const stranger = await createSupabaseRealtime({ url: fixture.fake.url, key: 'not-a-project-key' });
      try {
        const refused = await expectSwitchyardError(stranger.publish('anything', 1), 'CONFIG');
        expect(refused.message).not.toContain('not-a-project-key');
      } finally {
        await stranger.close();
      }
    });
  });

  describe('interoperability with supabase-js code', () => {
    it('exchanges broadcasts with a plain supabase-js channel on the same event', async () => {
      const port = await fixture.connect();
      const key = fixture.fake.newKey();
      const app = createClient(fixture.fake.url, key, { accessToken: async () => key, realtime: { logger: () => undefined } });
      const topic = `app-${randomUUID()}`;
      const fromPort: unknown[] = [];
      const appChannel = app.channel(topic, { config: { broadcast: { self: false, ack: true } } });
      appChannel.on('broadcast', { event: 'message' }, ({ payload }) => fromPort.push(payload));
      await new Promise<void>((resolve, reject) =>
        appChannel.subscribe((status) => (status === 'SUBSCRIBED' ? resolve() : status !== 'CLOSED' && reject(new Error(status)))),
      );
      try {
        const fromApp: Message[] = [];
        await port.subscribe(topic, (message) => {
          fromApp.push(message);
        });
        const sent = await port.publish(topic, { hello: 'app' });
        await eventually(
          async () => undefined,
          () => fromPort.length === 1,
          5_000,
        );
        expect(fromPort[0]).toEqual({ id: sent.id, publishedAt: sent.publishedAt.getTime(), data: { hello: 'app' } });
        expect(await appChannel.send({ type: 'broadcast', event: 'message', payload: { hello: 'port' } })).toBe('ok');
        await eventually(
          async () => undefined,
          () => fromApp.some((m) => JSON.stringify(m.data) === '{"hello":"port"}'),
          5_000,
        );
      } finally {
        await app.removeAllChannels();
      }
    });
  });

  describe('configuration and events', () => {
    it('lists every problem in one CONFIG error', async () => {
      const error = await expectSwitchyardError(createSupabaseRealtime({ url: 'ftp://x', key: '', maxPayloadBytes: 10 }), 'CONFIG');
      expect((error.details as { problems: string[] }).problems).toHaveLength(3);
    });

    it('never prints the key, which the socket and the REST headers carry', async () => {
      const key = fixture.fake.newKey();
      const port = await createSupabaseRealtime({ url: fixture.fake.url, key, timeoutMs: 5_000, onEvent: () => {} });
      try {
        await port.subscribe(`print-${randomUUID()}`, () => {});
        await port.publish(`print-${randomUUID()}`, 'rest');
        const printed = [inspect(port, { depth: 10, showHidden: true }), JSON.stringify(port), String(port)].join('\n');
        expect(printed).not.toContain(key);
        expect(printed).toContain(fixture.fake.url);
      } finally {
        await port.close();
      }
    });

    it('reports each call to onEvent (close is not an operation the front layer reports)', async () => {
      const events: SwitchyardEvent[] = [];
      const key = fixture.fake.newKey();
      const port = await createSupabaseRealtime({ url: fixture.fake.url, key, onEvent: (event) => events.push(event) });
      try {
        await port.publish(`events-${randomUUID()}`, 1);
        await port.subscribe({ pattern: 'a*' }, () => {}).catch(() => undefined);
      } finally {
        await port.close();
      }
      const operations = events.map((event) => [(event as OperationEvent).operation, (event as OperationEvent).error?.code]);
      expect(operations).toEqual([
        ['publish', undefined],
        ['subscribe', 'UNSUPPORTED'],
      ]);
      expect(events[0]).toMatchObject({ type: 'operation', port: 'pubsub', provider: 'supabase' });
    });
  });
});
