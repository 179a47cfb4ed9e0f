/** A pending email-OTP sign-in: the Cognito `Session` that the code must be sent back with. */
export interface PendingOtp {
  /** The Cognito username the challenge belongs to. */
  username: string;
  /** Cognito's opaque `Session` string; it never leaves the server. */
  session: string;
  /** Epoch ms after which Cognito no longer accepts the session. */
  expiresAt: number;
  /** Set once the code was accepted, so a second use reads as `revoked` rather than unknown. */
  used: boolean;
}

/**
 * Keeps the Cognito `Session` between `sendSignInEmail` and `verifySignIn({email, code})`, keyed by
 * the normalised email. With several instances it must be shared: `otpStore: { redisUrl }` uses
 * `RedisOtpSessionStore`; implement this on DynamoDB (TTL on `expiresAt`) or anything else every
 * instance reaches. The default keeps it in process memory (one instance only).
 */
export interface OtpSessionStore {
  get(email: string): Promise<PendingOtp | undefined>;
  set(email: string, pending: PendingOtp): Promise<void>;
  /** Releases connections; called by the adapter's `close()`. */
  close?(): Promise<void>;
}

/** The default store: process memory, bounded so a flood of sign-in requests cannot grow it without limit. */
export class MemoryOtpSessionStore implements OtpSessionStore {
  private readonly entries = new Map<string, PendingOtp>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(email: string): Promise<PendingOtp | undefined> {
    const pending = this.entries.get(email);
    // Kept for a while past expiry so a late attempt reads as expired, not as unknown.
    if (pending && this.now() > pending.expiresAt + 3_600_000) this.entries.delete(email);
    return this.entries.get(email);
  }

  async set(email: string, pending: PendingOtp): Promise<void> {
    this.entries.delete(email);
    this.entries.set(email, pending);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
