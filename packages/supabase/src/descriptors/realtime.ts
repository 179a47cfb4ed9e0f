import { describeAdapter, setting } from '@switchyard/core/adapter/descriptor';
import type { PubSubPort } from '@switchyard/core/adapter/pubsub';
import type { SupabaseRealtimeOptions } from '../realtime/options.js';
import { defined, milliseconds, projectUrl, serviceRoleKey, wholeNumber } from './settings.js';

/** `SWITCHYARD_PUBSUB=supabase`: Supabase Realtime Broadcast through supabase-js. */
export const supabaseRealtime = describeAdapter({
  name: 'supabase',
  port: 'pubsub',
  module: '@switchyard/supabase/realtime',
  description: 'Supabase Realtime Broadcast: one Realtime channel per channel name; publishing without a socket goes through REST.',
  settings: {
    url: projectUrl,
    key: serviceRoleKey,
    timeoutMs: milliseconds('SUPABASE_REALTIME_TIMEOUT_MS', {
      description: 'milliseconds a join, an acknowledged send or a REST publish may take',
      example: '10000',
      default: '10000',
    }),
    transport: setting.maybeOneOf('SUPABASE_REALTIME_TRANSPORT', ['global', 'ws'] as const, {
      description: "the WebSocket implementation: the runtime's global WebSocket, or the ws package",
      example: 'ws',
      default: 'the global WebSocket (Node 22+), else ws when installed',
    }),
    event: setting.optional('SUPABASE_REALTIME_EVENT', {
      description: 'the broadcast event name every message uses; clients of the same channel must use the same',
      example: 'message',
      default: 'message',
    }),
    maxPayloadBytes: wholeNumber('SUPABASE_REALTIME_MAX_PAYLOAD_BYTES', "the plan's broadcast payload limit in bytes", {
      description: "the project's broadcast payload limit in bytes: 262144 on Free, 3072000 on Pro",
      example: '3072000',
      default: '262144',
    }),
    private: setting.boolean('SUPABASE_REALTIME_PRIVATE', false, {
      description: 'use private channels (Realtime Authorization by RLS on realtime.messages)',
      example: 'true',
    }),
    maxReconnectDelayMs: milliseconds('SUPABASE_REALTIME_MAX_RECONNECT_DELAY_MS', {
      description: 'the longest pause between reconnect attempts of the socket',
      example: '2500',
      default: 'a quarter of SUPABASE_REALTIME_TIMEOUT_MS',
    }),
    heartbeatIntervalMs: milliseconds('SUPABASE_REALTIME_HEARTBEAT_INTERVAL_MS', {
      description: 'how often the socket sends a heartbeat; one left unanswered reopens it',
      example: '25000',
      default: '25000',
    }),
  },
  options: (values): SupabaseRealtimeOptions =>
    defined({
      url: values.url,
      key: values.key,
      timeoutMs: values.timeoutMs,
      transport: values.transport,
      event: values.event,
      maxPayloadBytes: values.maxPayloadBytes,
      private: values.private || undefined,
      maxReconnectDelayMs: values.maxReconnectDelayMs,
      heartbeatIntervalMs: values.heartbeatIntervalMs,
    }) as SupabaseRealtimeOptions,
  // Without a global WebSocket (Node 20) the default transport is ws too.
  peers: (options) =>
    options.transport === 'ws' || (options.transport === undefined && typeof globalThis.WebSocket !== 'function')
      ? ['@supabase/supabase-js', 'ws']
      : ['@supabase/supabase-js'],
  async create(options, context): Promise<PubSubPort> {
    const { createSupabaseRealtime } = await import('../realtime/index.js');
    return createSupabaseRealtime({ ...options, ...(context.onEvent ? { onEvent: context.onEvent } : {}) });
  },
});
