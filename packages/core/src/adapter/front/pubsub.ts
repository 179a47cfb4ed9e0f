import { SwitchyardError, unsupported } from '../../errors.js';
import type {
  Json,
  Message,
  MessageHandler,
  PublishOptions,
  PubSubCapabilities,
  PubSubPort,
  Subscription,
  Topic,
} from '../../pubsub/port.js';
import { encodePayload, parseTopic, validateChannel, validateMessageId } from '../../pubsub/validate.js';
import { FrontPort } from './front-port.js';
import type { FrontOptions } from './storage.js';

/**
 * What a pub/sub adapter implements: `publish` gets a valid channel, the message id (the caller's
 * or a new one) and the payload already encoded as JSON within `maxPayloadBytes`; `subscribe` a
 * parsed topic (a pattern only where declared) and a handler.
 */
export interface PubSubDriver {
  readonly capabilities: PubSubCapabilities;
  publish<T extends Json>(channel: string, data: T, message: { id: string; json: string }): Promise<Message<T>>;
  subscribe<T extends Json>(topic: { channel: string } | { pattern: string }, handler: MessageHandler<T>): Promise<Subscription>;
  close(): Promise<void>;
}

/** The PubSubPort every pub/sub adapter is reached through (see `storagePort`). */
export function pubSubPort(driver: PubSubDriver, options: FrontOptions): PubSubPort {
  return new FrontPubSub(driver, options);
}

class FrontPubSub extends FrontPort<'pubsub', PubSubCapabilities> implements PubSubPort {
  private readonly publishContext: { provider: string; operation: string };

  constructor(
    private readonly driver: PubSubDriver,
    options: FrontOptions,
  ) {
    super('pubsub', driver.capabilities, options);
    this.publishContext = { provider: options.provider, operation: 'publish' };
  }

  publish<T extends Json>(channel: string, data: T, options?: PublishOptions): Promise<Message<T>> {
    // Not async: run (frontCall) turns a validation throw into a rejection, one promise fewer per publish.
    return this.run('publish', () => {
      validateChannel(channel, this.publishContext);
      validateMessageId(options?.id, this.publishContext);
      const json = encodePayload(data, this.capabilities.maxPayloadBytes, this.publishContext);
      return this.driver.publish(channel, data, { id: options?.id ?? crypto.randomUUID(), json });
    });
  }

  subscribe<T extends Json = Json>(topic: Topic, handler: MessageHandler<T>): Promise<Subscription> {
    return this.run('subscribe', async () => {
      const context = { provider: this.provider, operation: 'subscribe' };
      const parsed = parseTopic(topic, context);
      if ('pattern' in parsed && !this.capabilities.patternSubscribe) {
        throw unsupported({ port: 'pubsub', ...context }, 'pattern subscriptions');
      }
      if (typeof handler !== 'function') {
        throw new SwitchyardError({ code: 'INVALID_INPUT', port: 'pubsub', ...context, message: 'subscribe needs a handler function.' });
      }
      return this.driver.subscribe(parsed, handler);
    });
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
