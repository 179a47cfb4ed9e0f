import type { PubSubPort } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { itWhen } from '../capability.js';
import { expectSwitchyardError } from '../expect-error.js';
import type { PubSubHarness } from '../fixtures.js';
import { randomId, sleep } from '../random.js';
import { Collector } from './collector.js';

// After a barrier message arrives, give a stray delivery this long to show up before asserting it did not.
const GRACE_MS = 200;

export function pubSubCases(port: () => PubSubPort, harness: () => PubSubHarness, others: PubSubPort[], namePrefix: string): void {
  const connect = async () => {
    const other = await harness().connect();
    others.push(other);
    return other;
  };

  describe('publish and subscribe', () => {
    it('reaches every subscriber, on this and another connection, with id, channel, data and publishedAt', async () => {
      const channel = `${namePrefix}chat:${randomId()}`;
      const other = await connect();
      const collectors = [new Collector(), new Collector(), new Collector()];
      await port().subscribe(channel, collectors[0]!.handler);
      await port().subscribe(channel, collectors[1]!.handler);
      await other.subscribe(channel, collectors[2]!.handler);
      const before = Date.now();
      const sent = await port().publish(channel, { text: 'hello', n: 1, tags: ['a'] });
      expect(sent.id).toBeTruthy();
      for (const collector of collectors) {
        const [message] = await collector.waitFor(1);
        expect(message).toMatchObject({ id: sent.id, channel, data: { text: 'hello', n: 1, tags: ['a'] } });
        expect(message?.publishedAt).toBeInstanceOf(Date);
        expect(message!.publishedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
      }
    });

    it('keeps a caller-chosen id', async () => {
      const channel = `${namePrefix}ids:${randomId()}`;
      const collector = new Collector();
      await port().subscribe(channel, collector.handler);
      const id = `msg-${randomId()}`;
      expect((await port().publish(channel, 'x', { id })).id).toBe(id);
      expect((await collector.waitFor(1))[0]?.id).toBe(id);
    });

    it('does not deliver to other channels', async () => {
      const channel = `${namePrefix}only:${randomId()}`;
      const stray = new Collector();
      const barrier = new Collector();
      await port().subscribe(`${channel}-other`, stray.handler);
      await port().subscribe(channel, barrier.handler);
      await port().publish(channel, 1);
      await barrier.waitFor(1);
      await sleep(GRACE_MS);
      expect(stray.messages).toEqual([]);
    });

    it('stops delivery after unsubscribe, which is idempotent', async () => {
      const channel = `${namePrefix}unsub:${randomId()}`;
      const gone = new Collector();
      const barrier = new Collector();
      const subscription = await port().subscribe(channel, gone.handler);
      await port().subscribe(channel, barrier.handler);
      await port().publish(channel, 'before');
      await gone.waitFor(1);
      await subscription.unsubscribe();
      await subscription.unsubscribe();
      await port().publish(channel, 'after');
      await barrier.waitFor(2);
      await sleep(GRACE_MS);
      expect(gone.messages.map((m) => m.data)).toEqual(['before']);
    });

    it('keeps delivering to others when a handler throws', async () => {
      const channel = `${namePrefix}throws:${randomId()}`;
      const collector = new Collector();
      await port().subscribe(channel, () => {
        throw new Error('handler bug');
      });
      await port().subscribe(channel, collector.handler);
      await port().publish(channel, 1);
      await port().publish(channel, 2);
      expect((await collector.waitFor(2)).map((m) => m.data)).toEqual([1, 2]);
    });

    it('delivers 1,000 messages on one channel complete and in order', async () => {
      const channel = `${namePrefix}burst:${randomId()}`;
      const other = await connect();
      const collector = new Collector<number>();
      await other.subscribe<number>(channel, collector.handler);
      for (let i = 0; i < 1000; i++) await port().publish(channel, i);
      const received = await collector.waitFor(1000, 20_000);
      expect(received.map((m) => m.data)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    }, 30_000);
  });

  describe('patterns', () => {
    itWhen(
      'delivers matching channels to a pattern subscription',
      () => ({ declared: port().capabilities.patternSubscribe, label: 'patternSubscribe' }),
      async () => {
        const id = randomId();
        const room = `${namePrefix}room-${id}`;
        // Holds the room's name, but not at the start: an unanchored pattern would let it through.
        const elsewhere = `${namePrefix}elsewhere-room-${id}:a`;
        const collector = new Collector();
        const barrier = new Collector();
        await port().subscribe({ pattern: `${room}:*` }, collector.handler);
        await port().subscribe(elsewhere, barrier.handler);
        await port().publish(`${room}:a`, 'a');
        await port().publish(`${room}:b`, 'b');
        await port().publish(elsewhere, 'no');
        const received = await collector.waitFor(2);
        await barrier.waitFor(1);
        await sleep(GRACE_MS);
        // Order is promised per channel only, so compare the two channels' messages as a set.
        expect(received.map((m) => [m.channel, m.data]).sort()).toEqual([
          [`${room}:a`, 'a'],
          [`${room}:b`, 'b'],
        ]);
      },
    );

    it('refuses a pattern with UNSUPPORTED when not declared, or an invalid one with INVALID_INPUT', async () => {
      if (port().capabilities.patternSubscribe) {
        await expectSwitchyardError(
          port().subscribe({ pattern: 'bad pattern!' }, () => {}),
          'INVALID_INPUT',
        );
      } else {
        await expectSwitchyardError(
          port().subscribe({ pattern: 'room:*' }, () => {}),
          'UNSUPPORTED',
        );
      }
    });
  });

  describe('input limits', () => {
    it('refuses an over-size payload with INVALID_INPUT and accepts one at the limit', async () => {
      const max = port().capabilities.maxPayloadBytes;
      const channel = `${namePrefix}size:${randomId()}`;
      await expectSwitchyardError(port().publish(channel, 'x'.repeat(max)), 'INVALID_INPUT');
      const collector = new Collector();
      await port().subscribe(channel, collector.handler);
      await port().publish(channel, 'y'.repeat(max - 2));
      const [message] = await collector.waitFor(1);
      expect(String(message?.data).length).toBe(max - 2);
    });

    it('refuses invalid channel names and non-JSON data', async () => {
      await expectSwitchyardError(port().publish('', 1), 'INVALID_INPUT');
      await expectSwitchyardError(port().publish('has space', 1), 'INVALID_INPUT');
      await expectSwitchyardError(
        port().subscribe('wild*', () => {}),
        'INVALID_INPUT',
      );
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      await expectSwitchyardError(port().publish('ok', cyclic as never), 'INVALID_INPUT');
    });
  });

  describe('close', () => {
    it('releases every connection and refuses later calls with UNAVAILABLE', async () => {
      const other = await connect();
      await other.subscribe(`${namePrefix}close:${randomId()}`, () => {});
      await other.subscribe(`${namePrefix}close:${randomId()}`, () => {});
      await other.publish(`${namePrefix}close:${randomId()}`, 1);
      expect(await harness().openConnections(other)).toBeGreaterThan(0);
      await other.close();
      expect(await harness().openConnections(other)).toBe(0);
      await expectSwitchyardError(other.publish('after-close', 1), 'UNAVAILABLE');
      await other.close();
    });
  });
}
