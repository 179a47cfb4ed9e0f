import type { SupabaseClient } from '@supabase/supabase-js';
import type { Json, Message, MessageHandler, PubSubCapabilities, PubSubDriver, Subscription } from '@switchyard/core/adapter/pubsub';
import { ChannelRegistry } from './channels.js';
import { ENVELOPE_OVERHEAD_BYTES, type Envelope } from './envelope.js';
import { closedError, realtimeError } from './errors.js';
import type { ResolvedRealtimeOptions } from './options.js';
import { restBroadcast } from './rest.js';

/**
 * The Supabase Realtime Broadcast driver behind `pubSubPort`, through supabase-js. Subscribing
 * joins one Realtime channel per channel name (shared by its handlers); publishing goes over that
 * channel when this port has joined it, and through the REST broadcast endpoint otherwise, so a
 * publish-only port never opens a socket. Create it with `createSupabaseRealtime`.
 */
export class SupabaseRealtimeDriver implements PubSubDriver {
  readonly capabilities: PubSubCapabilities;
  private readonly registry: ChannelRegistry;
  private closing: Promise<void> | undefined;

  /** @internal Use `createSupabaseRealtime`, which checks the options. */
  constructor(
    private readonly options: ResolvedRealtimeOptions,
    private readonly client: SupabaseClient,
  ) {
    this.capabilities = {
      // Realtime has no wildcard channel subscriptions.
      patternSubscribe: false,
      maxPayloadBytes: options.serverPayloadLimit - ENVELOPE_OVERHEAD_BYTES,
      // One channel process on the server relays one socket's pushes in order; publishes through
      // REST are ordered when each is awaited before the next.
      orderedPerChannel: true,
    };
    this.registry = new ChannelRegistry(client, options);
  }

  async publish<T extends Json>(channel: string, data: T, message: { id: string }): Promise<Message<T>> {
    const operation = 'publish';
    if (this.closing) throw closedError(operation);
    const envelope: Envelope = { id: message.id, publishedAt: Date.now(), data };
    const joined = this.registry.joinedChannel(channel);
    if (joined) {
      const status = await joined.send(
        { type: 'broadcast', event: this.options.event, payload: envelope },
        { timeout: this.options.timeoutMs },
      );
      if (status !== 'ok') {
        throw realtimeError(operation, 'UNAVAILABLE', `Supabase Realtime did not acknowledge the broadcast (${status}).`, {
          retryable: status === 'timed out',
        });
      }
    } else {
      await restBroadcast(this.options, channel, envelope);
    }
    return { id: envelope.id, channel, data, publishedAt: new Date(envelope.publishedAt) };
  }

  /** Channels only: `patternSubscribe` is false, so the front layer refuses patterns. */
  async subscribe<T extends Json>(topic: { channel: string } | { pattern: string }, handler: MessageHandler<T>): Promise<Subscription> {
    if (this.closing) throw closedError('subscribe');
    return this.registry.add((topic as { channel: string }).channel, handler as MessageHandler);
  }

  /** Leaves every channel and closes the socket. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.registry.clear();
    // Leaves each channel (at once when the socket is down), then disconnects.
    await this.client.removeAllChannels().catch(() => undefined);
    await this.client.realtime.disconnect().catch(() => undefined);
  }
}
