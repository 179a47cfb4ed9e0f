import type { Message } from '@switchyard/core/adapter';
import { createLocalPubSub, LocalBroker } from '@switchyard/local';
import { describe, expect, it } from 'vitest';

describe('LocalPubSub', () => {
  it('gives each subscriber its own copy of the data', async () => {
    const pubsub = await createLocalPubSub();
    const seen: Message[] = [];
    await pubsub.subscribe('copy', (message) => {
      (message.data as { n: number }).n = 99;
      seen.push(message);
    });
    const other: Message[] = [];
    await pubsub.subscribe('copy', (message) => {
      other.push(message);
    });
    const data = { n: 1 };
    await pubsub.publish('copy', data);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(data.n).toBe(1);
    expect(other[0]?.data).toEqual({ n: 1 });
    await pubsub.close();
  });

  it('keeps instances on separate brokers apart', async () => {
    const a = await createLocalPubSub({ broker: new LocalBroker() });
    const b = await createLocalPubSub({ broker: new LocalBroker() });
    const heard: Message[] = [];
    await b.subscribe('x', (m) => {
      heard.push(m);
    });
    await a.publish('x', 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heard).toEqual([]);
    await a.close();
    await b.close();
  });
});
