import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';

export interface FakeUser {
  id: string;
  email: string;
  emailConfirmedAt: string | null;
  userMetadata: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  lastSignInAt: string | null;
  /** sha224(email + otp), as GoTrue stores confirmation/recovery tokens. */
  otpHash: string | null;
  otpSentAt: number | null;
}

export interface FakeSession {
  id: string;
  userId: string;
  method: string;
}

export interface RefreshToken {
  token: string;
  sessionId: string;
  revoked: boolean;
  updatedAt: number;
}

/** A sign-in email as the fake "sent" it. */
export interface SentEmail {
  to: string;
  code: string;
  tokenHash: string;
  link: string;
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

/** What the routes of one fake share. */
export interface GoTrueState {
  /** The caller's own object, read on each request. */
  readonly options: { readonly serviceRoleKey: string; readonly siteUrl?: string };
  readonly users: Map<string, FakeUser>;
  readonly sessions: Map<string, FakeSession>;
  readonly refreshTokens: Map<string, RefreshToken>;
  readonly outbox: SentEmail[];
  /** The first one signs; rotated-out keys stay published. */
  readonly keys: SigningKey[];
  /** Follows serveAs. */
  issuer: string;
  /** The options' durations in seconds, GoTrue's defaults applied. */
  readonly frequency: number;
  readonly reuseInterval: number;
  readonly otpExp: number;
  readonly jwtExp: number;
}

export const userByEmail = (state: GoTrueState, email: string) =>
  [...state.users.values()].find((user) => user.email === email.toLowerCase());

export function userJson(user: FakeUser) {
  return {
    id: user.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: user.email,
    email_confirmed_at: user.emailConfirmedAt,
    confirmed_at: user.emailConfirmedAt,
    phone: '',
    last_sign_in_at: user.lastSignInAt,
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: user.userMetadata,
    identities: [],
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    is_anonymous: false,
  };
}

export function createUser(state: GoTrueState, email: string, id: string = randomUUID()): FakeUser {
  const now = new Date().toISOString();
  const user: FakeUser = {
    id,
    email,
    emailConfirmedAt: null,
    userMetadata: {},
    createdAt: now,
    updatedAt: now,
    lastSignInAt: null,
    otpHash: null,
    otpSentAt: null,
  };
  state.users.set(id, user);
  return user;
}
