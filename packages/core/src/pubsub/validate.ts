import { SwitchyardError } from '../errors.js';
import type { Json, Topic } from './port.js';

/** Longest channel name; Supabase Realtime topics and Redis keys both take this comfortably. */
export const MAX_CHANNEL_LENGTH = 255;
const CHANNEL = /^[A-Za-z0-9_\-:.@/]+$/;
const PATTERN = /^[A-Za-z0-9_\-:.@/*]+$/;

interface Context {
  provider: string;
  operation: string;
}

function invalid(context: Context, message: string): SwitchyardError {
  return new SwitchyardError({ code: 'INVALID_INPUT', port: 'pubsub', ...context, message });
}

/** Throws `INVALID_INPUT` unless `channel` is a valid channel name. */
export function validateChannel(channel: unknown, context: Context): asserts channel is string {
  if (typeof channel !== 'string' || channel.length === 0 || channel.length > MAX_CHANNEL_LENGTH || !CHANNEL.test(channel)) {
    throw invalid(
      context,
      `Invalid channel ${JSON.stringify(channel)}: use 1–${MAX_CHANNEL_LENGTH} characters from letters, digits and _-:.@/`,
    );
  }
}

/** Validates a topic and returns it as `{channel}` or `{pattern}`. */
export function parseTopic(topic: Topic, context: Context): { channel: string } | { pattern: string } {
  if (typeof topic === 'string') {
    validateChannel(topic, context);
    return { channel: topic };
  }
  const pattern = topic?.pattern;
  if (typeof pattern !== 'string' || pattern.length === 0 || pattern.length > MAX_CHANNEL_LENGTH || !PATTERN.test(pattern)) {
    throw invalid(context, `Invalid pattern ${JSON.stringify(pattern)}: use channel characters and "*" as the wildcard.`);
  }
  return { pattern };
}

/** Compiles a `*` glob to a RegExp anchored at both ends. */
export function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`);
}

/** UTF-8 length without encoding a copy: Buffer.byteLength on Node, TextEncoder elsewhere. */
const utf8Length: (text: string) => number =
  typeof Buffer === 'function'
    ? (text) => Buffer.byteLength(text, 'utf8')
    : (() => {
        const encoder = new TextEncoder();
        return (text) => encoder.encode(text).length;
      })();

/** Serialises `data`, throwing `INVALID_INPUT` when it is not JSON or is larger than `maxBytes`. */
export function encodePayload(data: Json, maxBytes: number, context: Context): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (cause) {
    throw new SwitchyardError({
      code: 'INVALID_INPUT',
      port: 'pubsub',
      ...context,
      cause,
      message: 'Message data must be JSON-serialisable (no cycles or BigInt).',
    });
  }
  if (text === undefined) throw invalid(context, 'Message data must be a JSON value, not undefined or a function.');
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so most payloads need no exact count.
  if (text.length * 3 <= maxBytes) return text;
  const size = utf8Length(text);
  if (size > maxBytes) {
    throw invalid(
      context,
      `Message data is ${size} bytes of JSON; this provider accepts at most ${maxBytes}. Send a storage key instead of the content.`,
    );
  }
  return text;
}

/** Throws `INVALID_INPUT` for a caller-chosen id that is not a short printable string. */
export function validateMessageId(id: unknown, context: Context): void {
  if (id !== undefined && (typeof id !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(id))) {
    throw invalid(context, 'A message id must be 1–128 printable ASCII characters without spaces.');
  }
}
