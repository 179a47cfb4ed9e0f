import type { Json } from '@switchyard/core/adapter/pubsub';

/**
 * The wire format: one JSON object per Redis message, `{"id":…,"publishedAt":<ms>,"data":…}`.
 * Any Switchyard process (or another language) reading the same channel can decode it.
 */
export interface Envelope {
  id: string;
  publishedAt: number;
  data: Json;
}

/** Builds the envelope around already-encoded `data`, so a large payload is serialised only once. */
export function encodeEnvelope(id: string, publishedAt: number, encodedData: string): string {
  return `{"id":${JSON.stringify(id)},"publishedAt":${publishedAt},"data":${encodedData}}`;
}

/** Parses a Redis message, or returns undefined for anything that is not a Switchyard envelope. */
export function decodeEnvelope(raw: string): Envelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { id, publishedAt, data } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id.length === 0) return undefined;
  if (typeof publishedAt !== 'number' || !Number.isFinite(publishedAt)) return undefined;
  if (!('data' in value)) return undefined;
  return { id, publishedAt, data: data as Json };
}
