import type { AuthenticationResultType, InitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import { type SendSignInEmailOptions, type Session, SwitchyardError } from '@switchyard/core/adapter/auth';
import type { CognitoAuthAdmin } from './admin.js';
import { type CognitoContext, call, secretHash } from './context.js';
import { authError, refused } from './errors.js';
import type { OtpSessionStore } from './otp-sessions.js';
import type { AccessTokens } from './tokens.js';
import { type CognitoUser, jwtClaims, publicUser } from './users.js';

type Challenge = Pick<InitiateAuthCommandOutput, 'ChallengeName' | 'Session' | 'AvailableChallenges' | 'AuthenticationResult'>;

/** ClientMetadata the magic-link triggers read (the aws-samples passwordless protocol). */
const MAGIC_LINK = 'MAGIC_LINK';
// CUSTOM_AUTH's first challenge only asks for parameters: InitiateAuth's ClientMetadata does not
// reach CreateAuthChallenge, RespondToAuthChallenge's does. The answer itself is ignored.
const PROVIDE_PARAMETERS_ANSWER = '__provide_auth_parameters__';

/** Sends and verifies the passwordless sign-in, by EMAIL_OTP or by magic link (CUSTOM_AUTH). */
export class SignInFlows {
  constructor(
    private readonly ctx: CognitoContext,
    private readonly admin: CognitoAuthAdmin,
    private readonly tokens: AccessTokens,
    private readonly otpSessions: OtpSessionStore,
  ) {}

  /** `address` arrives normalised (lower-cased, trimmed) by core's front layer, as in `verifyCode`. */
  async send(address: string, options: SendSignInEmailOptions): Promise<void> {
    const operation = 'sendSignInEmail';
    const redirectTo = options.redirectTo ?? this.ctx.options.redirectTo;
    if (this.ctx.options.signIn === 'magic-link' && (redirectTo === undefined || !URL.canParse(redirectTo))) {
      throw authError(operation, 'INVALID_INPUT', 'Magic links need an absolute redirectTo (or magicLink.redirectTo in the options).');
    }
    // Passwordless sign-in does not run the user-migration trigger, so the user must exist first.
    let user = await this.admin.findByEmail(address, operation);
    if (!user) {
      if (options.createUser === false) throw authError(operation, 'NOT_FOUND', 'No user has this email address and createUser is false.');
      user = await this.admin.create({ email: address, emailVerified: true }, operation);
    }
    if (this.ctx.options.signIn === 'email-otp') await this.sendCode(address, user.username);
    else await this.sendLink(user.username, redirectTo!);
  }

  /** USER_AUTH, answering SELECT_CHALLENGE with EMAIL_OTP when Cognito asks; Cognito sends the code. */
  private async sendCode(address: string, username: string): Promise<void> {
    const operation = 'sendSignInEmail';
    let challenge: Challenge = await this.initiate(operation, 'USER_AUTH', { USERNAME: username, PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    if (challenge.ChallengeName === 'SELECT_CHALLENGE') {
      if (!challenge.AvailableChallenges?.includes('EMAIL_OTP')) throw this.notSetUp(operation, challenge);
      challenge = await this.respond(operation, 'SELECT_CHALLENGE', challenge.Session, { USERNAME: username, ANSWER: 'EMAIL_OTP' });
    }
    if (challenge.ChallengeName !== 'EMAIL_OTP' || !challenge.Session) throw this.notSetUp(operation, challenge);
    const pending = { username, session: challenge.Session, expiresAt: this.ctx.now() + this.ctx.options.otpSessionTtlMs, used: false };
    await this.store(operation, () => this.otpSessions.set(address, pending));
  }

  /** CUSTOM_AUTH up to the point where CreateAuthChallenge has mailed the link; the session is then dropped. */
  private async sendLink(username: string, redirectTo: string): Promise<void> {
    const operation = 'sendSignInEmail';
    const first = await this.initiate(operation, 'CUSTOM_AUTH', { USERNAME: username });
    if (first.ChallengeName !== 'CUSTOM_CHALLENGE') throw this.notSetUp(operation, first);
    const sent = await this.respond(
      operation,
      'CUSTOM_CHALLENGE',
      first.Session,
      { USERNAME: username, ANSWER: PROVIDE_PARAMETERS_ANSWER },
      { signInMethod: MAGIC_LINK, redirectUri: redirectTo, alreadyHaveMagicLink: 'no' },
    );
    if (sent.ChallengeName !== 'CUSTOM_CHALLENGE') throw this.notSetUp(operation, sent);
  }

  async verifyCode(address: string, code: string): Promise<Session> {
    const operation = 'verifySignIn';
    if (!/^\d{4,10}$/.test(code)) throw refused(operation, 'invalid', 'The code is not valid.');
    const pending = await this.store(operation, () => this.otpSessions.get(address));
    if (!pending) throw notPending(operation);
    if (pending.used) throw refused(operation, 'revoked', 'This code was already used; request a new email.');
    if (this.ctx.now() > pending.expiresAt) throw refused(operation, 'expired', 'The code has expired; request a new email.');
    const result = await this.respond(operation, 'EMAIL_OTP', pending.session, { USERNAME: pending.username, EMAIL_OTP_CODE: code });
    if (!result.AuthenticationResult) throw this.notSetUp(operation, result);
    // Cognito itself refuses a second use of the session; the mark only makes the refusal say `revoked`,
    // so a store failing now must not cost the user a sign-in that already succeeded.
    await this.store(operation, () => this.otpSessions.set(address, { ...pending, used: true })).catch(() => undefined);
    return this.signedIn(operation, pending.username, result.AuthenticationResult);
  }

  async verifyLink(tokenHash: string): Promise<Session> {
    const operation = 'verifySignIn';
    const username = linkUserName(tokenHash);
    if (!username) throw refused(operation, 'invalid', 'The sign-in link is not valid; request a new email.');
    try {
      const first = await this.initiate(operation, 'CUSTOM_AUTH', { USERNAME: username });
      const ready = await this.respond(
        operation,
        'CUSTOM_CHALLENGE',
        first.Session,
        { USERNAME: username, ANSWER: PROVIDE_PARAMETERS_ANSWER },
        { signInMethod: MAGIC_LINK, alreadyHaveMagicLink: 'yes' },
      );
      const result = await this.respond(
        operation,
        'CUSTOM_CHALLENGE',
        ready.Session,
        { USERNAME: username, ANSWER: tokenHash },
        { signInMethod: MAGIC_LINK },
      );
      if (!result.AuthenticationResult) throw refused(operation, 'invalid', 'The sign-in link was not accepted; request a new email.');
      return await this.signedIn(operation, username, result.AuthenticationResult);
    } catch (error) {
      // The link names a user that no longer exists: to the caller that is just a bad link.
      if (SwitchyardError.hasCode(error, 'NOT_FOUND')) throw refused(operation, 'invalid', 'The sign-in link is not valid.', error);
      throw error;
    }
  }

  /** A call to the session store; whatever it throws is a retryable UNAVAILABLE (a store of the app's own may throw anything). */
  private async store<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (SwitchyardError.isInstance(error)) throw error;
      throw authError(operation, 'UNAVAILABLE', 'The store of pending email sign-ins (otpStore) did not answer; retry.', {
        cause: error,
        retryable: true,
      });
    }
  }

  /** Builds the Session; proving control of the mailbox verifies the address, as Supabase does. */
  private async signedIn(operation: string, username: string, result: AuthenticationResultType): Promise<Session> {
    let user = await this.admin.byUsername(username, operation);
    if (!user) throw refused(operation, 'revoked', 'The user was deleted during sign-in.');
    if (!user.emailVerified && user.email) {
      const { cognito } = this.ctx.sdk;
      await call(operation, () =>
        this.ctx.send(
          new cognito.AdminUpdateUserAttributesCommand({
            UserPoolId: this.ctx.options.userPoolId,
            Username: username,
            UserAttributes: [
              { Name: 'email', Value: user!.email },
              { Name: 'email_verified', Value: 'true' },
            ],
          }),
        ),
      );
      user = { ...user, emailVerified: true };
    }
    this.tokens.remember(user);
    return toSession(result, user, undefined, this.ctx.now());
  }

  private initiate(operation: string, flow: 'USER_AUTH' | 'CUSTOM_AUTH', parameters: Record<string, string>): Promise<Challenge> {
    const { cognito } = this.ctx.sdk;
    const { clientId } = this.ctx.options;
    return call(operation, async () => {
      const output = await this.ctx.send(
        new cognito.InitiateAuthCommand({
          AuthFlow: flow,
          ClientId: clientId,
          AuthParameters: { ...parameters, ...secretHash(this.ctx.options, parameters.USERNAME ?? '') },
        }),
      );
      return output ?? {};
    });
  }

  private respond(
    operation: string,
    challenge: 'SELECT_CHALLENGE' | 'EMAIL_OTP' | 'CUSTOM_CHALLENGE',
    session: string | undefined,
    responses: Record<string, string>,
    clientMetadata?: Record<string, string>,
  ): Promise<Challenge> {
    const { cognito } = this.ctx.sdk;
    return call(operation, async () => {
      const output = await this.ctx.send(
        new cognito.RespondToAuthChallengeCommand({
          ClientId: this.ctx.options.clientId,
          ChallengeName: challenge,
          Session: session,
          ChallengeResponses: { ...responses, ...secretHash(this.ctx.options, responses.USERNAME ?? '') },
          ...(clientMetadata ? { ClientMetadata: clientMetadata } : {}),
        }),
      );
      return output ?? {};
    });
  }

  private notSetUp(operation: string, answer: Challenge): SwitchyardError {
    const got = answer.ChallengeName ?? (answer.AuthenticationResult ? 'tokens' : 'nothing');
    const need =
      this.ctx.options.signIn === 'email-otp'
        ? 'allow ALLOW_USER_AUTH on the app client and EMAIL_OTP in the pool’s AllowedFirstAuthFactors (Essentials tier), with no MFA step'
        : 'allow ALLOW_CUSTOM_AUTH on the app client and attach the @switchyard/aws/cognito-triggers handlers to the pool';
    return authError(operation, 'CONFIG', `Cognito answered with ${got}, not the expected challenge: ${need}.`);
  }
}

/**
 * No sign-in is waiting for this address: the code came from another provider (a code Supabase
 * mailed before the auth primary switched to Cognito), from an instance whose store this one does
 * not share, or its session left the store. Nothing the user can type will work: the app should
 * call `sendSignInEmail` again and ask for the new code, which `details.retry` says.
 */
function notPending(operation: string): SwitchyardError {
  return authError(
    operation,
    'UNAUTHENTICATED',
    'No Cognito sign-in is waiting for this address (the code may come from the previous auth provider or an earlier email); request a new email and enter the new code.',
    { reason: 'invalid', details: { pending: false, retry: 'sendSignInEmail' } },
  );
}

/** The Session for a Cognito AuthenticationResult; a refresh that returns no refresh token keeps the old one. */
export function toSession(result: AuthenticationResultType, user: CognitoUser, refreshToken: string | undefined, now: number): Session {
  const claims = jwtClaims(result.AccessToken);
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : now + (result.ExpiresIn ?? 3600) * 1000;
  return {
    accessToken: result.AccessToken ?? '',
    refreshToken: result.RefreshToken ?? refreshToken ?? '',
    expiresAt: new Date(exp),
    user: publicUser(user, { sessionId: typeof claims.origin_jti === 'string' ? claims.origin_jti : undefined, role: 'authenticated' }),
  };
}

/** The Cognito username a magic-link token names, read without verifying it (the trigger verifies). */
function linkUserName(token: unknown): string | undefined {
  if (typeof token !== 'string' || token.length > 4096) return undefined;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  const claims = jwtClaims(`.${payload}`);
  return typeof claims.userName === 'string' && claims.userName.length > 0 ? claims.userName : undefined;
}
