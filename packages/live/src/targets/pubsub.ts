import { redisAdapter } from '@switchyard/aws/adapters';
import { supabaseRealtime as supabaseRealtimeAdapter } from '@switchyard/supabase/adapters';
import { defineTarget } from './definition.js';

export const awsRedis = defineTarget({
  name: 'aws-redis',
  port: 'pubsub',
  descriptor: redisAdapter,
  notes: { REDIS_URL: 'one server, which the sweep scans', REDIS_KEY_PREFIX: 'must carry the prefix; default: SWITCHYARD_LIVE_PREFIX' },
  // The sweep scans one server for the prefix's keys; a cluster spreads them over its shards.
  refuses: {
    variables: ['REDIS_CLUSTER_NODES', 'REDIS_CLUSTER_SHARDED', 'REDIS_USERNAME', 'REDIS_PASSWORD', 'REDIS_TLS'],
    why: 'the live tier runs aws-redis on the one server REDIS_URL names, which its sweep scans',
  },
  // `url` is unset only when a problem was reported: the plan is then refused.
  adjust: (options, { prefix }) => ({ ...options, url: options.url ?? '', keyPrefix: options.keyPrefix ?? prefix }),
  containers(options) {
    const url = URL.canParse(options.url) ? new URL(options.url) : undefined;
    const server = url ? `${url.hostname}:${url.port || '6379'}${url.pathname.length > 1 ? url.pathname : ''}` : '';
    return [
      // An ElastiCache endpoint starts with the cluster's name, which can carry the prefix.
      { variable: 'REDIS_URL', kind: 'Redis server', name: url?.hostname.split('.')[0] ?? '', id: server },
      { variable: 'REDIS_KEY_PREFIX', kind: 'Redis key prefix', name: options.keyPrefix, id: options.keyPrefix },
    ];
  },
});

export const supabaseRealtime = defineTarget({
  name: 'supabase-realtime',
  port: 'pubsub',
  descriptor: supabaseRealtimeAdapter,
  notes: { SUPABASE_URL: 'its host listed in SWITCHYARD_LIVE_ALLOW' },
  containers(options) {
    // A project's host is its random ref: it cannot carry the prefix, so it must be allowed by name.
    const host = URL.canParse(options.url) ? new URL(options.url).host : '';
    return [{ variable: 'SUPABASE_URL', kind: 'Supabase project', name: '', id: host, unprefixable: "a project's host is its random ref" }];
  },
});
