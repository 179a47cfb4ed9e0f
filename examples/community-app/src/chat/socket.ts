import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type AuthUser, type Json, SwitchyardError } from '@switchyard/core';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { userChannel } from '../notices.js';
import type { App } from '../router.js';
import { socketUser } from '../session.js';
import { statusFor } from '../status.js';
import type { ChatListener } from './hub.js';
import { assertCanSee, type ChatMessage, conversationChannel, conversationId, history, storeMessage } from './messages.js';

export const SOCKET_PATH = '/chat/socket';
/** Browsers answer pings by themselves; a socket that misses one is gone (a laptop lid, a dead proxy). */
const PING_MS = 25_000;
const MAX_FRAME_BYTES = 16 * 1024;
const MAX_JOINED = 50;
/** Close code for "Service Restart" (RFC 6455 registry): the client reconnects, perhaps to another instance. */
export const CLOSE_RESTART = 1012;
/** Application close code: the account was deleted; the client must not reconnect. */
export const CLOSE_ACCOUNT_DELETED = 4003;

type ClientFrame =
  | { type: 'join'; conversationId: string; after?: string }
  | { type: 'leave'; conversationId: string }
  | { type: 'send'; conversationId: string; text: string; ref?: string };

/** One browser's socket: the conversations it joined and the user's own notices. */
class ChatConnection implements ChatListener {
  private readonly joined = new Set<string>();
  private alive = true;
  private readonly pinger: NodeJS.Timeout;
  readonly userId: string;

  constructor(
    private readonly app: App,
    private readonly ws: WebSocket,
    private readonly user: AuthUser,
  ) {
    this.userId = user.id;
    this.pinger = setInterval(() => this.ping(), PING_MS);
    this.pinger.unref();
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('message', (raw) => void this.receive(raw));
    ws.once('close', () => void this.stop());
  }

  async start(): Promise<void> {
    this.app.connections.add(this);
    this.joined.add(userChannel(this.user.id));
    await this.app.hub.join(userChannel(this.user.id), this);
    this.send({ type: 'ready', user: { id: this.user.id } });
  }

  deliver(channel: string, data: Json): void {
    if (channel === userChannel(this.user.id)) {
      this.send({ type: 'notice', notice: data });
      if ((data as { type?: unknown }).type === 'account-deleted') this.ws.close(CLOSE_ACCOUNT_DELETED, 'account deleted');
    } else {
      this.send({ type: 'message', message: data });
    }
  }

  /** Asks the client to reconnect (to this instance once it is back, or to another). */
  restart(): void {
    this.ws.close(CLOSE_RESTART, 'server restarting');
  }

  private ping(): void {
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  private send(frame: Record<string, Json>): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private async receive(raw: RawData): Promise<void> {
    let frame: ClientFrame;
    try {
      frame = parseFrame(raw);
    } catch (error) {
      this.reply(error);
      return;
    }
    try {
      if (frame.type === 'join') await this.join(conversationId(frame.conversationId), frame.after);
      else if (frame.type === 'leave') await this.leave(conversationId(frame.conversationId));
      else await this.post(conversationId(frame.conversationId), frame.text, frame.ref);
    } catch (error) {
      this.reply(error, frame);
    }
  }

  /** Subscribes before reading history, so nothing published in between is missed (the client drops doubles by id). */
  private async join(conversation: string, after: string | undefined): Promise<void> {
    const channel = conversationChannel(conversation);
    if (!this.joined.has(channel)) {
      if (this.joined.size > MAX_JOINED)
        throw new SwitchyardError({ code: 'RATE_LIMITED', message: `Join at most ${MAX_JOINED} conversations at once.` });
      await assertCanSee(this.app.db, this.user, conversation);
      this.joined.add(channel);
      try {
        await this.app.hub.join(channel, this);
      } catch (error) {
        this.joined.delete(channel);
        throw error;
      }
    }
    const messages = await history(this.app.db, this.user, conversation, after);
    this.send({ type: 'history', conversationId: conversation, messages });
  }

  private async leave(conversation: string): Promise<void> {
    const channel = conversationChannel(conversation);
    if (this.joined.delete(channel)) await this.app.hub.leave(channel, this);
  }

  private async post(conversation: string, text: string, ref: string | undefined): Promise<void> {
    const message = await storeMessage(this.app.db, this.user, conversation, text);
    this.send({ type: 'sent', ref: ref ?? null, message });
    await publishMessage(this.app, message);
  }

  private reply(error: unknown, frame?: ClientFrame): void {
    const known = SwitchyardError.isInstance(error);
    if (!known || statusFor(error.code) >= 500) this.app.log('chat socket request failed', error);
    this.send({
      type: 'error',
      ref: frame && 'ref' in frame ? (frame.ref ?? null) : null,
      conversationId: frame?.conversationId ?? null,
      code: known ? error.code : 'INTERNAL',
      message: known ? error.message : 'Something went wrong on the server; the details are in its log.',
    });
  }

  private async stop(): Promise<void> {
    clearInterval(this.pinger);
    this.app.connections.delete(this);
    const channels = [...this.joined];
    this.joined.clear();
    await Promise.all(channels.map((channel) => this.app.hub.leave(channel, this)));
  }
}

/**
 * Broadcasts a stored message on its conversation's channel with the message's own id. Pub/sub is
 * at-most-once and the message is already stored: a failed broadcast is logged, and listeners get
 * the message from history when they next join or reconnect.
 */
export async function publishMessage(app: App, message: ChatMessage): Promise<void> {
  try {
    await app.pubsub.publish(conversationChannel(message.conversationId), message, { id: message.id });
  } catch (error) {
    app.log(`could not broadcast message ${message.id}`, error);
  }
}

function parseFrame(raw: RawData): ClientFrame {
  let frame: unknown;
  try {
    frame = JSON.parse(String(raw));
  } catch {
    frame = undefined;
  }
  const type = (frame as { type?: unknown } | undefined)?.type;
  if (type === 'join' || type === 'leave' || type === 'send') return frame as ClientFrame;
  throw new SwitchyardError({ code: 'INVALID_INPUT', message: 'Send JSON frames of type join, leave or send.' });
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** A cross-site page must not open a socket with this user's cookies (cross-site WebSocket hijacking). */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** Serves `GET /chat/socket` upgrades on `server`: signed-in, same-origin clients only. */
export function acceptChatSockets(server: Server, appOf: () => App | undefined): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void (async () => {
      const app = appOf();
      if (!app) return refuse(socket, 503, 'Service Unavailable');
      if (new URL(req.url ?? '/', app.origin).pathname !== SOCKET_PATH) return refuse(socket, 404, 'Not Found');
      if (!sameOrigin(req)) return refuse(socket, 403, 'Forbidden');
      let user: AuthUser;
      try {
        user = await socketUser(app, req);
      } catch {
        // The page refreshes its session over HTTP (GET /me) and reconnects.
        return refuse(socket, 401, 'Unauthorized');
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        new ChatConnection(app, ws, user).start().catch((error: unknown) => {
          app.log('chat socket could not start', error);
          ws.close(1011, 'could not start');
        });
      });
    })().catch((error: unknown) => {
      appOf()?.log('chat socket upgrade failed', error);
      socket.destroy();
    });
  });
  return wss;
}
