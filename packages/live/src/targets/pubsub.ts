import type { RedisPubSubOptions } from '@switchyard/aws/redis';
import type { SupabaseRealtimeOptions } from '@switchyard/supabase/realtime';
import type { TargetDefinition } from './definition.js';

export const awsRedis: TargetDefinition<'aws-redis', RedisPubSubOptions & { url: string; keyPrefix: string }> = {
  name: 'aws-redis',
  port: 'pubsub',
  adapter: 'createRedisPubSub (@switchyard/aws/redis)',
  required: 'REDIS_URL',
  optional: 'REDIS_KEY_PREFIX (default: SWITCHYARD_LIVE_PREFIX), REDIS_CONNECT_TIMEOUT_MS, REDIS_COMMAND_TIMEOUT_MS',
  read({ env, prefix }) {
    const connectTimeoutMs = env.wholeNumber('REDIS_CONNECT_TIMEOUT_MS', 'milliseconds');
    const commandTimeoutMs = env.wholeNumber('REDIS_COMMAND_TIMEOUT_MS', 'milliseconds');
    return {
      url: env.url('REDIS_URL', ['redis:', 'rediss:'], 'redis://host:6379, or rediss://… for TLS'),
      keyPrefix: env.optional('REDIS_KEY_PREFIX') ?? prefix,
      ...(connectTimeoutMs ? { connectTimeoutMs } : {}),
      ...(commandTimeoutMs ? { commandTimeoutMs } : {}),
    };
  },
  containers(options) {
    const url = URL.canParse(options.url) ? new URL(options.url) : undefined;
    const server = url ? `${url.hostname}:${url.port || '6379'}${url.pathname.length > 1 ? url.pathname : ''}` : '';
    return [
      // An ElastiCache endpoint starts with the cluster's name, which can carry the prefix.
      { variable: 'REDIS_URL', kind: 'Redis server', name: url?.hostname.split('.')[0] ?? '', id: server },
      { variable: 'REDIS_KEY_PREFIX', kind: 'Redis key prefix', name: options.keyPrefix, id: options.keyPrefix },
    ];
  },
};

export const supabaseRealtime: TargetDefinition<'supabase-realtime', SupabaseRealtimeOptions> = {
  name: 'supabase-realtime',
  port: 'pubsub',
  adapter: 'createSupabaseRealtime (@switchyard/supabase/realtime)',
  required: 'SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY',
  optional: 'SUPABASE_REALTIME_TIMEOUT_MS',
  read({ env }) {
    const timeoutMs = env.wholeNumber('SUPABASE_REALTIME_TIMEOUT_MS', 'milliseconds');
    return {
      url: env.url('SUPABASE_URL', ['http:', 'https:'], 'the project URL, e.g. https://abcdefgh.supabase.co'),
      key: env.required('SUPABASE_SERVICE_ROLE_KEY', 'the service_role key from the project API settings'),
      ...(timeoutMs ? { timeoutMs } : {}),
    };
  },
  containers(options) {
    // A project's host is its random ref: it cannot carry the prefix, so it must be allowed by name.
    const host = URL.canParse(options.url) ? new URL(options.url).host : '';
    return [{ variable: 'SUPABASE_URL', kind: 'Supabase project', name: host.split('.')[0] ?? '', id: host }];
  },
};
