import type { Json, Message, MessageHandler, PubSubCapabilities, PubSubDriver, Subscription } from '@switchyard/core/adapter/pubsub';
import { publisherFor, type RedisClient, type Role } from './client.js';
import { Connection, isCommandTimeout } from './connection.js';
import { encodeEnvelope } from './envelope.js';
import { closedError, toSwitchyardError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { RedisPresence } from './presence.js';
import { type Kind, SubscriptionRegistry } from './subscriptions.js';

/** PubSubPort capabilities, plus `presence` (not in the core port yet). */
export interface RedisPubSubCapabilities extends PubSubCapabilities {
  /** `presence` is available (the adapter was created with `presence: { ttlSeconds }`). */
  presence: boolean;
}

// Redis globs treat * ? [ ] \ specially: https://redis.io/docs/latest/commands/psubscribe/
// Core validation keeps all but `*` out of patterns, but the key prefix is free text.
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

const SUBSCRIBE = { channel: 'subscribe', pattern: 'psubscribe', shard: 'ssubscribe' } as const;
const UNSUBSCRIBE = { channel: 'unsubscribe', pattern: 'punsubscribe', shard: 'sunsubscribe' } as const;

function timeoutsOf(options: ResolvedOptions) {
  return { connectMs: options.connectTimeoutMs, attemptMs: options.attemptTimeoutMs, commandMs: options.commandTimeoutMs };
}

/**
 * The Redis calls behind a PubSubPort (ElastiCache for Redis/Valkey, or any Redis ≥ 6) with plain
 * or sharded pub/sub. One publisher connection, plus one subscriber connection opened on the first
 * subscribe: a connection in subscriber mode cannot publish. Channels, ids, payloads and topics
 * arrive checked by core's front layer; `createRedisPubSub` builds both.
 */
export class RedisDriver implements PubSubDriver {
  readonly capabilities: RedisPubSubCapabilities;
  /** Who is on a channel; present when the adapter was created with `presence: { ttlSeconds }`. */
  readonly presence: RedisPresence | undefined;
  private readonly publisher: Connection;
  private subscriber: Connection | undefined;
  private readonly registry: SubscriptionRegistry;
  private closing: Promise<void> | undefined;
  /**
   * Picks this instance's publishing node in a cluster (see publisherFor). Spreading processes
   * needs no secure randomness; importing `node:crypto` from ESM also loads its webcrypto half,
   * which ioredis's own `require('crypto')` does not (about 0.3 ms of cold start, bench row 6).
   */
  private readonly publishSeed = Math.floor(Math.random() * 2 ** 30);

  /** @internal Use `createRedisPubSub`, which loads ioredis and checks the options. */
  constructor(
    private readonly options: ResolvedOptions,
    private readonly openClient: (role: Role) => RedisClient,
  ) {
    this.capabilities = {
      patternSubscribe: !options.sharded,
      maxPayloadBytes: options.maxPayloadBytes,
      // Redis delivers one connection's publishes in order, and this adapter publishes from one
      // connection (in a cluster, through one node: see publisherFor).
      orderedPerChannel: true,
      presence: options.presenceTtlSeconds !== undefined,
    };
    this.publisher = new Connection(openClient('pub'), timeoutsOf(options));
    this.registry = new SubscriptionRegistry(
      { subscribe: (kind, name) => this.redisSubscribe(kind, name), unsubscribe: (kind, name) => this.redisUnsubscribe(kind, name) },
      options.keyPrefix,
    );
    this.presence =
      options.presenceTtlSeconds === undefined
        ? undefined
        : new RedisPresence(this.publisher, {
            keyPrefix: options.keyPrefix,
            ttlSeconds: options.presenceTtlSeconds,
            maxDataBytes: options.maxPayloadBytes,
          });
  }

  async publish<T extends Json>(channel: string, data: T, { id, json }: { id: string; json: string }): Promise<Message<T>> {
    const operation = 'publish';
    if (this.closing) throw closedError(operation);
    const publishedAt = Date.now();
    const wire = encodeEnvelope(id, publishedAt, json);
    const connecting = this.publisher.ready(operation);
    if (connecting) await connecting;
    const redisChannel = this.options.keyPrefix + channel;
    try {
      const { client } = this.publisher;
      // A Cluster routes SPUBLISH itself, so there is no one socket to coalesce; a node has one.
      const target = this.options.sharded ? client : publisherFor(client, this.publishSeed);
      this.publisher.coalesceWrites(target);
      await this.publisher.reply(this.options.sharded ? client.spublish(redisChannel, wire) : target.publish(redisChannel, wire));
    } catch (error) {
      throw this.closing ? closedError(operation) : toSwitchyardError(error, operation);
    }
    return { id, channel, data, publishedAt: new Date(publishedAt) };
  }

  async subscribe<T extends Json>(topic: { channel: string } | { pattern: string }, handler: MessageHandler<T>): Promise<Subscription> {
    if (this.closing) throw closedError('subscribe');
    const { keyPrefix } = this.options;
    let kind: Kind;
    let name: string;
    // The front layer refuses patterns where sharded pub/sub has no PSUBSCRIBE (patternSubscribe false).
    if ('pattern' in topic) {
      kind = 'pattern';
      name = escapeGlob(keyPrefix) + topic.pattern;
    } else {
      kind = this.options.sharded ? 'shard' : 'channel';
      name = keyPrefix + topic.channel;
    }
    return this.registry.add(kind, name, handler as MessageHandler);
  }

  /** Ends every subscription, stops presence heartbeats and closes both connections. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  /** Connections (publisher, subscriber) not yet fully closed; 0 after `close()`. */
  openConnections(): number {
    return [this.publisher, this.subscriber].filter((connection) => connection?.isOpen()).length;
  }

  /** Messages that arrived on a subscribed channel but were not Switchyard envelopes, and were dropped. */
  droppedMessages(): number {
    return this.registry.dropped;
  }

  private async shutDown(): Promise<void> {
    this.registry.clear();
    await this.presence?.stop();
    await Promise.all([this.publisher.close(), this.subscriber?.close()]);
  }

  private subscriberConnection(): Connection {
    if (this.subscriber) return this.subscriber;
    if (this.closing) throw closedError('subscribe');
    const client = this.openClient('sub');
    const { registry } = this;
    client.on('message', (channel: string, raw: string) => registry.dispatch('channel', channel, channel, raw));
    client.on('pmessage', (pattern: string, channel: string, raw: string) => registry.dispatch('pattern', pattern, channel, raw));
    client.on('smessage', (channel: string, raw: string) => registry.dispatch('shard', channel, channel, raw));
    // On every reconnect, subscribe the new connection to everything the registry still holds.
    // Standalone: ioredis's autoResubscribe is off, so this is the only replay. Cluster: ioredis
    // re-subscribes its subscriber node itself; this replay after a cluster reconnect is a no-op
    // for channels already there (SUBSCRIBE is idempotent per connection).
    this.subscriber = new Connection(client, timeoutsOf(this.options), () => registry.replay());
    return this.subscriber;
  }

  private async redisSubscribe(kind: Kind, name: string): Promise<void> {
    const connection = this.subscriberConnection();
    await connection.ready('subscribe');
    try {
      await connection.client[SUBSCRIBE[kind]](name);
    } catch (error) {
      // Unanswered within ioredis's commandTimeout: the connection's replies can no longer be trusted.
      if (isCommandTimeout(error)) connection.restart();
      throw toSwitchyardError(error, 'subscribe');
    }
  }

  private async redisUnsubscribe(kind: Kind, name: string): Promise<void> {
    const connection = this.subscriber;
    // Not connected: a standalone subscriber is re-subscribed from the registry, which no longer
    // has it. (A cluster's subscriber restores ioredis's own list; a leftover channel finds no
    // registry entry and its messages are ignored.)
    if (!connection?.isOpen() || connection.client.status !== 'ready') return;
    await connection.client[UNSUBSCRIBE[kind]](name);
  }
}
