import { redisAdapter } from '@switchyard/aws/adapters';
import { describe, expect, it } from 'vitest';
import { plan, secrets } from './adapters-plan.js';

const url = { REDIS_URL: 'rediss://cache.example.com:6379' };
const NODES = 'cfg.abc.cache.amazonaws.com:6379, 10.0.0.2:7000';

describe('redisAdapter (SWITCHYARD_PUBSUB=aws)', () => {
  it('describes itself for createProviders, secrets marked', () => {
    expect(redisAdapter).toMatchObject({ name: 'aws', port: 'pubsub', module: '@switchyard/aws/redis' });
    expect(secrets(redisAdapter)).toEqual(['REDIS_PASSWORD', 'REDIS_URL']);
  });

  it('connects to REDIS_URL, needing ioredis', () => {
    const { options, problems, peers } = plan(redisAdapter, url);
    expect(problems).toEqual([]);
    expect(options).toEqual({ url: 'rediss://cache.example.com:6379' });
    expect(peers).toEqual(['ioredis']);
    expect(plan(redisAdapter, {}).problems).toEqual([
      {
        variable: 'REDIS_URL',
        problem: 'is not set',
        expected: 'redis://host:6379, or rediss://… for TLS (ElastiCache in-transit encryption)',
      },
    ]);
    expect(plan(redisAdapter, { REDIS_URL: 'http://cache:6379' }).problems).toEqual([
      expect.objectContaining({ variable: 'REDIS_URL', problem: 'is not a valid URL' }),
    ]);
  });

  it('passes the key prefix, timeouts, presence and payload limit, leaving them out when unset', () => {
    const { options, problems } = plan(redisAdapter, {
      ...url,
      REDIS_KEY_PREFIX: 'staging:',
      REDIS_CONNECT_TIMEOUT_MS: '4000',
      REDIS_COMMAND_TIMEOUT_MS: '2000',
      REDIS_PRESENCE_TTL_SECONDS: '30',
      REDIS_MAX_PAYLOAD_BYTES: '65536',
    });
    expect(problems).toEqual([]);
    expect(options).toEqual({
      url: url.REDIS_URL,
      keyPrefix: 'staging:',
      connectTimeoutMs: 4_000,
      commandTimeoutMs: 2_000,
      presence: { ttlSeconds: 30 },
      maxPayloadBytes: 65_536,
    });
    expect(plan(redisAdapter, { ...url, REDIS_COMMAND_TIMEOUT_MS: 'soon' }).problems).toEqual([
      { variable: 'REDIS_COMMAND_TIMEOUT_MS', problem: 'is "soon"', expected: 'a positive whole number of milliseconds' },
    ]);
  });

  it('runs in cluster mode from REDIS_CLUSTER_NODES, with user, password, TLS and sharded pub/sub', () => {
    const { options, problems } = plan(redisAdapter, {
      REDIS_CLUSTER_NODES: NODES,
      REDIS_CLUSTER_SHARDED: 'true',
      REDIS_USERNAME: 'app',
      REDIS_PASSWORD: 'token',
      REDIS_TLS: 'true',
    });
    expect(problems).toEqual([]);
    expect(options).toEqual({
      cluster: {
        nodes: [
          { host: 'cfg.abc.cache.amazonaws.com', port: 6379 },
          { host: '10.0.0.2', port: 7000 },
        ],
        sharded: true,
      },
      username: 'app',
      password: 'token',
      tls: true,
    });
    expect(plan(redisAdapter, { REDIS_CLUSTER_NODES: '10.0.0.2' }).problems).toEqual([
      {
        variable: 'REDIS_CLUSTER_NODES',
        problem: 'has an entry that is not host:port',
        expected: 'comma-separated host:port of seed nodes, e.g. my-cache.abc123.clustercfg.euw1.cache.amazonaws.com:6379',
      },
    ]);
  });

  it('takes one of REDIS_URL and REDIS_CLUSTER_NODES, and cluster-only settings only with the nodes', () => {
    expect(plan(redisAdapter, { ...url, REDIS_CLUSTER_NODES: NODES }).variables()).toEqual(['REDIS_URL']);
    const { problems } = plan(redisAdapter, { ...url, REDIS_CLUSTER_SHARDED: 'true', REDIS_PASSWORD: 'p', REDIS_TLS: 'yes' });
    expect(problems.map((p) => [p.variable, p.problem])).toEqual([
      ['REDIS_CLUSTER_SHARDED', 'is set without REDIS_CLUSTER_NODES'],
      ['REDIS_PASSWORD', 'is set without REDIS_CLUSTER_NODES'],
      ['REDIS_TLS', 'is set without REDIS_CLUSTER_NODES'],
    ]);
  });
});
