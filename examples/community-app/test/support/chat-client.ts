import WebSocket from 'ws';
import type { Client } from './http.js';

export type Frame = { type: string } & Record<string, unknown>;

/** A chat socket as the page opens it (same origin, session cookie), with every frame it received. */
export interface ChatClient {
  frames: Frame[];
  /** Resolves with the first frame (already received or still to come) that matches. */
  next(predicate: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  send(frame: Record<string, unknown>): void;
  /** Joins and returns the history frame. */
  join(conversationId: string, after?: string): Promise<Frame>;
  /** Resolves with the close code. */
  closed: Promise<number>;
  close(): void;
}

export async function openChat(baseUrl: string, client: Client, origin = baseUrl): Promise<ChatClient> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/chat/socket`, { headers: { cookie: client.cookie, origin } });
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
  });
  const chat: ChatClient = {
    frames,
    next(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = frames.find(predicate);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames.map((f) => f.type))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    send: (frame) => ws.send(JSON.stringify(frame)),
    async join(conversationId, after) {
      const before = frames.length;
      chat.send({ type: 'join', conversationId, ...(after ? { after } : {}) });
      return chat.next(
        (f) => frames.indexOf(f) >= before && (f.type === 'history' || f.type === 'error') && f.conversationId === conversationId,
      );
    },
    closed,
    close: () => ws.close(),
  };
  await chat.next((f) => f.type === 'ready');
  return chat;
}
