import { SwitchyardError } from '@switchyard/core/adapter/pubsub';
import type { RedisClient, RedisSocket } from './client.js';
import { closedError, isFatalConnectionError, toSwitchyardError } from './errors.js';
import { ReplyWatchdog } from './reply-watchdog.js';

/** How long `close()` lets QUIT and the socket shutdown take before it stops waiting. */
const CLOSE_GRACE_MS = 2_000;

interface Waiter {
  operation: string;
  resolve: () => void;
  reject: (error: SwitchyardError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * One ioredis client and its lifecycle: a bounded wait for 'ready' before each call and, through
 * `reply`, for the answer; the last connection error (so a failure says why), a hook for every
 * re-established connection, and a close that always ends with the socket gone.
 *
 * Calls waiting for the connection are kept here and settled by the listeners the constructor
 * installs once: a call adds no listener to the client, however many wait during an outage.
 */
export class Connection {
  private lastError: unknown;
  /** close() was called: no new calls. */
  private closing = false;
  /** close() finished: the socket is gone. */
  private released = false;
  private readonly waiting = new Set<Waiter>();
  private readyCount = 0;
  /** Abandons a connection attempt that has not become ready in time (see `attemptTimeoutMs`). */
  private attempt: ReturnType<typeof setTimeout> | undefined;
  private readonly watchdog: ReplyWatchdog;
  /** The socket whose writes are held until the event loop's next turn (see coalesceWrites). */
  private corked: RedisSocket | undefined;

  constructor(
    readonly client: RedisClient,
    private readonly timeouts: { connectMs: number; attemptMs: number; commandMs: number },
    onReconnect?: () => void,
  ) {
    this.watchdog = new ReplyWatchdog(timeouts.commandMs, () => this.restart());
    // ioredis re-emits socket and reply errors as 'error' events; with no listener it logs them to
    // the console, and an EventEmitter 'error' without a listener would crash the process.
    client.on('error', (error: unknown) => {
      this.lastError = error;
      // A credentials error, which no reconnect fixes, fails the waiting calls at once.
      if (isFatalConnectionError(error)) this.settle((operation) => toSwitchyardError(error, operation));
    });
    client.on('ready', () => {
      this.endAttempt();
      this.settle(undefined);
      this.readyCount++;
      if (this.readyCount > 1) onReconnect?.();
    });
    client.on('end', () => {
      this.endAttempt();
      this.settle((operation) => this.endedError(operation));
    });
    // An attempt can stall after the TCP connect (a server that accepts and says nothing), where
    // ioredis's connectTimeout no longer applies and its ready check has no timeout of its own.
    client.on('connecting', () => {
      this.endAttempt();
      this.attempt = setTimeout(() => this.restart(), timeouts.attemptMs);
      this.attempt.unref();
    });
    client.on('close', () => this.endAttempt());
  }

  /** True until the connection is closed and its socket is gone. */
  isOpen(): boolean {
    return !this.released && this.client.status !== 'end';
  }

  /**
   * Undefined when the client is ready now (no promise on a busy publisher's path); otherwise a
   * promise that resolves once it is. Waits at most `connectMs` (UNAVAILABLE, retryable, with the
   * last socket error as cause); fails at once on a credentials error, which no reconnect fixes.
   */
  ready(operation: string): Promise<void> | undefined {
    if (this.closing) return Promise.reject(closedError(operation));
    const { status, stream } = this.client;
    // 'ready' with a socket already gone (reset, not yet noticed) is not ready: ioredis would refuse the write.
    if (status === 'ready' && stream?.writable !== false) return undefined;
    if (status === 'end') return Promise.reject(this.endedError(operation));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        operation,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiting.delete(waiter);
          reject(this.notReadyError(operation));
        }, this.timeouts.connectMs),
      };
      this.waiting.add(waiter);
    });
  }

  /**
   * Drops the socket and lets ioredis reconnect. For a connection whose state is unknown: an
   * attempt that stalled, or a command that was never answered, after which every later reply
   * would be matched to the wrong command.
   */
  restart(): void {
    if (this.closing) return;
    const { stream, status } = this.client;
    if (stream) {
      if (!stream.destroyed) stream.destroy();
    } else if (status !== 'reconnecting' && status !== 'end') {
      this.client.disconnect(true);
    }
  }

  /**
   * Holds the writes to `client`'s socket until the event loop's next turn, so the commands issued
   * in one turn leave in one write instead of one system call each, while earlier replies are still
   * on their way (bench row 5a: about 5 µs a publish, against 8 µs for a write each and 9–10 µs for
   * ioredis's auto-pipelining, which waits for one batch's replies before sending the next). Order
   * is kept: a corked socket queues every write, ours or ioredis's, in the order made.
   */
  coalesceWrites(client: RedisClient): void {
    const { stream } = client;
    if (!stream || stream === this.corked) return;
    this.corked = stream;
    stream.cork();
    process.nextTick(() => {
      if (this.corked === stream) this.corked = undefined;
      stream.uncork();
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
    this.endAttempt();
    this.settle(closedError);
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

  /** Settles every waiting call: resolves them, or rejects each with `error(operation)`. */
  private settle(error: ((operation: string) => SwitchyardError) | undefined): void {
    for (const waiter of this.waiting) {
      clearTimeout(waiter.timer);
      if (error) waiter.reject(error(waiter.operation));
      else waiter.resolve();
    }
    this.waiting.clear();
  }

  private endAttempt(): void {
    clearTimeout(this.attempt);
    this.attempt = undefined;
  }

  private endedError(operation: string): SwitchyardError {
    return this.closing ? closedError(operation) : toSwitchyardError(this.lastError ?? new Error('Connection is closed.'), operation);
  }

  private notReadyError(operation: string): SwitchyardError {
    return new SwitchyardError({
      code: 'UNAVAILABLE',
      retryable: true,
      port: 'pubsub',
      provider: 'aws',
      operation,
      cause: this.lastError,
      message: `Redis did not become ready within ${this.timeouts.connectMs} ms (${describe(this.lastError)}); check that the host is reachable from here.`,
    });
  }
}

/** ioredis's (and the reply watchdog's) error for a command left unanswered. */
export function isCommandTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Command timed out';
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
