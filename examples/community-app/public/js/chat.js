/**
 * The chat socket: joins conversations, sends messages, and survives a dropped connection. After a
 * reconnect it joins again with the id of the last message it has, and the server sends what came
 * since; messages are kept by id, so one heard twice (history and live, or two deliveries during a
 * rolling redeploy) is shown once.
 */

const RETRY_MS = [250, 500, 1000, 2000, 5000, 10000];
/** The server closes with this code when the account was deleted: no reconnect. */
const ACCOUNT_DELETED = 4003;

export class ChatSocket {
  /** @param {{onMessage: Function, onNotice: Function, onState: Function, onError: Function}} handlers */
  constructor(handlers) {
    this.handlers = handlers;
    /** conversation id → Map(message id → message) */
    this.conversations = new Map();
    this.pending = new Map();
    this.attempt = 0;
    this.stopped = false;
  }

  connect() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/chat/socket`);
    this.ws = ws;
    this.handlers.onState('connecting');
    ws.onmessage = (event) => this.receive(JSON.parse(event.data));
    ws.onclose = (event) => this.closed(ws, event.code);
  }

  /** Closes the socket as a network drop would (for trying the reconnect by hand). */
  drop() {
    this.ws?.close(4000, 'dropped by the page');
  }

  stop() {
    this.stopped = true;
    this.ws?.close(1000, 'page closed');
  }

  /** Starts following a conversation; its history (or what was missed) arrives through onMessage. */
  join(conversationId) {
    if (!this.conversations.has(conversationId)) this.conversations.set(conversationId, new Map());
    this.sendJoin(conversationId);
  }

  /** The conversation's messages in order. */
  messages(conversationId) {
    return [...(this.conversations.get(conversationId)?.values() ?? [])].sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    );
  }

  /** Resolves with the stored message once the server acknowledges it; rejects when it could not be sent. */
  send(conversationId, text) {
    if (this.ws?.readyState !== WebSocket.OPEN) return Promise.reject(new Error('Not connected; try again in a moment.'));
    const ref = crypto.randomUUID();
    this.ws.send(JSON.stringify({ type: 'send', conversationId, text, ref }));
    return new Promise((resolve, reject) => this.pending.set(ref, { resolve, reject }));
  }

  sendJoin(conversationId) {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    const after = this.messages(conversationId).at(-1)?.id;
    this.ws.send(JSON.stringify({ type: 'join', conversationId, ...(after ? { after } : {}) }));
  }

  receive(frame) {
    if (frame.type === 'ready') {
      this.attempt = 0;
      this.handlers.onState('online');
      for (const id of this.conversations.keys()) this.sendJoin(id);
    } else if (frame.type === 'message') {
      this.add(frame.message);
    } else if (frame.type === 'history') {
      for (const message of frame.messages) this.add(message, true);
      this.handlers.onMessage(frame.conversationId);
    } else if (frame.type === 'sent') {
      this.add(frame.message);
      this.pending.get(frame.ref)?.resolve(frame.message);
      this.pending.delete(frame.ref);
    } else if (frame.type === 'notice') {
      this.handlers.onNotice(frame.notice);
    } else if (frame.type === 'error') {
      const waiting = this.pending.get(frame.ref);
      this.pending.delete(frame.ref);
      if (waiting) waiting.reject(new Error(frame.message));
      else this.handlers.onError(frame);
    }
  }

  /** Keeps one copy per id; tells the page only about conversations it follows. */
  add(message, quiet = false) {
    const messages = this.conversations.get(message.conversationId);
    if (!messages || messages.has(message.id)) return;
    messages.set(message.id, message);
    if (!quiet) this.handlers.onMessage(message.conversationId);
  }

  async closed(ws, code) {
    if (ws !== this.ws) return;
    for (const { reject } of this.pending.values())
      reject(new Error('The connection dropped before the message was confirmed; check and send again.'));
    this.pending.clear();
    if (this.stopped || code === ACCOUNT_DELETED) {
      this.handlers.onState('offline');
      return;
    }
    this.handlers.onState('reconnecting');
    const delay = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)];
    await new Promise((resolve) => setTimeout(resolve, delay));
    // The socket is refused when the access cookie expired; any API call renews it from the refresh cookie.
    await fetch('/me').catch(() => undefined);
    if (!this.stopped) this.connect();
  }
}
