import type { AuthClient, SupabaseClient, User } from '@supabase/supabase-js';
import type { AuthCapabilities, AuthUser, SendSignInEmailOptions, Session, SignInProof } from '@switchyard/core/adapter/auth';
import { type AuthDriver, unverifiedJwtPayload } from '@switchyard/core/adapter/auth';
import { SupabaseAuthAdmin } from './admin.js';
import { mapAuthError } from './errors.js';
import { claimsToAuthUser, toAuthUser } from './users.js';
import type { AccessTokenVerifier } from './verifier.js';

export interface SupabaseAuthSettings {
  redirectTo?: string | undefined;
  /** GET /admin/users?filter=… (GoTrue matches it as a substring of the address). */
  usersByEmail: (email: string) => Promise<User[]>;
}

interface GoTrueSession {
  access_token: string;
  refresh_token: string;
  expires_at?: number;
  expires_in: number;
  user: User;
}

type GoTrue = InstanceType<typeof AuthClient>;

/**
 * The Supabase Auth (GoTrue) driver behind `authPort`, through supabase-js: sign-in by email code
 * or magic link, refresh, sign-out and the admin API over HTTP; `verifyAccessToken` locally, with
 * no request. Emails, proofs and tokens arrive checked and normalised by the front layer.
 */
export class SupabaseAuthDriver implements AuthDriver {
  readonly capabilities: AuthCapabilities = {
    magicLink: true,
    emailCode: true,
    refreshTokenRotation: true,
    customUserId: true,
    globalSignOut: true,
    // Access tokens are verified locally and stay valid until `exp` after sign-out.
    immediateRevocation: false,
    // GoTrue answers a wrong, used or expired code alike (403 otp_expired), and a signed-out refresh token like an unknown one.
    distinctRefusalReasons: false,
  };
  readonly admin: SupabaseAuthAdmin;

  constructor(
    /**
     * A fresh auth client (anon key) for each sign-in call. auth-js keeps the session it obtains and shares
     * an in-flight refresh between callers whatever their token, so a client shared by concurrent
     * users could hand one user's refreshed session to another.
     */
    private readonly sessionClient: () => GoTrue,
    /** Acts with the service-role key: admin API and sign-out on a user's behalf. */
    private readonly service: SupabaseClient,
    private readonly verifier: AccessTokenVerifier,
    private readonly settings: SupabaseAuthSettings,
  ) {
    this.admin = new SupabaseAuthAdmin(service, settings.usersByEmail);
  }

  async sendSignInEmail(email: string, options: SendSignInEmailOptions): Promise<void> {
    const redirectTo = options.redirectTo ?? this.settings.redirectTo;
    const { error } = await this.sessionClient().signInWithOtp({
      email,
      options: { shouldCreateUser: options.createUser !== false, ...(redirectTo ? { emailRedirectTo: redirectTo } : {}) },
    });
    if (error) throw mapAuthError('sendSignInEmail', error);
  }

  async verifySignIn(proof: SignInProof): Promise<Session> {
    const result =
      'tokenHash' in proof
        ? await this.sessionClient().verifyOtp({ token_hash: proof.tokenHash, type: 'email' })
        : await this.sessionClient().verifyOtp({ email: proof.email, token: proof.code, type: 'email' });
    if (result.error || !result.data.session) throw mapAuthError('verifySignIn', result.error);
    return this.toSession(result.data.session as GoTrueSession);
  }

  async refresh(refreshToken: string): Promise<Session> {
    const { data, error } = await this.sessionClient().refreshSession({ refresh_token: refreshToken });
    if (error || !data.session) throw mapAuthError('refresh', error);
    return this.toSession(data.session as GoTrueSession);
  }

  async signOut(
    session: Pick<Session, 'accessToken' | 'refreshToken'>,
    { scope }: { scope: 'local' | 'global' | 'others' },
  ): Promise<void> {
    let accessToken = session.accessToken;
    // GoTrue's /logout needs a live access token; an expired one is renewed with the refresh token.
    const expired = await this.verifier.verify(accessToken).then(
      () => false,
      (error: { reason?: string }) => error.reason === 'expired',
    );
    if (expired && session.refreshToken) {
      const renewed = await this.refresh(session.refreshToken).catch(() => undefined);
      if (!renewed) return;
      accessToken = renewed.accessToken;
    }
    const { error } = await this.service.auth.admin.signOut(accessToken, scope);
    if (!error) return;
    const mapped = mapAuthError('signOut', error);
    // A session that has already ended is what the caller wants.
    if (mapped.code === 'UNAUTHENTICATED' || mapped.code === 'NOT_FOUND') return;
    throw mapped;
  }

  async verifyAccessToken(token: string): Promise<AuthUser> {
    return claimsToAuthUser(await this.verifier.verify(token));
  }

  async close(): Promise<void> {}

  private toSession(session: GoTrueSession): Session {
    const expiresAt = session.expires_at ?? Math.floor(Date.now() / 1000) + session.expires_in;
    const claims = unverifiedJwtPayload(session.access_token) ?? {};
    return {
      accessToken: session.access_token,
      refreshToken: session.refresh_token,
      expiresAt: new Date(expiresAt * 1000),
      user: {
        ...toAuthUser(session.user),
        sessionId: typeof claims.session_id === 'string' ? claims.session_id : undefined,
        role: typeof claims.role === 'string' ? claims.role : 'authenticated',
      },
    };
  }
}
