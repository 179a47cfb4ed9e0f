import {
  adapterErrors,
  type Json,
  type Message,
  type MessageHandler,
  type OnEvent,
  type PubSubCapabilities,
  type PubSubDriver,
  type PubSubPort,
  patternToRegExp,
  pubSubPort,
  type Subscription,
} from '@switchyard/core/adapter';

const errors = adapterErrors('pubsub', 'local');

/** A published message as the broker carries it: the data still as JSON, so each subscriber parses its own copy. */
interface Envelope {
  id: string;
  channel: string;
  json: string;
  publishedAt: number;
}

interface Listener {
  match: (channel: string) => boolean;
  deliver: (envelope: Envelope) => void;
}

/**
 * An in-process message bus. Several LocalPubSub instances on one broker behave like several
 * connections to one Redis: each hears what any of them publishes.
 */
export class LocalBroker {
  private readonly listeners = new Set<Listener>();

  /** @internal */
  add(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal */
  publish(envelope: Envelope): void {
    // Who hears a message is decided now; delivery waits for the publisher's synchronous code to
    // finish, as it would over a network, and never runs inside `publish` (or its timing).
    const matched: Listener[] = [];
    for (const listener of this.listeners) {
      if (listener.match(envelope.channel)) matched.push(listener);
    }
    if (matched.length === 0) return;
    queueMicrotask(() => {
      for (const listener of matched) listener.deliver(envelope);
    });
  }
}

/**
 * Delivers to one handler in order; a slow handler delays only its own queue. An idle queue calls
 * its handler at once; messages wait in `backlog` only while an async handler is still running.
 */
class HandlerQueue {
  private backlog: Message[] | undefined;

  constructor(private readonly handler: MessageHandler) {}

  push(message: Message): void {
    if (this.backlog) this.backlog.push(message);
    else {
      this.backlog = [];
      this.drain(message);
    }
  }

  private readonly resume = (): void => {
    const next = this.backlog?.shift();
    if (next === undefined) this.backlog = undefined;
    else this.drain(next);
  };

  private drain(first: Message): void {
    for (let message: Message | undefined = first; message !== undefined; message = this.backlog?.shift()) {
      let result: unknown;
      try {
        result = this.handler(message);
      } catch {
        // A failing handler must not stop delivery to itself or anyone else (as on Redis).
        continue;
      }
      if (isThenable(result)) {
        // Rejections are swallowed for the same reason.
        Promise.resolve(result).then(this.resume, this.resume);
        return;
      }
    }
    this.backlog = undefined;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

export interface LocalPubSubOptions {
  /** Share one broker between instances; each instance without one gets its own. */
  broker?: LocalBroker;
  /** Default 1 MiB of JSON. */
  maxPayloadBytes?: number;
  onEvent?: OnEvent | undefined;
}

/** The pub/sub driver in one process: channels, `*` patterns, ordered delivery per subscriber. */
class LocalPubSub implements PubSubDriver {
  readonly capabilities: PubSubCapabilities;
  private readonly broker: LocalBroker;
  private readonly removers = new Set<() => void>();
  private closed = false;

  constructor(options: LocalPubSubOptions) {
    this.broker = options.broker ?? new LocalBroker();
    this.capabilities = { patternSubscribe: true, maxPayloadBytes: options.maxPayloadBytes ?? 1024 * 1024, orderedPerChannel: true };
  }

  async publish<T extends Json>(channel: string, data: T, message: { id: string; json: string }): Promise<Message<T>> {
    this.assertOpen('publish');
    const envelope: Envelope = { id: message.id, channel, json: message.json, publishedAt: Date.now() };
    this.broker.publish(envelope);
    return { id: envelope.id, channel, data, publishedAt: new Date(envelope.publishedAt) };
  }

  async subscribe<T extends Json>(topic: { channel: string } | { pattern: string }, handler: MessageHandler<T>): Promise<Subscription> {
    this.assertOpen('subscribe');
    let match: (channel: string) => boolean;
    if ('channel' in topic) match = (channel) => channel === topic.channel;
    else {
      const regex = patternToRegExp(topic.pattern);
      match = (channel) => regex.test(channel);
    }
    const queue = new HandlerQueue(handler as MessageHandler);
    // Each subscriber parses its own copy, as it would off a network: no handler sees another's mutations.
    const deliver = (envelope: Envelope) =>
      queue.push({
        id: envelope.id,
        channel: envelope.channel,
        data: JSON.parse(envelope.json),
        publishedAt: new Date(envelope.publishedAt),
      });
    const remove = this.broker.add({ match, deliver });
    this.removers.add(remove);
    return {
      unsubscribe: async () => {
        remove();
        this.removers.delete(remove);
      },
    };
  }

  openListeners(): number {
    return this.removers.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const remove of this.removers) remove();
    this.removers.clear();
  }

  private assertOpen(operation: string): void {
    if (this.closed) {
      throw errors.error(operation, 'UNAVAILABLE', 'This pub/sub port was closed; create a new one.', { retryable: false });
    }
  }
}

/** The local PubSubPort, plus how many subscriptions it still holds (0 after `close()`). */
export type LocalPubSubPort = PubSubPort & { openListeners(): number };

/**
 * Opens an in-process PubSubPort (reporting to `onEvent` when given). Messages waiting for a
 * subscriber may carry anything an app publishes, so it prints only its provider.
 */
export async function createLocalPubSub(options: LocalPubSubOptions = {}): Promise<LocalPubSubPort> {
  const driver = new LocalPubSub(options);
  const port = pubSubPort(driver, { provider: 'local', onEvent: options.onEvent });
  return Object.assign(port, { openListeners: () => driver.openListeners() });
}
