import { randomUUID } from 'node:crypto';
import { sql } from '@switchyard/core';
import { fail, readJson, sendJson, stringField } from '../http.js';
import type { RequestContext, Route } from '../router.js';
import { authenticate } from '../session.js';
import { asDbUser } from './profile.js';

const ROOM = /^[a-z0-9][a-z0-9-]{0,39}$/;
const MAX_TEXT = 2000;
const HISTORY = 50;
/** Proxies drop idle connections; a comment line now and then keeps the stream open. */
const HEARTBEAT_MS = 15_000;

/** What subscribers receive on `chat:<room>`; a type alias (not an interface) so it is `Json`. */
export type ChatMessage = { id: string; author: string; text: string; createdAt: string };

interface MessageRow {
  id: string;
  author: string;
  text: string;
  created_at: Date | string;
}

function toMessage(row: MessageRow): ChatMessage {
  return { id: row.id, author: row.author, text: row.text, createdAt: new Date(row.created_at).toISOString() };
}

function roomOf(ctx: RequestContext): string {
  const room = ctx.params.room ?? '';
  if (!ROOM.test(room)) throw fail('INVALID_INPUT', 'A room name is 1–40 lower-case letters, digits and "-".');
  return room;
}

/** Stores the message, then publishes it with the same id so clients can match stream and history. */
async function postMessage(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const room = roomOf(ctx);
  const text = stringField(await readJson(ctx.req), 'text', MAX_TEXT);
  const row = await ctx.app.db.asUser(asDbUser(user), (tx) =>
    tx.one<MessageRow>(sql`
      insert into messages (id, room, author, text) values (${randomUUID()}, ${room}, ${user.id}, ${text})
      returning id, author, text, created_at`),
  );
  const message = toMessage(row);
  try {
    await ctx.app.pubsub.publish<ChatMessage>(`chat:${room}`, message, { id: message.id });
  } catch (error) {
    // Pub/sub is at-most-once and the message is already stored: listeners will see it in the
    // history, so a failed broadcast is logged rather than turned into a failed post.
    ctx.app.log(`could not broadcast message ${message.id}`, error);
  }
  sendJson(ctx.res, 201, { message });
}

async function listMessages(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const room = roomOf(ctx);
  const { rows } = await ctx.app.db.asUser(asDbUser(user), (tx) =>
    tx.query<MessageRow>(sql`
      select id, author, text, created_at from messages where room = ${room}
      order by created_at desc, id desc limit ${HISTORY}`),
  );
  sendJson(ctx.res, 200, { messages: rows.reverse().map(toMessage) });
}

/** Server-sent events: every message published on the room's channel from now on. */
async function stream(ctx: RequestContext): Promise<void> {
  await authenticate(ctx);
  const room = roomOf(ctx);
  const { req, res, app } = ctx;
  const subscription = await app.pubsub.subscribe<ChatMessage>(`chat:${room}`, (message) => {
    res.write(`id: ${message.id}\nevent: message\ndata: ${JSON.stringify(message.data)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const stop = () => {
    clearInterval(heartbeat);
    app.streams.delete(res);
    subscription.unsubscribe().catch((error: unknown) => app.log('unsubscribe failed', error));
  };
  res.on('close', stop);
  // The client may have gone while we subscribed; 'close' has then already fired.
  if (req.socket.destroyed) return stop();
  app.streams.add(res);
  // Headers go out only now, so a client that sees the response knows the subscription is live.
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
  res.write(': connected\n\n');
}

export const chatRoutes: Route[] = [
  { method: 'POST', path: '/chat/:room/messages', handler: postMessage },
  { method: 'GET', path: '/chat/:room/messages', handler: listMessages },
  { method: 'GET', path: '/chat/:room/stream', handler: stream },
];
