import { randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type {
  AuthCapabilities,
  AuthDriver,
  AuthUser,
  OnEvent,
  SendSignInEmailOptions,
  Session,
  SignInProof,
} from '@switchyard/core/adapter';
import type { JWK } from 'jose';
import { LocalAuthAdmin, toAuthUser } from './admin.js';
import { errors } from './errors.js';
import { loadSigningKey, type SigningKey } from './keys.js';
import { DevMailbox } from './mailbox.js';
import { AuthStore, type PendingSignIn, type SessionRecord, sha256 } from './store.js';
import { accessClaims, issueAccessToken, type TokenSettings, verifyAccessClaims } from './tokens.js';

export interface LocalAuthOptions {
  /** `iss` of issued tokens. Default `http://localhost/auth/v1`. */
  issuer?: string;
  /** `aud` of issued tokens. Default `authenticated`, as Supabase. */
  audience?: string;
  /** Access token lifetime in seconds. Default 3,600. */
  accessTokenTtl?: number;
  /** Sign-in code and link lifetime in seconds. Default 600. */
  codeTtl?: number;
  /** Where magic links land when the caller gives no `redirectTo`. */
  redirectTo?: string;
  /** Receives the sign-in emails. Default: a mailbox that keeps them without printing. */
  mailbox?: DevMailbox;
  /** An ES256 private JWK; default a key generated at start (or kept in `dataFile`). */
  privateJwk?: JWK;
  /** A JSON file that keeps users, sessions and the key across restarts. */
  dataFile?: string;
  /** Least time between two sign-in emails to one address, in ms. Default 5,000. */
  minIntervalMs?: number;
  /** Wrong codes accepted before the pending sign-in is locked until a new email. Default 5. */
  maxAttempts?: number;
  /** Clock in ms, for tests. */
  now?: () => number;
  onEvent?: OnEvent | undefined;
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The auth driver with locally signed ES256 JWTs, magic link plus 6-digit code, and a dev mailbox. */
export class LocalAuth implements AuthDriver {
  readonly capabilities: AuthCapabilities = {
    magicLink: true,
    emailCode: true,
    refreshTokenRotation: true,
    customUserId: true,
    globalSignOut: true,
    immediateRevocation: true,
    distinctRefusalReasons: true,
  };
  readonly admin: LocalAuthAdmin;
  readonly mailbox: DevMailbox;
  readonly settings: TokenSettings;

  private constructor(
    private readonly store: AuthStore,
    private readonly key: SigningKey,
    private readonly options: LocalAuthOptions,
  ) {
    this.mailbox = options.mailbox ?? new DevMailbox();
    const now = options.now ?? Date.now;
    this.settings = {
      issuer: options.issuer ?? 'http://localhost/auth/v1',
      audience: options.audience ?? 'authenticated',
      ttlSeconds: options.accessTokenTtl ?? 3600,
      now,
    };
    this.admin = new LocalAuthAdmin(store, now, (userId) => this.revokeSessions(userId, () => true));
  }

  static async open(options: LocalAuthOptions = {}): Promise<LocalAuth> {
    const store = new AuthStore(options.dataFile);
    await store.load();
    const key = await loadSigningKey(options.privateJwk ?? store.privateJwk);
    store.privateJwk = key.privateJwk;
    await store.persist();
    return new LocalAuth(store, key, options);
  }

  /** The public keys, as a JWKS document an app may serve at `/.well-known/jwks.json`. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.key.publicJwk] };
  }

  async sendSignInEmail(address: string, options: SendSignInEmailOptions): Promise<void> {
    const now = this.settings.now();
    const user = this.store.userByEmail(address);
    if (!user && options.createUser === false) {
      throw errors.error('sendSignInEmail', 'NOT_FOUND', 'No user has this email address and createUser is false.');
    }
    const previous = this.store.pending.get(address);
    const minInterval = this.options.minIntervalMs ?? 5000;
    if (previous && now - previous.sentAt < minInterval) {
      throw errors.error(
        'sendSignInEmail',
        'RATE_LIMITED',
        `Wait ${Math.ceil(minInterval / 1000)} s between sign-in emails to one address.`,
      );
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const token = randomBytes(32).toString('base64url');
    this.store.pending.set(address, {
      email: address,
      codeHash: sha256(code),
      tokenHash: sha256(token),
      expiresAt: now + (this.options.codeTtl ?? 600) * 1000,
      used: false,
      failedAttempts: 0,
      sentAt: now,
    });
    const link = new URL(options.redirectTo ?? this.options.redirectTo ?? 'http://localhost:3000/auth/callback');
    link.searchParams.set('token_hash', token);
    link.searchParams.set('type', 'email');
    this.mailbox.deliver({
      to: address,
      subject: 'Your sign-in code',
      text: `Your code is ${code}.\nOr open this link to sign in: ${link}\nIt expires in ${Math.round((this.options.codeTtl ?? 600) / 60)} minutes.`,
      code,
      link: link.toString(),
      tokenHash: token,
      sentAt: new Date(now),
    });
  }

  async verifySignIn(proof: SignInProof): Promise<Session> {
    const operation = 'verifySignIn';
    let pending: PendingSignIn | undefined;
    let method: SessionRecord['method'];
    if ('tokenHash' in proof) {
      const hash = sha256(proof.tokenHash);
      pending = [...this.store.pending.values()].find((p) => sameHash(p.tokenHash, hash));
      if (!pending) throw errors.refused(operation, 'invalid', 'The sign-in link is not valid; request a new email.');
      method = 'magiclink';
    } else {
      pending = this.store.pending.get(proof.email);
      const maxAttempts = this.options.maxAttempts ?? 5;
      if (!pending || pending.failedAttempts >= maxAttempts)
        throw errors.refused(operation, 'invalid', 'The code is not valid; request a new email.');
      if (!sameHash(pending.codeHash, sha256(proof.code))) {
        pending.failedAttempts++;
        throw errors.refused(operation, 'invalid', 'The code is not valid.');
      }
      method = 'otp';
    }
    if (pending.used) throw errors.refused(operation, 'revoked', 'This code or link was already used; request a new email.');
    if (this.settings.now() > pending.expiresAt)
      throw errors.refused(operation, 'expired', 'This code or link has expired; request a new email.');
    pending.used = true;
    let user = this.store.userByEmail(pending.email);
    if (!user) {
      user = { id: randomUUID(), email: pending.email, emailVerified: true, metadata: {}, createdAt: this.settings.now() };
    }
    this.store.putUser({ ...user, emailVerified: true });
    const session: SessionRecord = { id: randomUUID(), userId: user.id, revoked: false, method, createdAt: this.settings.now() };
    this.store.sessions.set(session.id, session);
    return this.issue(session);
  }

  async refresh(refreshToken: string): Promise<Session> {
    const record = this.store.refresh.get(sha256(refreshToken));
    if (!record) throw errors.refused('refresh', 'invalid', 'The refresh token is not valid; sign in again.');
    const session = this.store.sessions.get(record.sessionId);
    if (!session || session.revoked || !this.store.users.has(session.userId)) {
      throw errors.refused('refresh', 'revoked', 'The session was signed out; sign in again.');
    }
    if (record.used) {
      // A rotated token coming back means it leaked: end the whole session (reuse detection).
      session.revoked = true;
      await this.store.persist();
      throw errors.refused('refresh', 'revoked', 'This refresh token was already used; the session has been ended. Sign in again.');
    }
    record.used = true;
    return this.issue(session);
  }

  async signOut(
    session: Pick<Session, 'accessToken' | 'refreshToken'>,
    { scope }: { scope: 'local' | 'global' | 'others' },
  ): Promise<void> {
    const current = await this.findSession(session);
    if (!current) return;
    if (scope === 'local') current.revoked = true;
    else await this.revokeSessions(current.userId, (s) => scope === 'global' || s.id !== current.id);
    await this.store.persist();
  }

  async verifyAccessToken(token: string): Promise<AuthUser> {
    const claims = await verifyAccessClaims(token, this.key, this.settings);
    const session = this.store.sessions.get(String(claims.session_id));
    const user = this.store.users.get(String(claims.sub));
    if (!session || session.revoked || !user)
      throw errors.refused('verifyAccessToken', 'revoked', 'The session was signed out or the user deleted.');
    return { ...toAuthUser(user), sessionId: session.id, role: String(claims.role) };
  }

  /** For tests and local tooling: makes the outstanding sign-in code and link for `email` expire now. */
  expirePendingSignIn(email: string): void {
    const pending = this.store.pending.get(email.trim().toLowerCase());
    if (pending) pending.expiresAt = this.settings.now() - 1;
  }

  /** For tests: signs a token with this instance's key, with claims for `userId` overridden. */
  async signTestToken(userId: string, overrides: Record<string, unknown>): Promise<string> {
    const user = this.store.users.get(userId) ?? {
      id: userId,
      email: 'unknown@example.com',
      emailVerified: false,
      metadata: {},
      createdAt: 0,
    };
    const session = [...this.store.sessions.values()].find((s) => s.userId === userId && !s.revoked);
    const claims = accessClaims(user, session ?? { id: randomUUID(), userId, revoked: false, method: 'otp', createdAt: 0 }, this.settings);
    return issueAccessToken(this.key, { ...claims, ...overrides });
  }

  async close(): Promise<void> {
    await this.store.persist();
  }

  private async issue(session: SessionRecord): Promise<Session> {
    const user = this.store.users.get(session.userId)!;
    const claims = accessClaims(user, session, this.settings);
    const refreshToken = randomBytes(32).toString('base64url');
    this.store.refresh.set(sha256(refreshToken), { sessionId: session.id, used: false });
    await this.store.persist();
    return {
      accessToken: await issueAccessToken(this.key, claims),
      refreshToken,
      expiresAt: new Date(Number(claims.exp) * 1000),
      user: { ...toAuthUser(user), sessionId: session.id, role: 'authenticated' },
    };
  }

  private async findSession(session: Pick<Session, 'accessToken' | 'refreshToken'>): Promise<SessionRecord | undefined> {
    const record = session.refreshToken ? this.store.refresh.get(sha256(session.refreshToken)) : undefined;
    if (record) return this.store.sessions.get(record.sessionId);
    // An expired access token still names its session; the signature must hold.
    const claims = await verifyAccessClaims(session.accessToken, this.key, { ...this.settings, now: () => 0 }).catch(() => undefined);
    return claims ? this.store.sessions.get(String(claims.session_id)) : undefined;
  }

  private async revokeSessions(userId: string, which: (session: SessionRecord) => boolean): Promise<void> {
    for (const session of this.store.sessions.values()) {
      if (session.userId === userId && which(session)) session.revoked = true;
    }
    await this.store.persist();
  }
}
