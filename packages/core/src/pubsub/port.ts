/** Any JSON value: what a message can carry. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A delivered message. */
export interface Message<T extends Json = Json> {
  /** Unique per message; the same id on every provider during dual-run, so duplicates can be dropped. */
  id: string;
  channel: string;
  data: T;
  publishedAt: Date;
}

export interface PublishOptions {
  /** A caller-chosen id (for example to publish the same message to two providers). */
  id?: string;
}

/** A channel name, or `{ pattern }` where `*` matches any run of characters (Redis glob style). */
export type Topic = string | { pattern: string };

export type MessageHandler<T extends Json = Json> = (message: Message<T>) => void | Promise<void>;

export interface Subscription {
  /** Stops delivery to this handler; idempotent. */
  unsubscribe(): Promise<void>;
}

export interface PubSubCapabilities {
  /** `subscribe({ pattern })` works. */
  patternSubscribe: boolean;
  /** Largest `data` accepted, in bytes of its JSON encoding. */
  maxPayloadBytes: number;
  /** Messages published on one channel reach each subscriber in publish order. */
  orderedPerChannel: boolean;
}

/**
 * Fire-and-forget messaging between processes. At-most-once: a subscriber that is not connected
 * when a message is published does not get it. Methods throw only `SwitchyardError`.
 */
export interface PubSubPort {
  readonly provider: string;
  readonly capabilities: PubSubCapabilities;
  /** Sends `data` to every current subscriber of `channel`. `INVALID_INPUT` when over `maxPayloadBytes` or not JSON. */
  publish<T extends Json>(channel: string, data: T, options?: PublishOptions): Promise<Message<T>>;
  /** Resolves once the subscription is active, so a publish after it is delivered. */
  subscribe<T extends Json = Json>(topic: Topic, handler: MessageHandler<T>): Promise<Subscription>;
  /** Ends every subscription and releases every connection. */
  close(): Promise<void>;
}
