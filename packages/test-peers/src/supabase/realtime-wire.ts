/**
 * The Phoenix channels wire formats Supabase Realtime speaks, for the fake server.
 * - vsn 1.0.0: JSON objects `{join_ref, ref, topic, event, payload}` in text frames.
 * - vsn 2.0.0: JSON arrays `[join_ref, ref, topic, event, payload]` in text frames, plus binary
 *   frames for user broadcasts: kind 3 (client → server "user broadcast push") and kind 4
 *   (server → client "user broadcast").
 * Sources: supabase/realtime lib/realtime_web/socket/v2_serializer.ex; realtime-js
 * src/lib/serializer.ts (2.119); https://supabase.com/docs/guides/realtime/protocol
 */

export type Vsn = '1.0.0' | '2.0.0';

export interface WireMessage {
  join_ref: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: Record<string, unknown>;
}

/** A user broadcast pushed in a binary frame; `payload` is the user payload, already parsed. */
export interface UserBroadcastPush {
  join_ref: string;
  ref: string;
  topic: string;
  userEvent: string;
  payload: unknown;
}

const USER_BROADCAST_PUSH = 3;
const USER_BROADCAST = 4;
const JSON_ENCODING = 1;

export function decodeText(vsn: Vsn, text: string): WireMessage {
  const value = JSON.parse(text);
  if (vsn === '1.0.0') return value as WireMessage;
  if (!Array.isArray(value) || value.length < 5) throw new Error('expected V2 array');
  const [join_ref, ref, topic, event, payload] = value;
  return { join_ref, ref, topic, event, payload };
}

export function encodeText(vsn: Vsn, message: WireMessage): string {
  if (vsn === '1.0.0') return JSON.stringify(message);
  return JSON.stringify([message.join_ref, message.ref, message.topic, message.event, message.payload]);
}

export function decodeUserBroadcastPush(frame: Buffer): UserBroadcastPush {
  if (frame[0] !== USER_BROADCAST_PUSH) throw new Error(`unsupported binary frame kind ${frame[0]}`);
  const [joinRefSize, refSize, topicSize, eventSize, metadataSize, encoding] = [1, 2, 3, 4, 5, 6].map((i) => frame[i]!);
  let offset = 7;
  const take = (size: number) => {
    const part = frame.subarray(offset, offset + size).toString('utf8');
    offset += size;
    return part;
  };
  const join_ref = take(joinRefSize!);
  const ref = take(refSize!);
  const topic = take(topicSize!);
  const userEvent = take(eventSize!);
  take(metadataSize!);
  const body = frame.subarray(offset);
  return { join_ref, ref, topic, userEvent, payload: encoding === JSON_ENCODING ? JSON.parse(body.toString('utf8')) : body };
}

export function encodeUserBroadcast(topic: string, userEvent: string, payloadJson: string): Buffer {
  const topicBytes = Buffer.from(topic);
  const eventBytes = Buffer.from(userEvent);
  const header = Buffer.from([USER_BROADCAST, topicBytes.length, eventBytes.length, 0, JSON_ENCODING]);
  return Buffer.concat([header, topicBytes, eventBytes, Buffer.from(payloadJson)]);
}
