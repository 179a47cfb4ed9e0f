/** A signed-in user as the application sees them. */
export interface AuthUser {
  /**
   * The application's stable user id. A user migrated between providers keeps the id the
   * database already uses, whatever id the new provider gives them.
   */
  id: string;
  email: string;
  emailVerified: boolean;
  /** The provider that issued the token or holds the record, for example `local` or `aws`. */
  provider: string;
  /** Application-visible profile data the provider keeps beside the user. */
  metadata: Record<string, unknown>;
  createdAt?: Date | undefined;
  /** The session a verified access token belongs to. */
  sessionId?: string | undefined;
  /** The role claim used for database row-level security; `authenticated` for signed-in users. */
  role?: string | undefined;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** When `accessToken` stops verifying. */
  expiresAt: Date;
  user: AuthUser;
}

export interface SendSignInEmailOptions {
  /** Where the magic link lands; must be allowed by the provider's configuration. */
  redirectTo?: string;
  /** Create an account for an unknown address (default true); when false an unknown address is refused with `NOT_FOUND`. */
  createUser?: boolean;
}

/** What the user brings back from the sign-in email: the code, or the token from the link. */
export type SignInProof = { email: string; code: string } | { tokenHash: string };

export interface SignOutOptions {
  /** `local` ends this session (default), `global` every session of the user, `others` all but this one. */
  scope?: 'local' | 'global' | 'others';
}

export interface CreateUserInput {
  email: string;
  /** A caller-chosen application id (a migrated user's existing UUID), where `capabilities.customUserId`. */
  id?: string;
  emailVerified?: boolean;
  metadata?: Record<string, unknown>;
}

export interface UpdateUserInput {
  email?: string;
  emailVerified?: boolean;
  /** Replaces the user's metadata. */
  metadata?: Record<string, unknown>;
}

export interface ListUsersOptions {
  /** Page size, 1–60 (Cognito's limit); defaults to 50. */
  limit?: number;
  cursor?: string;
}

export interface UserPage {
  users: AuthUser[];
  /** Absent on the last page. */
  cursor?: string | undefined;
}

/** Server-side user management with the provider's admin credentials. */
export interface AuthAdmin {
  /** Throws `CONFLICT` when the email or id is taken. */
  createUser(input: CreateUserInput): Promise<AuthUser>;
  /** Null when there is no such user. */
  getUser(id: string): Promise<AuthUser | null>;
  /** Null when there is no such user; email comparison ignores case. */
  getUserByEmail(email: string): Promise<AuthUser | null>;
  /** Every user exactly once across cursors. */
  listUsers(options?: ListUsersOptions): Promise<UserPage>;
  /** Throws `NOT_FOUND` for an unknown id, `CONFLICT` when the new email is taken. */
  updateUser(id: string, input: UpdateUserInput): Promise<AuthUser>;
  /** Removes the user and ends their sessions; a missing user is not an error. */
  deleteUser(id: string): Promise<void>;
}

export interface AuthCapabilities {
  /** The sign-in email carries a link whose token `verifySignIn({tokenHash})` accepts. */
  magicLink: boolean;
  /** The sign-in email carries a code that `verifySignIn({email, code})` accepts. */
  emailCode: boolean;
  /** `refresh` issues a new refresh token and refuses the old one afterwards (reuse detection). */
  refreshTokenRotation: boolean;
  /** `admin.createUser` honours a caller-chosen `id`. */
  customUserId: boolean;
  /** `signOut` accepts `scope: 'global'`; `'others'` may still be `UNSUPPORTED` (Cognito has no "all but this session"). */
  globalSignOut: boolean;
  /** `verifyAccessToken` refuses tokens of a signed-out session before they expire, still without a network call. */
  immediateRevocation: boolean;
  /**
   * A refused code, link or refresh token says why: `expired`, `revoked` (used, signed out) or
   * `invalid`. Providers that answer every refusal alike (Supabase's GoTrue answers a wrong, used
   * or expired code with the same `otp_expired`) declare false and report `invalid`, never a guess.
   */
  distinctRefusalReasons: boolean;
}

/**
 * Passwordless email sign-in and user administration. Methods throw only `SwitchyardError`;
 * refused credentials are `UNAUTHENTICATED` with a `reason`:
 * `expired` (ran out), `invalid` (wrong, tampered or unknown), `revoked` (signed out, or already used).
 */
export interface AuthPort {
  readonly provider: string;
  readonly capabilities: AuthCapabilities;
  /** Sends a magic link and/or one-time code. Throws `INVALID_INPUT` for a malformed address, `RATE_LIMITED` when asked too often. */
  sendSignInEmail(email: string, options?: SendSignInEmailOptions): Promise<void>;
  /** Exchanges the code or link token for a session. A code works once. */
  verifySignIn(proof: SignInProof): Promise<Session>;
  /** A new session for a refresh token; with rotation the old refresh token stops working. */
  refresh(refreshToken: string): Promise<Session>;
  /** Ends the session (or all the user's sessions); its refresh token stops working. */
  signOut(session: Pick<Session, 'accessToken' | 'refreshToken'>, options?: SignOutOptions): Promise<void>;
  /**
   * Verifies an access token locally (cached keys; no network call per request) and returns its user.
   * Refuses expired tokens (`expired`), bad signatures, `alg: none`, unknown keys, wrong issuer or audience (`invalid`).
   */
  verifyAccessToken(token: string): Promise<AuthUser>;
  readonly admin: AuthAdmin;
  close(): Promise<void>;
}
