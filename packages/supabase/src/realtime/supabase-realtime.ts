import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import {
  encodePayload,
  type Json,
  type Message,
  type MessageHandler,
  type PublishOptions,
  type PubSubCapabilities,
  type PubSubPort,
  parseTopic,
  type Subscription,
  SwitchyardError,
  type Topic,
  unsupported,
  validateChannel,
  validateMessageId,
} from '@switchyard/core';
import { ChannelRegistry } from './channels.js';
import { ENVELOPE_OVERHEAD_BYTES, type Envelope } from './envelope.js';
import { closedError, realtimeError } from './errors.js';
import type { ResolvedRealtimeOptions } from './options.js';
import { restBroadcast } from './rest.js';

/**
 * PubSubPort on Supabase Realtime Broadcast, through supabase-js. Subscribing joins one Realtime
 * channel per channel name (shared by its handlers); publishing goes over that channel when this
 * port has joined it, and through the REST broadcast endpoint otherwise, so a publish-only port
 * never opens a socket. Create it with `createSupabaseRealtime`.
 */
export class SupabaseRealtime implements PubSubPort {
  readonly provider = 'supabase';
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

  async publish<T extends Json>(channel: string, data: T, options?: PublishOptions): Promise<Message<T>> {
    const operation = 'publish';
    if (this.closing) throw closedError(operation);
    const context = { provider: this.provider, operation };
    validateChannel(channel, context);
    validateMessageId(options?.id, context);
    encodePayload(data, this.capabilities.maxPayloadBytes, context);
    const envelope: Envelope = { id: options?.id ?? randomUUID(), publishedAt: Date.now(), data };
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

  async subscribe<T extends Json = Json>(topic: Topic, handler: MessageHandler<T>): Promise<Subscription> {
    const operation = 'subscribe';
    if (this.closing) throw closedError(operation);
    const context = { provider: this.provider, operation };
    const parsed = parseTopic(topic, context);
    if ('pattern' in parsed) throw unsupported({ port: 'pubsub', ...context }, 'pattern subscriptions (Realtime has no wildcard channels)');
    if (typeof handler !== 'function') {
      throw new SwitchyardError({ code: 'INVALID_INPUT', port: 'pubsub', ...context, message: 'subscribe() needs a handler function.' });
    }
    return this.registry.add(parsed.channel, handler as MessageHandler);
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
