import type { Json, Message, MessageHandler } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../src/redis/envelope.js';
import { SubscriptionRegistry } from '../src/redis/subscriptions.js';

const PREFIX = 'p:';

/** A registry whose Redis side always confirms at once, and a way to feed it messages. */
function registry() {
  const reg = new SubscriptionRegistry({ subscribe: async () => undefined, unsubscribe: async () => undefined }, PREFIX);
  let seq = 0;
  return {
    add: (handler: MessageHandler) => reg.add('channel', `${PREFIX}room`, handler),
    send: (data: Json) => reg.dispatch('channel', `${PREFIX}room`, `${PREFIX}room`, encodeEnvelope(`m${++seq}`, 1, JSON.stringify(data))),
  };
}

/** Lets every queued promise reaction run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SubscriptionRegistry delivery', () => {
  it('calls an idle handler during the dispatch itself', async () => {
    const { add, send } = registry();
    const seen: Json[] = [];
    await add((message) => {
      seen.push(message.data);
    });
    send(1);
    send(2);
    expect(seen).toEqual([1, 2]);
  });

  it('holds later messages back while an async call runs, then delivers them in order', async () => {
    const { add, send } = registry();
    const seen: Json[] = [];
    const gates: (() => void)[] = [];
    // Odd messages finish at once, even ones wait for their gate: a handler mixing both.
    await add((message) => {
      seen.push(`start ${message.data}`);
      if ((message.data as number) % 2 === 1) return;
      return new Promise<void>((resolve) => gates.push(resolve)).then(() => {
        seen.push(`end ${message.data}`);
      });
    });
    for (let i = 0; i < 5; i++) send(i);
    expect(seen).toEqual(['start 0']);
    gates.shift()!();
    await settle();
    expect(seen).toEqual(['start 0', 'end 0', 'start 1', 'start 2']);
    gates.shift()!();
    await settle();
    gates.shift()!();
    await settle();
    expect(seen).toEqual(['start 0', 'end 0', 'start 1', 'start 2', 'end 2', 'start 3', 'start 4', 'end 4']);
    send(5);
    expect(seen.at(-1)).toBe('start 5');
  });

  it('isolates handlers that throw, reject or return a broken thenable, keeping each one in order', async () => {
    const { add, send } = registry();
    const healthy: Json[] = [];
    const failing: Json[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await add((message) => {
        failing.push(message.data);
        const n = message.data as number;
        if (n % 3 === 0) throw new Error('sync bug');
        if (n % 3 === 1) return Promise.reject(new Error('async bug'));
        return {
          // biome-ignore lint/suspicious/noThenProperty: a deliberately broken thenable, as a careless handler could return.
          then() {
            throw new Error('broken thenable');
          },
        } as unknown as Promise<void>;
      });
      await add(async (message) => {
        healthy.push(message.data);
      });
      for (let i = 0; i < 7; i++) send(i);
      await settle();
      expect(failing).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(healthy).toEqual([0, 1, 2, 3, 4, 5, 6]);
      await settle();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('drops the messages still held for a handler once it unsubscribes', async () => {
    const { add, send } = registry();
    const seen: Json[] = [];
    let release = () => {};
    const subscription = await add((message: Message) => {
      seen.push(message.data);
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    send(1);
    send(2);
    await subscription.unsubscribe();
    release();
    await settle();
    send(3);
    expect(seen).toEqual([1]);
  });

  it('does not hand the message being dispatched to a handler added during that dispatch', async () => {
    const { add, send } = registry();
    const late: Json[] = [];
    let added: Promise<unknown> | undefined;
    await add(() => {
      added ??= add((message) => {
        late.push(message.data);
      });
    });
    send('first');
    await added;
    send('second');
    expect(late).toEqual(['second']);
  });
});
