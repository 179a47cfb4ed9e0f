import type { AuthCapabilities, AuthDriver, AuthUser, SendSignInEmailOptions, Session, SignInProof } from '@switchyard/core/adapter/auth';
import { SwitchyardError, unsupported } from '@switchyard/core/adapter/auth';
import { CognitoAuthAdmin } from './admin.js';
import { type CognitoContext, call } from './context.js';
import { authError } from './errors.js';
import type { OtpSessionStore } from './otp-sessions.js';
import { SignInFlows, toSession } from './sign-in.js';
import { AccessTokens } from './tokens.js';
import { jwtClaims } from './users.js';

/**
 * The Cognito calls behind the AuthPort of a user pool: passwordless email sign-in, local token
 * verification, admin API. Emails, proofs, tokens and scopes arrive checked by core's front layer.
 */
export class CognitoAuth implements AuthDriver {
  readonly capabilities: AuthCapabilities;
  readonly admin: CognitoAuthAdmin;
  private readonly tokens: AccessTokens;
  private readonly flows: SignInFlows;

  /** `ownsClient` is false for a client the app gave, which `close` then leaves open. */
  constructor(
    private readonly ctx: CognitoContext,
    private readonly otpSessions: OtpSessionStore,
    private readonly ownsClient = true,
  ) {
    this.capabilities = {
      magicLink: ctx.options.signIn === 'magic-link',
      emailCode: ctx.options.signIn === 'email-otp',
      // REFRESH_TOKEN_AUTH returns no new refresh token; Cognito rotates only when the app client
      // enables rotation and GetTokensFromRefreshToken is used.
      refreshTokenRotation: false,
      customUserId: true,
      // Global sign-out exists (AdminUserGlobalSignOut); Cognito has no "all but this session".
      globalSignOut: true,
      // RevokeToken stops Cognito APIs from accepting the access token, but a locally verified JWT
      // stays valid until it expires.
      immediateRevocation: false,
      distinctRefusalReasons: true,
    };
    this.admin = new CognitoAuthAdmin(ctx, (user) => this.tokens.forget(user));
    this.tokens = new AccessTokens(ctx, (username, operation) => this.admin.byUsername(username, operation));
    this.flows = new SignInFlows(ctx, this.admin, this.tokens, otpSessions);
  }

  async sendSignInEmail(email: string, options: SendSignInEmailOptions): Promise<void> {
    await this.flows.send(email, options);
  }

  async verifySignIn(proof: SignInProof): Promise<Session> {
    const code = this.ctx.options.signIn === 'email-otp';
    if (code && 'email' in proof) return this.flows.verifyCode(proof.email, proof.code);
    if (!code && 'tokenHash' in proof) return this.flows.verifyLink(proof.tokenHash);
    throw authError(
      'verifySignIn',
      'INVALID_INPUT',
      code ? 'This pool signs in with codes: pass { email, code }.' : 'This pool signs in with magic links: pass { tokenHash }.',
    );
  }

  async refresh(refreshToken: string): Promise<Session> {
    const operation = 'refresh';
    const { cognito } = this.ctx.sdk;
    const { clientId, clientSecret } = this.ctx.options;
    // REFRESH_TOKEN_AUTH's SECRET_HASH needs the username, which an opaque refresh token does not
    // reveal; GetTokensFromRefreshToken takes the client secret itself.
    const output = clientSecret
      ? await call(operation, () =>
          this.ctx.send(
            new cognito.GetTokensFromRefreshTokenCommand({ RefreshToken: refreshToken, ClientId: clientId, ClientSecret: clientSecret }),
          ),
        )
      : await call(operation, () =>
          this.ctx.send(
            new cognito.InitiateAuthCommand({
              AuthFlow: 'REFRESH_TOKEN_AUTH',
              ClientId: clientId,
              AuthParameters: { REFRESH_TOKEN: refreshToken },
            }),
          ),
        );
    const result = output.AuthenticationResult;
    if (!result?.AccessToken) throw authError(operation, 'UNAVAILABLE', 'Cognito returned no tokens for the refresh.', { retryable: true });
    const user = await this.tokens.profile(jwtClaims(result.AccessToken), operation);
    return toSession(result, user, refreshToken, this.ctx.now());
  }

  async signOut(
    session: Pick<Session, 'accessToken' | 'refreshToken'>,
    { scope }: { scope: 'local' | 'global' | 'others' },
  ): Promise<void> {
    const operation = 'signOut';
    if (scope === 'others')
      throw unsupported({ port: 'auth', provider: 'aws', operation }, "signOut scope 'others' (Cognito has no such call)");
    if (scope === 'global') return this.signOutEverywhere(session, operation);
    if (!session?.refreshToken) throw authError(operation, 'INVALID_INPUT', 'signOut needs the session’s refresh token to revoke it.');
    const { cognito } = this.ctx.sdk;
    const { clientId, clientSecret } = this.ctx.options;
    try {
      await call(operation, () =>
        this.ctx.send(
          new cognito.RevokeTokenCommand({
            Token: session.refreshToken,
            ClientId: clientId,
            ...(clientSecret ? { ClientSecret: clientSecret } : {}),
          }),
        ),
      );
    } catch (error) {
      // A token Cognito no longer accepts is already signed out.
      if (!SwitchyardError.hasCode(error, 'UNAUTHENTICATED')) throw error;
    }
  }

  /** AdminUserGlobalSignOut: every refresh token of the user stops working. */
  private async signOutEverywhere(session: Pick<Session, 'accessToken' | 'refreshToken'>, operation: string): Promise<void> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.tokens.verify(session?.accessToken, operation);
    } catch (error) {
      // An expired access token still says whose sessions to end once a refresh proves the session.
      if (!SwitchyardError.hasCode(error, 'UNAUTHENTICATED') || error.reason !== 'expired' || !session.refreshToken) throw error;
      claims = jwtClaims((await this.refresh(session.refreshToken)).accessToken);
    }
    const username = String(claims.username ?? claims.sub);
    const { cognito } = this.ctx.sdk;
    await call(operation, () =>
      this.ctx.send(new cognito.AdminUserGlobalSignOutCommand({ UserPoolId: this.ctx.options.userPoolId, Username: username })),
    );
  }

  async verifyAccessToken(token: string): Promise<AuthUser> {
    const claims = await this.tokens.verify(token, 'verifyAccessToken');
    return this.tokens.user(claims, 'verifyAccessToken');
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.ctx.client.destroy();
    await this.otpSessions.close?.();
  }
}
