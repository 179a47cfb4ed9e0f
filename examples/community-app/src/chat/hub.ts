import type { Json, PubSubPort, Subscription } from '@switchyard/core';

/** Something that receives what is published on the channels it joined: one browser's socket. */
export interface ChatListener {
  deliver(channel: string, data: Json, id: string): void;
}

interface Channel {
  listeners: Set<ChatListener>;
  subscription: Promise<Subscription>;
}

/**
 * One instance's window onto the shared channels: however many sockets join a conversation, the
 * instance holds one PubSubPort subscription for it, and fans each message out to them. Every
 * message reaches every instance through the port, so sockets on different instances share chat.
 */
export class ChatHub {
  private readonly channels = new Map<string, Channel>();

  constructor(
    private readonly pubsub: PubSubPort,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  /** Resolves once the subscription is live, so whatever is published afterwards reaches `listener`. */
  async join(channel: string, listener: ChatListener): Promise<void> {
    let entry = this.channels.get(channel);
    if (!entry) {
      const listeners = new Set<ChatListener>();
      const subscription = this.pubsub.subscribe(channel, (message) => {
        for (const each of listeners) each.deliver(channel, message.data, message.id);
      });
      const created: Channel = { listeners, subscription };
      // A failed subscription is forgotten, so the next join tries again.
      subscription.catch(() => {
        if (this.channels.get(channel) === created) this.channels.delete(channel);
      });
      this.channels.set(channel, created);
      entry = created;
    }
    entry.listeners.add(listener);
    try {
      await entry.subscription;
    } catch (error) {
      entry.listeners.delete(listener);
      throw error;
    }
  }

  /** Drops the instance's subscription when its last listener leaves. */
  async leave(channel: string, listener: ChatListener): Promise<void> {
    const entry = this.channels.get(channel);
    if (!entry?.listeners.delete(listener) || entry.listeners.size > 0) return;
    this.channels.delete(channel);
    await this.release(channel, entry);
  }

  /** How many channels this instance is subscribed to (for tests and health checks). */
  get size(): number {
    return this.channels.size;
  }

  async close(): Promise<void> {
    const entries = [...this.channels];
    this.channels.clear();
    await Promise.all(entries.map(([channel, entry]) => this.release(channel, entry)));
  }

  private async release(channel: string, entry: Channel): Promise<void> {
    try {
      await (await entry.subscription).unsubscribe();
    } catch (error) {
      this.log(`could not unsubscribe from ${channel}`, error);
    }
  }
}
