import { randomUUID } from 'node:crypto';
import {
  encodePayload,
  type Json,
  type Message,
  type MessageHandler,
  type OnEvent,
  observe,
  type PublishOptions,
  type PubSubCapabilities,
  type PubSubPort,
  parseTopic,
  patternToRegExp,
  type Subscription,
  SwitchyardError,
  type Topic,
  validateChannel,
  validateMessageId,
} from '@switchyard/core';

interface Listener {
  match: (channel: string) => boolean;
  deliver: (message: Message) => void;
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
  publish(message: Message): void {
    for (const listener of this.listeners) {
      if (listener.match(message.channel)) listener.deliver(message);
    }
  }
}

/** Delivers to one handler in order; a slow handler delays only its own queue. */
class HandlerQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly handler: MessageHandler) {}

  push(message: Message): void {
    this.tail = this.tail.then(async () => {
      try {
        await this.handler(message);
      } catch {
        // A failing handler must not stop delivery to itself or anyone else (as on Redis).
      }
    });
  }
}

export interface LocalPubSubOptions {
  /** Share one broker between instances; each instance without one gets its own. */
  broker?: LocalBroker;
  /** Default 1 MiB of JSON. */
  maxPayloadBytes?: number;
  onEvent?: OnEvent;
}

/** PubSubPort in one process: channels, `*` patterns, ordered delivery per subscriber. */
export class LocalPubSub implements PubSubPort {
  readonly provider = 'local';
  readonly capabilities: PubSubCapabilities;
  private readonly broker: LocalBroker;
  private readonly removers = new Set<() => void>();
  private closed = false;

  constructor(options: LocalPubSubOptions = {}) {
    this.broker = options.broker ?? new LocalBroker();
    this.capabilities = { patternSubscribe: true, maxPayloadBytes: options.maxPayloadBytes ?? 1024 * 1024, orderedPerChannel: true };
  }

  async publish<T extends Json>(channel: string, data: T, options?: PublishOptions): Promise<Message<T>> {
    const context = this.context('publish');
    validateChannel(channel, context);
    validateMessageId(options?.id, context);
    const encoded = encodePayload(data, this.capabilities.maxPayloadBytes, context);
    const message: Message<T> = {
      id: options?.id ?? randomUUID(),
      channel,
      // Subscribers get their own copy, as they would over a network.
      data: JSON.parse(encoded) as T,
      publishedAt: new Date(),
    };
    this.broker.publish(message);
    return { ...message, data };
  }

  async subscribe<T extends Json = Json>(topic: Topic, handler: MessageHandler<T>): Promise<Subscription> {
    const context = this.context('subscribe');
    const parsed = parseTopic(topic, context);
    if (typeof handler !== 'function') {
      throw new SwitchyardError({ code: 'INVALID_INPUT', port: 'pubsub', ...context, message: 'subscribe() needs a handler function.' });
    }
    let match: (channel: string) => boolean;
    if ('channel' in parsed) match = (channel) => channel === parsed.channel;
    else {
      const regex = patternToRegExp(parsed.pattern);
      match = (channel) => regex.test(channel);
    }
    const queue = new HandlerQueue(handler as MessageHandler);
    const remove = this.broker.add({ match, deliver: (message) => queue.push(structuredClone(message)) });
    this.removers.add(remove);
    return {
      unsubscribe: async () => {
        remove();
        this.removers.delete(remove);
      },
    };
  }

  /** Subscriptions this instance still holds; 0 after `close()`. */
  openListeners(): number {
    return this.removers.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const remove of this.removers) remove();
    this.removers.clear();
  }

  private context(operation: string) {
    if (this.closed) {
      throw new SwitchyardError({
        code: 'UNAVAILABLE',
        port: 'pubsub',
        provider: this.provider,
        operation,
        retryable: false,
        message: 'This pub/sub port was closed; create a new one.',
      });
    }
    return { provider: this.provider, operation };
  }
}

/** Creates an in-process PubSubPort (reporting to `onEvent` when given). */
export function createLocalPubSub(options: LocalPubSubOptions = {}): LocalPubSub {
  return observe(new LocalPubSub(options), { port: 'pubsub', provider: 'local', onEvent: options.onEvent });
}
