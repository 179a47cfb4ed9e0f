import type { Json, Message, MessageHandler, Subscription } from '@switchyard/core/adapter/pubsub';
import { decodeEnvelope } from './envelope.js';

/** `channel` = SUBSCRIBE, `pattern` = PSUBSCRIBE, `shard` = SSUBSCRIBE (sharded pub/sub). */
export type Kind = 'channel' | 'pattern' | 'shard';

/** The Redis side of the registry: issue (or drop) one subscription, resolving once Redis confirms. */
export interface SubscriptionCommands {
  subscribe(kind: Kind, name: string): Promise<void>;
  unsubscribe(kind: Kind, name: string): Promise<void>;
}

/**
 * One handler. Its messages run one after another, so an async handler sees them in order. An idle
 * handler is called at once, inside the dispatch: no promise per message, which matters with many
 * handlers on a busy channel. Only while a call it returned a promise for is still running do the
 * next messages wait in a backlog.
 */
export class Slot {
  active = true;
  /** Messages waiting for the handler's pending async call; undefined while the handler is idle. */
  private backlog: Message[] | undefined;
  private next = 0;

  constructor(private readonly handler: MessageHandler) {}

  deliver(message: Message): void {
    if (this.backlog) this.backlog.push(message);
    else if (this.active) this.run(message);
  }

  /** Calls the handler; true when it returned a promise that the next message has to wait for. */
  private run(message: Message): boolean {
    // A handler that throws or rejects loses only its own message: the order goes on, other
    // handlers are untouched, and nothing reaches the process's unhandledRejection.
    let result: unknown;
    try {
      result = this.handler(message);
      if (typeof (result as PromiseLike<unknown> | null | undefined)?.then !== 'function') return false;
    } catch {
      return false;
    }
    this.backlog ??= [];
    // Promise.resolve adopts any thenable safely, even one whose `then` throws.
    Promise.resolve(result).then(this.drain, this.drain);
    return true;
  }

  private readonly drain = (): void => {
    const backlog = this.backlog!;
    while (this.next < backlog.length) {
      const message = backlog[this.next]!;
      backlog[this.next++] = undefined as unknown as Message;
      if (this.active && this.run(message)) {
        // A handler that stays behind must not keep every message it has already seen.
        if (this.next >= 1024 && this.next * 2 >= backlog.length) {
          backlog.splice(0, this.next);
          this.next = 0;
        }
        return;
      }
    }
    this.backlog = undefined;
    this.next = 0;
  };
}

/** One Redis subscription, shared by every handler of the same channel or pattern. */
interface Entry {
  kind: Kind;
  name: string;
  /** Replaced, never changed in place, so a dispatch goes on over the handlers it started with. */
  slots: readonly Slot[];
  confirmed: Promise<void>;
}

/**
 * The adapter's source of truth for what the subscriber connection should be subscribed to.
 * Handlers on one channel share one Redis subscription (reference counted); the last unsubscribe
 * drops it; `replay()` restores all of them on a new connection.
 */
export class SubscriptionRegistry {
  private readonly entries = new Map<string, Entry>();
  /** Messages on our channels that were not Switchyard envelopes (another publisher); dropped. */
  dropped = 0;

  constructor(
    private readonly commands: SubscriptionCommands,
    private readonly keyPrefix: string,
  ) {}

  /** Adds a handler and resolves once Redis has confirmed the (possibly shared) subscription. */
  async add(kind: Kind, name: string, handler: MessageHandler): Promise<Subscription> {
    const key = `${kind}:${name}`;
    const entry = this.entries.get(key) ?? this.open(key, kind, name);
    const slot = new Slot(handler);
    entry.slots = [...entry.slots, slot];
    const remove = async () => {
      if (!slot.active) return;
      slot.active = false;
      await this.release(key, entry, slot);
    };
    try {
      await entry.confirmed;
    } catch (error) {
      await remove();
      throw error;
    }
    return { unsubscribe: remove };
  }

  private open(key: string, kind: Kind, name: string): Entry {
    const entry: Entry = { kind, name, slots: [], confirmed: this.commands.subscribe(kind, name) };
    // A refused subscription leaves the registry at once, so the next subscribe() tries afresh
    // instead of joining a promise that already failed.
    entry.confirmed.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.entries.set(key, entry);
    return entry;
  }

  private async release(key: string, entry: Entry, slot: Slot): Promise<void> {
    entry.slots = entry.slots.filter((other) => other !== slot);
    if (entry.slots.length > 0 || this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    // Delivery has already stopped locally. If Redis cannot be told now (connection down), the
    // next connection simply does not subscribe again, since replay() reads this registry; until
    // then a stray message finds no entry and is ignored. So the error is not the caller's concern.
    await this.commands.unsubscribe(entry.kind, entry.name).catch(() => undefined);
  }

  /** Hands a Redis message to every handler of the subscription it arrived on. */
  dispatch(kind: Kind, name: string, redisChannel: string, raw: string): void {
    const entry = this.entries.get(`${kind}:${name}`);
    if (!entry || entry.slots.length === 0) return;
    const envelope = decodeEnvelope(raw);
    if (!envelope || !redisChannel.startsWith(this.keyPrefix)) {
      this.dropped++;
      return;
    }
    const message: Message<Json> = {
      id: envelope.id,
      channel: redisChannel.slice(this.keyPrefix.length),
      data: envelope.data,
      publishedAt: new Date(envelope.publishedAt),
    };
    for (const slot of entry.slots) slot.deliver(message);
  }

  /** Subscribes a fresh connection to everything still wanted. Failures wait for the next reconnect. */
  replay(): void {
    for (const entry of this.entries.values()) {
      this.commands.subscribe(entry.kind, entry.name).catch(() => undefined);
    }
  }

  /** Number of distinct Redis subscriptions. */
  get size(): number {
    return this.entries.size;
  }

  /** Stops every handler (close()). */
  clear(): void {
    for (const entry of this.entries.values()) for (const slot of entry.slots) slot.active = false;
    this.entries.clear();
  }
}
