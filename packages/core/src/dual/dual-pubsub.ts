import type { Json, Message, MessageHandler, PublishOptions, PubSubCapabilities, PubSubPort, Subscription, Topic } from '../pubsub/port.js';
import { encodePayload, parseTopic, validateChannel, validateMessageId } from '../pubsub/validate.js';
import { DedupWindow } from './dedup-window.js';
import { dualCall } from './dual-call.js';
import { DualSides } from './dual-sides.js';
import { bounded, closeBoth, reportDivergence, type ShadowOptions, settleShadow } from './shadow.js';

export interface DualPubSubOptions extends ShadowOptions {
  primary: PubSubPort;
  shadow: PubSubPort;
  /** Ids each subscription remembers to drop the second copy. Default 10,000. */
  dedupEntries?: number;
  /** How long an id is remembered, in ms; the second copy must arrive within it. Default 60,000. */
  dedupMaxAgeMs?: number;
}

/**
 * A PubSubPort over two brokers during a migration: every message goes to both with one id, and a
 * subscriber listens to both and gets each message once, whichever broker delivers it first.
 * Publishers on either broker alone (apps not yet moved) reach it too.
 */
export class DualPubSub extends DualSides<PubSubPort> implements PubSubPort {
  readonly capabilities: PubSubCapabilities;
  private readonly dedupEntries: number;
  private readonly dedupMaxAgeMs: number;

  constructor(options: DualPubSubOptions) {
    super('pubsub', options);
    const { primary, shadow } = options;
    this.dedupEntries = options.dedupEntries ?? 10_000;
    this.dedupMaxAgeMs = options.dedupMaxAgeMs ?? 60_000;
    this.capabilities = {
      patternSubscribe: primary.capabilities.patternSubscribe && shadow.capabilities.patternSubscribe,
      maxPayloadBytes: Math.min(primary.capabilities.maxPayloadBytes, shadow.capabilities.maxPayloadBytes),
      orderedPerChannel: primary.capabilities.orderedPerChannel && shadow.capabilities.orderedPerChannel,
    };
  }

  /**
   * Publishes to both brokers at once with one id. The primary's answer decides the call: its
   * failure is thrown, a shadow failure (or no answer within `shadowTimeoutMs`) is reported through
   * `onEvent`. A message the primary refused may still have gone out through the shadow; publish it
   * again with the same `id` and subscribers of this composite get it once.
   */
  async publish<T extends Json>(channel: string, data: T, options?: PublishOptions): Promise<Message<T>> {
    const context = { provider: this.provider, operation: 'publish' };
    validateChannel(channel, context);
    validateMessageId(options?.id, context);
    // Checked against the smaller limit first, so no message reaches one broker and not the other.
    encodePayload(data, this.capabilities.maxPayloadBytes, context);
    const sent = { id: options?.id ?? crypto.randomUUID() };
    return dualCall(this.context, this.provider, 'publish', async (scope) => {
      const primary = scope.primary(() => this.primary.publish(channel, data, sent));
      const shadow = settleShadow(
        this.context,
        'publish',
        scope.shadow(() => this.shadow.publish(channel, data, sent)),
      );
      const message = await primary;
      const failure = await shadow;
      if (failure) {
        reportDivergence(this.context, 'publish', 'the shadow did not take the message', {
          kind: 'shadow-failure',
          key: channel,
          error: failure.error,
        });
      }
      return message;
    });
  }

  async subscribe<T extends Json = Json>(topic: Topic, handler: MessageHandler<T>): Promise<Subscription> {
    parseTopic(topic, { provider: this.provider, operation: 'subscribe' });
    if (typeof topic !== 'string' && !this.capabilities.patternSubscribe) {
      // Let the side without patterns refuse it, so the error names that provider.
      const side = this.primary.capabilities.patternSubscribe ? this.shadow : this.primary;
      await side.subscribe(topic, handler);
    }
    const window = new DedupWindow(this.dedupEntries, this.dedupMaxAgeMs);
    const once: MessageHandler<T> = (message) => (window.firstSight(message.id) ? handler(message) : undefined);
    const primary = await this.primary.subscribe(topic, once);
    let unsubscribed = false;
    const shadowSubscription = this.shadow.subscribe(topic, once);
    // A shadow subscription that completes after the bound must still end with this subscription.
    const lateShadow = shadowSubscription.then(
      (subscription) => (unsubscribed ? subscription.unsubscribe().then(() => undefined) : subscription),
      () => undefined,
    );
    try {
      await bounded(this.context, 'subscribe', shadowSubscription);
    } catch (error) {
      reportDivergence(this.context, 'subscribe', 'subscribing at the shadow failed; only the primary delivers', {
        kind: 'shadow-failure',
        key: typeof topic === 'string' ? topic : topic.pattern,
        error,
      });
    }
    return {
      unsubscribe: async () => {
        unsubscribed = true;
        const shadow = await Promise.race([lateShadow, Promise.resolve(undefined)]);
        await closeBoth([() => primary.unsubscribe(), () => shadow?.unsubscribe() ?? Promise.resolve()]);
      },
    };
  }

  close(): Promise<void> {
    return closeBoth([() => this.primary.close(), () => this.shadow.close()]);
  }
}
