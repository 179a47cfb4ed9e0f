import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import type { Message, MessageHandler, Subscription } from '@switchyard/core/adapter/pubsub';
import { toMessage } from './envelope.js';
import { joinError } from './errors.js';
import type { ResolvedRealtimeOptions } from './options.js';

/** One handler. Its messages run one after another, so an async handler sees them in order. */
class Slot {
  active = true;
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly handler: MessageHandler) {}

  deliver(message: Message): void {
    // A handler that throws loses only its own message; others and later messages are untouched.
    this.tail = this.tail.then(() => (this.active ? this.handler(message) : undefined)).catch(() => undefined);
  }
}

/** One joined Realtime channel, shared by every handler of that channel name. */
interface Entry {
  name: string;
  slots: Set<Slot>;
  channel: RealtimeChannel;
  joined: Promise<void>;
  /** Set once this entry is being left on purpose, so its CLOSED status is not treated as a server close. */
  retired: boolean;
}

// After the server closes a channel (phx_close), wait this long before joining it again.
const REJOIN_AFTER_CLOSE_MS = 1_000;

/**
 * The channels this adapter has joined, reference counted per name. realtime-js rejoins them
 * after a dropped socket by itself; a channel the server closes is joined again here.
 */
export class ChannelRegistry {
  private readonly entries = new Map<string, Entry>();
  /** Channels being left; a new join of the same name waits for it, since supabase-js reuses a channel object by name. */
  private readonly leaving = new Map<string, Promise<void>>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly client: SupabaseClient,
    private readonly options: ResolvedRealtimeOptions,
  ) {}

  /** Adds a handler and resolves once the (possibly shared) channel is joined. */
  async add(name: string, handler: MessageHandler): Promise<Subscription> {
    await this.leaving.get(name);
    const entry = this.entries.get(name) ?? this.open(name);
    const slot = new Slot(handler);
    entry.slots.add(slot);
    const remove = async () => {
      if (!slot.active) return;
      slot.active = false;
      await this.release(entry, slot);
    };
    try {
      await entry.joined;
    } catch (error) {
      await remove();
      throw error;
    }
    return { unsubscribe: remove };
  }

  /** The channel to publish through when it is joined on a connected socket; otherwise undefined (use REST). */
  joinedChannel(name: string): RealtimeChannel | undefined {
    const channel = this.entries.get(name)?.channel;
    return channel?.state === 'joined' && this.client.realtime.isConnected() ? channel : undefined;
  }

  /** Stops every handler and forgets every channel (close()). */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const entry of this.entries.values()) {
      entry.retired = true;
      for (const slot of entry.slots) slot.active = false;
    }
    this.entries.clear();
  }

  private open(name: string): Entry {
    const entry = { name, slots: new Set<Slot>(), retired: false } as Entry;
    entry.joined = new Promise<void>((resolve, reject) => {
      entry.channel = this.join(entry, resolve, reject);
    });
    // A refused join leaves the registry at once, so the next subscribe() tries afresh.
    entry.joined.catch(() => {
      if (this.entries.get(name) === entry) this.retire(entry);
    });
    this.entries.set(name, entry);
    return entry;
  }

  private join(entry: Entry, onJoined: () => void, onFailed: (error: Error) => void): RealtimeChannel {
    let joined = false;
    const channel = this.client.channel(entry.name, {
      // self: this port's own subscribers hear its publishes; ack: publish resolves once the server has it.
      config: { broadcast: { self: true, ack: true }, private: this.options.private },
    });
    channel.on('broadcast', { event: this.options.event }, (broadcast) => {
      if (entry.retired) return;
      const message = toMessage(entry.name, broadcast);
      for (const slot of entry.slots) slot.deliver(message);
    });
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED') {
        joined = true;
        onJoined();
      } else if (!joined) {
        onFailed(joinError(status, error));
      } else if (status === 'CLOSED' && !entry.retired) {
        // realtime-js rejoins after a dropped socket, but not after the server closed the channel
        // (for example when the access token expired), so join a fresh channel of the same name.
        this.schedule(() => {
          if (!entry.retired && this.entries.get(entry.name) === entry) {
            entry.channel = this.join(
              entry,
              () => undefined,
              () => undefined,
            );
          }
        });
      }
    }, this.options.timeoutMs);
    return channel;
  }

  private schedule(fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, REJOIN_AFTER_CLOSE_MS);
    this.timers.add(timer);
  }

  private async release(entry: Entry, slot: Slot): Promise<void> {
    entry.slots.delete(slot);
    if (entry.slots.size > 0 || this.entries.get(entry.name) !== entry) return;
    await this.retire(entry);
  }

  /** Leaves the channel; delivery has already stopped locally, so a failed leave is not the caller's concern. */
  private retire(entry: Entry): Promise<void> {
    entry.retired = true;
    this.entries.delete(entry.name);
    const left = this.client
      .removeChannel(entry.channel)
      .then(() => undefined)
      .catch(() => undefined);
    this.leaving.set(entry.name, left);
    void left.then(() => {
      if (this.leaving.get(entry.name) === left) this.leaving.delete(entry.name);
    });
    return left;
  }
}
