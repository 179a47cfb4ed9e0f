import { encodePayload, type Json, SwitchyardError, validateChannel } from '@switchyard/core/adapter/pubsub';
import type { Connection } from './connection.js';
import { closedError, toSwitchyardError } from './errors.js';

/** A member currently present on a channel. */
export interface PresenceMember {
  memberId: string;
  /** What the member joined with (`null` when nothing was given). */
  data: Json;
  /** When the member disappears unless its heartbeat refreshes it first. */
  expiresAt: Date;
}

/** A joined member; its heartbeat keeps it listed until `leave()` or `close()`. */
export interface PresenceHandle {
  readonly channel: string;
  readonly memberId: string;
  /** Refreshes the expiry now, optionally with new data. */
  refresh(data?: Json): Promise<void>;
  /** Removes the member and stops its heartbeat; idempotent. */
  leave(): Promise<void>;
}

// Scripts run atomically and read the clock of the Redis server, so members joined from app
// servers whose clocks disagree still expire consistently. Both keys share a `{channel}` hash tag,
// so they live in one cluster slot: https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS: members (sorted set member -> expiry ms), data (hash member -> JSON). ARGV: member, ttl ms, data.
const JOIN = `${NOW}
local expires = string.format('%d', now + tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], expires, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
redis.call('PEXPIREAT', KEYS[2], last[2])
return expires`;

const LIST = `${NOW}
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%d', now))
for _, member in ipairs(expired) do
  redis.call('ZREM', KEYS[1], member)
  redis.call('HDEL', KEYS[2], member)
end
local live = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local out = {}
for i = 1, #live, 2 do
  out[#out + 1] = live[i]
  out[#out + 1] = live[i + 1]
  out[#out + 1] = redis.call('HGET', KEYS[2], live[i]) or 'null'
end
return out`;

const LEAVE = `redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1`;

const MEMBER_ID = /^[\x21-\x7e]{1,128}$/;

interface Heartbeat {
  /** The member's encoded data, re-sent with every beat. */
  data: string;
  timer?: NodeJS.Timeout;
}

/**
 * Presence on Redis: who is on a channel. Each member is a sorted-set entry scored with its expiry;
 * `join` starts a heartbeat that refreshes it every third of the TTL, so a crashed process drops
 * out after at most `ttlSeconds`. Not part of the core PubSubPort yet: reach it as `pubsub.presence`.
 */
export class RedisPresence {
  private readonly heartbeats = new Map<string, Heartbeat>();
  private stopped = false;

  /** @internal Created by RedisPubSub. */
  constructor(
    private readonly connection: Connection,
    private readonly settings: { keyPrefix: string; ttlSeconds: number; maxDataBytes: number },
  ) {}

  /** Adds (or refreshes) `memberId` on `channel` with `data`, and keeps it there until `leave()`. */
  async join(channel: string, memberId: string, data: Json = null): Promise<PresenceHandle> {
    const operation = 'presence.join';
    this.check(channel, memberId, operation);
    const encoded = encodePayload(data, this.settings.maxDataBytes, { provider: 'aws', operation });
    await this.write(channel, memberId, encoded, operation);
    const key = `${channel}\n${memberId}`;
    this.stopHeartbeat(key);
    const beat: Heartbeat = { data: encoded };
    // A missed beat is retried by the next one; if Redis stays away, the member expires, which is right.
    beat.timer = setInterval(
      () => void this.write(channel, memberId, beat.data, 'presence.heartbeat').catch(() => undefined),
      this.interval(),
    );
    // The heartbeat alone must not keep a process (or a Lambda invocation) alive.
    beat.timer.unref();
    this.heartbeats.set(key, beat);
    return {
      channel,
      memberId,
      refresh: async (next?: Json) => {
        if (next !== undefined)
          beat.data = encodePayload(next, this.settings.maxDataBytes, { provider: 'aws', operation: 'presence.refresh' });
        await this.write(channel, memberId, beat.data, 'presence.refresh');
      },
      leave: () => this.leave(channel, memberId),
    };
  }

  /** Members of `channel` whose expiry has not passed, sorted by memberId. Expired ones are removed on the way. */
  async list(channel: string): Promise<PresenceMember[]> {
    const operation = 'presence.list';
    this.check(channel, undefined, operation);
    const reply = (await this.eval(LIST, channel, [], operation)) as string[];
    const members: PresenceMember[] = [];
    for (let i = 0; i + 2 < reply.length; i += 3) {
      members.push({ memberId: reply[i]!, expiresAt: new Date(Number(reply[i + 1])), data: parseData(reply[i + 2]) });
    }
    return members.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  }

  /** Removes `memberId` from `channel` at once and stops its heartbeat; idempotent. */
  async leave(channel: string, memberId: string): Promise<void> {
    const operation = 'presence.leave';
    this.check(channel, memberId, operation);
    this.stopHeartbeat(`${channel}\n${memberId}`);
    this.heartbeats.delete(`${channel}\n${memberId}`);
    await this.eval(LEAVE, channel, [memberId], operation);
  }

  /** @internal Stops every heartbeat and removes this process's members (best effort) before close. */
  async stop(): Promise<void> {
    this.stopped = true;
    const joined = [...this.heartbeats.keys()];
    for (const key of joined) this.stopHeartbeat(key);
    this.heartbeats.clear();
    await Promise.allSettled(
      joined.map((key) => {
        const [channel = '', memberId = ''] = key.split('\n');
        return this.eval(LEAVE, channel, [memberId], 'presence.leave');
      }),
    );
  }

  private interval(): number {
    return Math.max(100, Math.floor((this.settings.ttlSeconds * 1000) / 3));
  }

  private stopHeartbeat(key: string): void {
    const beat = this.heartbeats.get(key);
    if (beat?.timer) clearInterval(beat.timer);
  }

  private check(channel: string, memberId: string | undefined, operation: string): void {
    if (this.stopped) throw closedError(operation);
    validateChannel(channel, { provider: 'aws', operation });
    if (memberId !== undefined && (typeof memberId !== 'string' || !MEMBER_ID.test(memberId))) {
      throw new SwitchyardError({
        code: 'INVALID_INPUT',
        port: 'pubsub',
        provider: 'aws',
        operation,
        message: 'A presence memberId must be 1–128 printable ASCII characters without spaces.',
      });
    }
  }

  private async write(channel: string, memberId: string, encoded: string, operation: string): Promise<void> {
    await this.eval(JOIN, channel, [memberId, Math.round(this.settings.ttlSeconds * 1000), encoded], operation);
  }

  private async eval(script: string, channel: string, args: (string | number)[], operation: string): Promise<unknown> {
    await this.connection.ready(operation);
    const base = `${this.settings.keyPrefix}presence:{${channel}}`;
    try {
      return await this.connection.reply(this.connection.client.call('eval', script, 2, base, `${base}:data`, ...args));
    } catch (error) {
      throw toSwitchyardError(error, operation);
    }
  }
}

function parseData(raw: string | undefined): Json {
  try {
    return raw === undefined ? null : (JSON.parse(raw) as Json);
  } catch {
    return null;
  }
}
