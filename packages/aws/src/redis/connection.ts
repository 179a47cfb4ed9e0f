import { SwitchyardError } from '@switchyard/core';
import type { RedisClient } from './client.js';
import { closedError, isFatalConnectionError, toSwitchyardError } from './errors.js';
import { ReplyWatchdog } from './reply-watchdog.js';

/** How long `close()` lets QUIT and the socket shutdown take before it stops waiting. */
const CLOSE_GRACE_MS = 2_000;

/**
 * One ioredis client and its lifecycle: a bounded wait for 'ready' before each call and, through
 * `reply`, for the answer; the last connection error (so a failure says why), a hook for every
 * re-established connection, and a close that always ends with the socket gone.
 */
export class Connection {
  private lastError: unknown;
  /** close() was called: no new calls. */
  private closing = false;
  /** close() finished: the socket is gone. */
  private released = false;
  /** Calls waiting in ready(), failed at once by close(). */
  private readonly waiting = new Set<() => void>();
  private readyCount = 0;
  private readonly watchdog: ReplyWatchdog;

  constructor(
    readonly client: RedisClient,
    private readonly connectTimeoutMs: number,
    commandTimeoutMs: number,
    onReconnect?: () => void,
  ) {
    this.watchdog = new ReplyWatchdog(commandTimeoutMs);
    // ioredis re-emits socket and reply errors as 'error' events; with no listener it logs them to
    // the console, and an EventEmitter 'error' without a listener would crash the process.
    client.on('error', (error: unknown) => {
      this.lastError = error;
    });
    client.on('ready', () => {
      this.readyCount++;
      if (this.readyCount > 1) onReconnect?.();
    });
  }

  /** True until the connection is closed and its socket is gone. */
  isOpen(): boolean {
    return !this.released && this.client.status !== 'end';
  }

  /**
   * Resolves once the client is ready. Waits at most `connectTimeoutMs` (UNAVAILABLE, retryable,
   * with the last socket error as cause); fails at once on a credentials error, which no reconnect fixes.
   */
  async ready(operation: string): Promise<void> {
    if (this.closing) throw closedError(operation);
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        this.waiting.delete(onClose);
        this.client.off('ready', onReady);
        this.client.off('error', onError);
        this.client.off('end', onEnd);
      };
      const onReady = () => {
        cleanup();
        resolve();
      };
      const onError = (error: unknown) => {
        if (!isFatalConnectionError(error)) return;
        cleanup();
        reject(toSwitchyardError(error, operation));
      };
      const onClose = () => {
        cleanup();
        reject(closedError(operation));
      };
      const onEnd = () => {
        cleanup();
        reject(this.closing ? closedError(operation) : toSwitchyardError(this.lastError ?? new Error('Connection is closed.'), operation));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new SwitchyardError({
            code: 'UNAVAILABLE',
            retryable: true,
            port: 'pubsub',
            provider: 'aws',
            operation,
            cause: this.lastError,
            message: `Redis did not become ready within ${this.connectTimeoutMs} ms (${describe(this.lastError)}); check that the host is reachable from here.`,
          }),
        );
      }, this.connectTimeoutMs);
      this.waiting.add(onClose);
      this.client.on('ready', onReady);
      this.client.on('error', onError);
      this.client.on('end', onEnd);
    });
  }

  /**
   * A command's reply, failing with ioredis's "Command timed out" when Redis has not answered within
   * the command timeout. For clients opened without ioredis's own `commandTimeout` (the publisher).
   */
  reply<T>(command: Promise<T>): Promise<T> {
    return this.watchdog.watch(command);
  }

  /** QUITs (so Redis drops subscriptions at once), then disconnects if QUIT does not finish in time. Idempotent. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const cancel of [...this.waiting]) cancel();
    try {
      await this.shutDown();
    } finally {
      this.released = true;
    }
  }

  private async shutDown(): Promise<void> {
    const { client } = this;
    if (client.status === 'ready') await withTimeout(client.quit(), CLOSE_GRACE_MS);
    if (client.status === 'end') return;
    const ended = waitForEnd(client, CLOSE_GRACE_MS);
    client.disconnect();
    // Between reconnect attempts there is no socket, and ioredis never reaches 'end' after
    // disconnect(): it only cancels the pending attempt. Nothing is left open in that case.
    if (client.status === 'reconnecting' || client.status === 'close') return;
    await ended;
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message.slice(0, 120) : 'no response';
}

function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    promise.then(done, done);
  });
}

function waitForEnd(client: RedisClient, ms: number): Promise<void> {
  if (client.status === 'end') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('end', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.on('end', done);
  });
}
