import { randomInt } from 'node:crypto';
import type { IssuedTokens } from './issued-tokens.js';
import type { Upstream } from './upstream.js';
import { CognitoFault, type Json, newSession } from './wire.js';

interface OtpSession {
  kind: 'select' | 'otp';
  username: string;
  email: string;
  code: string;
  expiresAt: number;
  used: boolean;
}

const SESSION_MS = 3 * 60_000;

/** USER_AUTH's SELECT_CHALLENGE and EMAIL_OTP steps. */
export class EmailOtp {
  private readonly otp = new Map<string, OtpSession>();

  constructor(
    private readonly upstream: Upstream,
    private readonly tokens: IssuedTokens,
    /** The proxy's `sentCodes`, which the harness reads. */
    private readonly sentCodes: Map<string, string>,
    private readonly options: { readonly ignorePreferredChallenge?: boolean },
  ) {}

  expireCodes(email: string): void {
    for (const session of this.otp.values()) if (session.email === email) session.expiresAt = 0;
  }

  async startUserAuth(parameters: Record<string, string>): Promise<Json> {
    const user = await this.upstream.user(parameters.USERNAME ?? '');
    if (parameters.PREFERRED_CHALLENGE === 'EMAIL_OTP' && !this.options.ignorePreferredChallenge) return this.sendCode(user);
    const session = newSession();
    this.otp.set(session, {
      kind: 'select',
      username: user.Username,
      email: user.attributes.email ?? '',
      code: '',
      expiresAt: Date.now() + SESSION_MS,
      used: false,
    });
    return { ChallengeName: 'SELECT_CHALLENGE', Session: session, ChallengeParameters: {}, AvailableChallenges: ['EMAIL_OTP'] };
  }

  async select(input: Json, parameters: Record<string, string>): Promise<Json> {
    const session = this.session(input);
    if (session.kind !== 'select' || parameters.ANSWER !== 'EMAIL_OTP')
      throw new CognitoFault('InvalidParameterException', 'Invalid challenge answer.');
    session.used = true;
    return this.sendCode(await this.upstream.user(session.username));
  }

  private sendCode(user: { Username: string; attributes: Record<string, string> }): Json {
    const email = user.attributes.email;
    if (!email) throw new CognitoFault('InvalidParameterException', 'User has no email to send a code to.');
    const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
    const session = newSession();
    this.otp.set(session, { kind: 'otp', username: user.Username, email, code, expiresAt: Date.now() + SESSION_MS, used: false });
    this.sentCodes.set(email, code);
    return {
      ChallengeName: 'EMAIL_OTP',
      Session: session,
      ChallengeParameters: {
        CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
        CODE_DELIVERY_DESTINATION: `${email[0]}***@***`,
        USERNAME: user.Username,
      },
    };
  }

  private session(input: Json): OtpSession {
    const session = this.otp.get(String(input.Session));
    if (!session) throw new CognitoFault('NotAuthorizedException', 'Invalid session for the user.');
    if (session.used) throw new CognitoFault('NotAuthorizedException', 'Invalid session for the user, session can only be used once.');
    if (Date.now() > session.expiresAt)
      throw new CognitoFault('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    return session;
  }

  async answerOtp(input: Json, parameters: Record<string, string>): Promise<Json> {
    const session = this.session(input);
    if (session.kind !== 'otp' || parameters.USERNAME !== session.username)
      throw new CognitoFault('NotAuthorizedException', 'Invalid session for the user.');
    if (parameters.EMAIL_OTP_CODE !== session.code)
      throw new CognitoFault('CodeMismatchException', 'Invalid code or auth state for the user.');
    session.used = true;
    return this.tokens.issueTokens(session.username, String(input.ClientId));
  }
}
