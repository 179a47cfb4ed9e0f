import { randomBytes } from 'node:crypto';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import type { SwitchyardEvent } from '@switchyard/core/adapter';
import { adminClient, eventually, REDIS_URL, randomPrefix } from '@switchyard/test-peers/redis';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisPubSub, type RedisPubSub, type RedisPubSubOptions } from '../src/redis/index.js';

const keyPrefix = randomPrefix();
const id = () => randomBytes(4).toString('hex');

describe('RedisPubSub presence', () => {
  let admin: Redis;
  const opened: RedisPubSub[] = [];
  const open = async (options: RedisPubSubOptions = {}) => {
    const pubsub = await createRedisPubSub({ url: REDIS_URL, keyPrefix, presence: { ttlSeconds: 30 }, ...options });
    opened.push(pubsub);
    return pubsub;
  };
  const presenceOf = (pubsub: RedisPubSub) => {
    if (!pubsub.presence) throw new Error('presence was not enabled');
    return pubsub.presence;
  };

  beforeAll(async () => {
    admin = await adminClient();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((pubsub) => pubsub.close()));
  });
  afterAll(() => {
    admin?.disconnect();
  });

  it('is declared only when configured', async () => {
    const without = await open({ presence: undefined });
    expect(without.capabilities.presence).toBe(false);
    expect(without.presence).toBeUndefined();
    const withPresence = await open();
    expect(withPresence.capabilities.presence).toBe(true);
  });

  it('lists the members that joined, from any process, with their data, until they leave', async () => {
    const a = presenceOf(await open());
    const b = presenceOf(await open());
    const channel = `room:${id()}`;
    const alice = await a.join(channel, 'alice', { name: 'Alice' });
    await b.join(channel, 'bob');
    const members = await a.list(channel);
    expect(members.map((m) => [m.memberId, m.data])).toEqual([
      ['alice', { name: 'Alice' }],
      ['bob', null],
    ]);
    expect(members[0]!.expiresAt.getTime()).toBeGreaterThan(Date.now());

    await alice.refresh({ name: 'Alice', typing: true });
    expect((await b.list(channel))[0]?.data).toEqual({ name: 'Alice', typing: true });
    await alice.leave();
    await alice.leave();
    expect((await b.list(channel)).map((m) => m.memberId)).toEqual(['bob']);
    await b.leave(channel, 'bob');
    expect(await a.list(channel)).toEqual([]);
  });

  it('drops a member whose expiry passed (a crashed process) and removes it from Redis', async () => {
    const presence = presenceOf(await open());
    const channel = `crash:${id()}`;
    await presence.join(channel, 'alive');
    const key = `${keyPrefix}presence:{${channel}}`;
    await admin.zadd(key, Date.now() - 1_000, 'crashed');
    await admin.hset(`${key}:data`, 'crashed', '"gone"');
    expect((await presence.list(channel)).map((m) => m.memberId)).toEqual(['alive']);
    expect(await admin.zscore(key, 'crashed')).toBeNull();
    expect(await admin.hexists(`${key}:data`, 'crashed')).toBe(0);
  });

  it('keeps a member listed past its TTL through heartbeats, and removes it on close', async () => {
    const observer = presenceOf(await open());
    const member = await open({ presence: { ttlSeconds: 2 } });
    const channel = `beat:${id()}`;
    const handle = await presenceOf(member).join(channel, 'steady');
    const firstExpiry = (await observer.list(channel))[0]!.expiresAt.getTime();
    // Only heartbeats can push the expiry a whole TTL past the first one; every look on the way
    // must still find the member.
    await eventually('heartbeats to outlive the first expiry', async () => {
      const [entry] = await observer.list(channel);
      expect(entry?.memberId).toBe(handle.memberId);
      return entry!.expiresAt.getTime() > firstExpiry + 2_000;
    });
    await member.close();
    expect(await observer.list(channel)).toEqual([]);
  });

  it('validates input before any I/O and reports presence calls through onEvent', async () => {
    const events: SwitchyardEvent[] = [];
    const presence = presenceOf(await open({ onEvent: (event) => events.push(event) }));
    await expectSwitchyardError(presence.join('bad channel', 'm'), 'INVALID_INPUT');
    await expectSwitchyardError(presence.join('ok', 'has space'), 'INVALID_INPUT');
    await expectSwitchyardError(presence.join('ok', 'm', 'x'.repeat(2 * 1024 * 1024)), 'INVALID_INPUT');
    await presence.list(`events:${id()}`);
    expect(events.map((e) => (e.type === 'operation' ? e.operation : e.type))).toEqual([
      'presence.join',
      'presence.join',
      'presence.join',
      'presence.list',
    ]);
  });

  it('refuses presence calls after close with UNAVAILABLE', async () => {
    const pubsub = await open();
    await pubsub.close();
    await expectSwitchyardError(presenceOf(pubsub).list('after-close'), 'UNAVAILABLE');
  });
});
