import type { Message } from '@switchyard/core/adapter';
import { createLocalPubSub } from '@switchyard/local';
import { describe, expect, it } from 'vitest';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('LocalPubSub delivery', () => {
  it('delivers in publish order to each handler, sync or async, whatever each one takes', async () => {
    const pubsub = await createLocalPubSub();
    const syncSeen: number[] = [];
    const asyncSeen: number[] = [];
    await pubsub.subscribe<number>('order', (message) => {
      syncSeen.push(message.data);
    });
    await pubsub.subscribe<number>('order', async (message) => {
      // Early messages take longest: a handler that overlapped calls would record them last.
      await new Promise((resolve) => setTimeout(resolve, message.data < 5 ? 5 - message.data : 0));
      asyncSeen.push(message.data);
    });
    for (let n = 0; n < 20; n++) await pubsub.publish('order', n);
    // Until all 20 arrived (a busy machine can take far longer than the handlers' own delays), at most 10 s.
    for (let waited = 0; asyncSeen.length < 20 && waited < 10_000; waited += 20) await settle();
    const expected = Array.from({ length: 20 }, (_, n) => n);
    expect(syncSeen).toEqual(expected);
    expect(asyncSeen).toEqual(expected);
    await pubsub.close();
  });

  it('never calls a handler inside publish', async () => {
    const pubsub = await createLocalPubSub();
    let calls = 0;
    await pubsub.subscribe('later', () => {
      calls++;
    });
    const publishing = pubsub.publish('later', 1);
    expect(calls).toBe(0);
    await publishing;
    await settle();
    expect(calls).toBe(1);
    await pubsub.close();
  });

  it('keeps delivering to a handler after it throws or rejects', async () => {
    const pubsub = await createLocalPubSub();
    const seen: number[] = [];
    await pubsub.subscribe<number>('fails', (message) => {
      seen.push(message.data);
      if (message.data === 1) throw new Error('sync failure');
      if (message.data === 2) return Promise.reject(new Error('async failure'));
    });
    for (const n of [1, 2, 3]) await pubsub.publish('fails', n);
    await settle();
    expect(seen).toEqual([1, 2, 3]);
    await pubsub.close();
  });

  it('gives every subscriber its own data and date, so one handler mutating them changes nothing for another', async () => {
    const pubsub = await createLocalPubSub();
    const first: Message[] = [];
    const second: Message[] = [];
    await pubsub.subscribe('mutate', (message) => {
      const data = message.data as { list: number[]; nested: { n: number } };
      data.list.push(4);
      data.nested.n = 99;
      message.publishedAt.setTime(0);
      first.push(message);
    });
    await pubsub.subscribe('mutate', (message) => {
      second.push(message);
    });
    const data = { list: [1, 2, 3], nested: { n: 1 } };
    const published = await pubsub.publish('mutate', data);
    await settle();
    expect(first[0]?.data).toEqual({ list: [1, 2, 3, 4], nested: { n: 99 } });
    expect(second[0]?.data).toEqual({ list: [1, 2, 3], nested: { n: 1 } });
    expect(second[0]?.publishedAt.getTime()).toBe(published.publishedAt.getTime());
    expect(second[0]?.id).toBe(published.id);
    expect(data).toEqual({ list: [1, 2, 3], nested: { n: 1 } });
    await pubsub.close();
  });
});
