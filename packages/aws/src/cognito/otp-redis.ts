import { createHash } from 'node:crypto';
import type { OtpSessionStore, PendingOtp } from './otp-sessions.js';

/** The ioredis calls the store makes; declared here so that no ioredis type reaches the public API (it is an optional peer). */
export interface OtpRedisClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, unit: 'PX', ms: number): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

// Kept this long past expiry so a late attempt reads as expired rather than unknown (as in memory).
const RETAIN_MS = 3_600_000;

/**
 * Pending email-OTP sign-ins in Redis (ElastiCache, Valkey), so that any instance can verify a code
 * another sent. Keys are `<prefix><sha256(email)>`: no address appears in the key space. Values
 * hold the Cognito username and `Session`; the code itself is never stored (Cognito mails it), so
 * reading Redis is not enough to sign in. Every call gives up after `commandTimeoutMs`.
 */
export class RedisOtpSessionStore implements OtpSessionStore {
  constructor(
    private readonly client: OtpRedisClient,
    private readonly options: { keyPrefix: string; commandTimeoutMs: number; now: () => number },
  ) {
    // ioredis emits connection errors as events; without a listener Node would throw them.
    client.on('error', () => undefined);
  }

  private key(email: string): string {
    return `${this.options.keyPrefix}${createHash('sha256').update(email).digest('hex')}`;
  }

  async get(email: string): Promise<PendingOtp | undefined> {
    const raw = await this.within(this.client.get(this.key(email)));
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<PendingOtp>;
    if (typeof value.username !== 'string' || typeof value.session !== 'string' || typeof value.expiresAt !== 'number') return undefined;
    return { username: value.username, session: value.session, expiresAt: value.expiresAt, used: value.used === true };
  }

  async set(email: string, pending: PendingOtp): Promise<void> {
    const ttl = Math.max(1, pending.expiresAt - this.options.now() + RETAIN_MS);
    await this.within(this.client.set(this.key(email), JSON.stringify(pending), 'PX', Math.round(ttl)));
  }

  async close(): Promise<void> {
    await this.within(this.client.quit()).catch(() => this.client.disconnect());
  }

  /** ioredis queues commands while it reconnects; a sign-in must fail rather than wait for that. */
  private within<T>(promise: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ms = this.options.commandTimeoutMs;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    });
    return Promise.race([promise, late]).finally(() => clearTimeout(timer));
  }
}

/** What `import('ioredis')` gives, in ESM and through a CJS interop wrapper alike. */
interface IoredisModule {
  Redis?: unknown;
  default?: unknown;
}

type RedisConstructor = new (url: string, options: Record<string, unknown>) => OtpRedisClient;

/** Opens the Redis client of the store: `redis://…` or `rediss://…` (TLS, as ElastiCache in-transit encryption needs). */
export function openRedisOtpSessionStore(
  ioredis: IoredisModule,
  settings: { redisUrl: string; keyPrefix: string; commandTimeoutMs: number; now: () => number },
): RedisOtpSessionStore {
  const Redis = (ioredis.Redis ?? ioredis.default) as RedisConstructor | undefined;
  if (typeof Redis !== 'function') throw new TypeError('ioredis does not export Redis');
  const client = new Redis(settings.redisUrl, {
    connectTimeout: settings.commandTimeoutMs,
    // One try per command: a sign-in fails fast (UNAVAILABLE, retryable) instead of queueing.
    maxRetriesPerRequest: 1,
    connectionName: 'switchyard:cognito-otp',
  });
  return new RedisOtpSessionStore(client, settings);
}
