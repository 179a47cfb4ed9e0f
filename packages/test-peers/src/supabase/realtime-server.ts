/**
 * A fake Supabase Realtime server: the Phoenix channels websocket at `/realtime/v1/websocket` and
 * the REST broadcast endpoint `POST /realtime/v1/api/broadcast`, enough of both for Broadcast.
 *
 * Written from:
 * - https://supabase.com/docs/guides/realtime/protocol (connection URL with `apikey` and `vsn`,
 *   `phx_join` with `config`, `phx_reply` carrying `postgres_changes`, `heartbeat` on topic
 *   `phoenix`, `access_token`, `phx_leave`, `phx_close`, `broadcast`);
 * - https://supabase.com/docs/guides/realtime/broadcast ("Broadcast using the REST API":
 *   `{messages: [{topic, event, payload, private}]}`, `apikey` header, 202 Accepted);
 * - supabase/realtime server source: lib/realtime_web/socket/v2_serializer.ex (binary user
 *   broadcast frames), channels/realtime_channel/broadcast_handler.ex (self/ack, an `ok` reply
 *   only with ack, `payload_size_exceeded`), controllers/broadcast_controller.ex (REST, 202/429);
 * - realtime-js 2.119 source in node_modules (RealtimeClient.ts, RealtimeChannel.ts,
 *   lib/serializer.ts) and @supabase/phoenix 0.4.5 (Socket/Channel join, rejoin and heartbeat).
 * Not modelled: Presence, Postgres Changes, private-channel RLS checks (private joins are
 * accepted), rate limits (see `failNextRest`), JWT verification (keys are opaque strings).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { decodeText, decodeUserBroadcastPush, encodeText, encodeUserBroadcast, type Vsn, type WireMessage } from './realtime-wire.js';

interface Join {
  joinRef: string | null;
  self: boolean;
  ack: boolean;
}

interface Client {
  ws: WebSocket;
  key: string;
  vsn: Vsn;
  joins: Map<string, Join>;
}

export interface FakeRealtimeOptions {
  /** Largest broadcast payload, in bytes of its JSON. Default 256 × 1024 (the Free plan). */
  maxPayloadBytes?: number;
}

export class FakeRealtime {
  /** Broadcasts the fake accepted, by path. */
  readonly received = { socket: 0, rest: 0 };
  private readonly keys = new Set<string>();
  private readonly clients = new Set<Client>();
  private readonly restFailures: number[] = [];
  private readonly maxPayloadBytes: number;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    options: FakeRealtimeOptions,
  ) {
    this.maxPayloadBytes = options.maxPayloadBytes ?? 256 * 1024;
  }

  /** Starts the fake on a free port of 127.0.0.1. */
  static async start(options: FakeRealtimeOptions = {}): Promise<FakeRealtime> {
    const wss = new WebSocketServer({ noServer: true });
    let fake: FakeRealtime | undefined;
    const server = createServer((req, res) => fake!.handleHttp(req, res));
    fake = new FakeRealtime(server, wss, options);
    server.on('upgrade', (req, socket, head) => fake!.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The project URL to give supabase-js. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Registers and returns a new valid API key; sockets are counted per key. */
  newKey(): string {
    const key = `fake-realtime-${randomBytes(12).toString('hex')}`;
    this.keys.add(key);
    return key;
  }

  /** Open sockets connected with `key`. */
  openSockets(key: string): number {
    return [...this.clients].filter((client) => client.key === key && client.ws.readyState === client.ws.OPEN).length;
  }

  /** Cuts every socket of `key` without a close handshake, as a network failure or a server restart would. */
  dropSockets(key: string): number {
    let dropped = 0;
    for (const client of this.clients) {
      if (client.key !== key) continue;
      client.ws.terminate();
      this.clients.delete(client);
      dropped++;
    }
    return dropped;
  }

  /** Closes channel `topic` (without `realtime:`) on every socket with `phx_close`, as the server does when a token expires. */
  closeChannel(topic: string): void {
    const fullTopic = `realtime:${topic}`;
    for (const client of this.clients) {
      const join = client.joins.get(fullTopic);
      if (!join) continue;
      client.joins.delete(fullTopic);
      this.send(client, { join_ref: join.joinRef, ref: join.joinRef, topic: fullTopic, event: 'phx_close', payload: {} });
    }
  }

  /** Makes the next REST broadcast answer `status` (429 for the rate limit, 500, …). */
  failNextRest(status: number): void {
    this.restFailures.push(status);
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.ws.terminate();
    this.clients.clear();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handleUpgrade(req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const key = url.searchParams.get('apikey') ?? '';
    const vsn = (url.searchParams.get('vsn') ?? '1.0.0') as Vsn;
    if (url.pathname !== '/realtime/v1/websocket' || !this.keys.has(key) || (vsn !== '1.0.0' && vsn !== '2.0.0')) {
      socket.end(`HTTP/1.1 ${this.keys.has(key) ? 404 : 401} Refused\r\nConnection: close\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = { ws, key, vsn, joins: new Map() };
      this.clients.add(client);
      ws.on('close', () => this.clients.delete(client));
      ws.on('error', () => this.clients.delete(client));
      ws.on('message', (data, isBinary) => {
        try {
          if (isBinary) this.onUserBroadcastPush(client, data as Buffer);
          else this.onMessage(client, decodeText(vsn, data.toString()));
        } catch {
          // Phoenix closes a socket that sends an undecodable frame.
          ws.close(1003, 'invalid message');
        }
      });
    });
  }

  private onMessage(client: Client, message: WireMessage): void {
    const { topic, event, payload } = message;
    if (topic === 'phoenix' && event === 'heartbeat') {
      this.reply(client, message, 'ok', {});
      return;
    }
    if (event === 'phx_join') {
      this.join(client, message);
      return;
    }
    const join = client.joins.get(topic);
    if (!join) {
      this.reply(client, message, 'error', { reason: 'unmatched topic' });
      return;
    }
    if (event === 'phx_leave') {
      client.joins.delete(topic);
      this.reply(client, message, 'ok', {});
      this.send(client, { join_ref: join.joinRef, ref: join.joinRef, topic, event: 'phx_close', payload: {} });
      return;
    }
    if (event === 'access_token') return;
    if (event === 'broadcast') {
      this.broadcast(client, join, message.ref, topic, String(payload.event), payload.payload, false);
      return;
    }
    this.reply(client, message, 'error', { reason: `unsupported event ${event}` });
  }

  private join(client: Client, message: WireMessage): void {
    const { topic } = message;
    if (!topic.startsWith('realtime:')) {
      this.reply(client, message, 'error', { reason: 'unmatched topic' });
      return;
    }
    const previous = client.joins.get(topic);
    // A second join of a topic replaces the first, which Phoenix closes.
    if (previous) this.send(client, { join_ref: previous.joinRef, ref: previous.joinRef, topic, event: 'phx_close', payload: {} });
    const config = (message.payload.config ?? {}) as { broadcast?: { self?: boolean; ack?: boolean } };
    client.joins.set(topic, {
      joinRef: message.join_ref ?? message.ref,
      self: config.broadcast?.self === true,
      ack: config.broadcast?.ack === true,
    });
    this.reply(client, message, 'ok', { postgres_changes: [] });
  }

  private onUserBroadcastPush(client: Client, frame: Buffer): void {
    if (client.vsn !== '2.0.0') throw new Error('binary frames need vsn 2.0.0');
    const push = decodeUserBroadcastPush(frame);
    const join = client.joins.get(push.topic);
    const message = { join_ref: push.join_ref, ref: push.ref, topic: push.topic, event: 'broadcast', payload: {} };
    if (!join) {
      this.reply(client, message, 'error', { reason: 'unmatched topic' });
      return;
    }
    this.broadcast(client, join, push.ref, push.topic, push.userEvent, push.payload, true);
  }

  private broadcast(
    sender: Client | undefined,
    join: Join | undefined,
    ref: string | null,
    topic: string,
    event: string,
    payload: unknown,
    binary: boolean,
  ): void {
    const json = JSON.stringify(payload ?? {});
    if (Buffer.byteLength(json) > this.maxPayloadBytes) {
      if (sender && join?.ack)
        this.reply(sender, { join_ref: join.joinRef, ref, topic, event: 'broadcast', payload: {} }, 'error', {
          reason: 'payload_size_exceeded',
        });
      return;
    }
    if (sender) this.received.socket++;
    else this.received.rest++;
    for (const client of this.clients) {
      if (!client.joins.has(topic) || (client === sender && !join?.self)) continue;
      if (binary && client.vsn === '2.0.0') {
        client.ws.send(encodeUserBroadcast(topic, event, json));
      } else {
        this.send(client, { join_ref: null, ref: null, topic, event: 'broadcast', payload: { type: 'broadcast', event, payload } });
      }
    }
    if (sender && join?.ack) this.reply(sender, { join_ref: join.joinRef, ref, topic, event: 'broadcast', payload: {} }, 'ok', {});
  }

  private reply(client: Client, to: WireMessage, status: 'ok' | 'error', response: Record<string, unknown>): void {
    this.send(client, { join_ref: to.join_ref, ref: to.ref, topic: to.topic, event: 'phx_reply', payload: { status, response } });
  }

  private send(client: Client, message: WireMessage): void {
    if (client.ws.readyState === client.ws.OPEN) client.ws.send(encodeText(client.vsn, message));
  }

  private handleHttp(req: IncomingMessage, res: ServerResponse): void {
    const respond = (status: number, body?: unknown) => {
      res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/realtime/v1/api/broadcast') {
      respond(404, { message: 'no route' });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const key = req.headers.apikey;
      if (typeof key !== 'string' || !this.keys.has(key)) {
        respond(401, { message: 'Invalid API key' });
        return;
      }
      const failure = this.restFailures.shift();
      if (failure !== undefined) {
        respond(failure, { message: failure === 429 ? 'You have exceeded your rate limit' : 'failure' });
        return;
      }
      let body: { messages?: { topic?: unknown; event?: unknown; payload?: unknown }[] };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return respond(400, { message: 'invalid JSON' });
      }
      const messages = body?.messages;
      const valid =
        Array.isArray(messages) &&
        messages.length > 0 &&
        messages.every(
          (m) => typeof m?.topic === 'string' && typeof m.event === 'string' && typeof m.payload === 'object' && m.payload !== null,
        );
      if (!valid) {
        respond(422, { errors: { messages: ['is invalid'] } });
        return;
      }
      if (messages.some((m) => Buffer.byteLength(JSON.stringify(m.payload)) > this.maxPayloadBytes)) {
        return respond(422, { errors: { messages: ['Payload size exceeds tenant limit'] } });
      }
      for (const m of messages) this.broadcast(undefined, undefined, null, `realtime:${m.topic}`, m.event as string, m.payload, false);
      respond(202);
    });
  }
}
