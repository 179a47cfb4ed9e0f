import { randomUUID } from 'node:crypto';
import type { Json, Message } from '@switchyard/core/adapter/pubsub';

/**
 * Room for `{"id":<≤130 bytes>,"publishedAt":<13 digits>,"data":…}` around the data, so a message
 * whose data fits `capabilities.maxPayloadBytes` also fits the server's payload limit.
 */
export const ENVELOPE_OVERHEAD_BYTES = 256;

/** The broadcast payload: what a Supabase client listening with `.on('broadcast', { event })` sees as `payload`. */
export interface Envelope {
  id: string;
  publishedAt: number;
  data: Json;
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { id, publishedAt } = value as Record<string, unknown>;
  return typeof id === 'string' && id.length > 0 && typeof publishedAt === 'number' && Number.isFinite(publishedAt) && 'data' in value;
}

/**
 * Turns a received broadcast into a Message. A payload that is not an envelope (sent by a
 * supabase-js client directly, or by `realtime.send()` in the database) is delivered as `data`,
 * with the server's message id when it gives one and the arrival time.
 */
export function toMessage(channel: string, broadcast: { payload?: unknown; meta?: { id?: unknown } }): Message {
  const { payload } = broadcast;
  if (isEnvelope(payload)) {
    return { id: payload.id, channel, data: payload.data, publishedAt: new Date(payload.publishedAt) };
  }
  const serverId = broadcast.meta?.id;
  return {
    id: typeof serverId === 'string' && serverId !== '' ? serverId : randomUUID(),
    channel,
    data: (payload ?? null) as Json,
    publishedAt: new Date(),
  };
}
