/**
 * A test-only Cognito front for cognito-local. cognito-local (5.3) has no USER_AUTH, no
 * CUSTOM_AUTH, no AdminUserGlobalSignOut, ListUsers without Filter or pagination, and one error for
 * every refused refresh token. This proxy implements exactly those, as the documentation describes
 * them, and forwards every other call to cognito-local unchanged:
 *
 * - USER_AUTH / SELECT_CHALLENGE / EMAIL_OTP: InitiateAuth and RespondToAuthChallenge API reference
 *   https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
 *   https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 *   and "Authentication flows: choice-based sign-in"
 *   https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flows-selection-sdk.html
 *   (8-digit email code, a new `Session` per step, sessions valid 3 minutes by default).
 * - CUSTOM_AUTH with Define/Create/VerifyAuthChallenge triggers, their event shapes and the
 *   "<Trigger> failed with error <message>." relay of a trigger's exception:
 *   https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-challenge.html
 * - ListUsers Filter (`attr = "v"`, `attr ^= "v"`), Limit ≤ 60, PaginationToken:
 *   https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html
 * - AdminUserGlobalSignOut and the NotAuthorizedException messages for refresh tokens
 *   ("Invalid Refresh Token", "Refresh Token has been revoked"):
 *   https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUserGlobalSignOut.html
 *
 * Tokens are never made here: after a passed challenge the proxy gives the user a random permanent
 * password (AdminSetUserPassword) and signs in with USER_PASSWORD_AUTH, so the tokens are
 * cognito-local's own, signed with its key and published in its JWKS.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CustomAuthTriggers } from './triggers.js';

type Json = Record<string, unknown>;
type Attributes = { Name: string; Value: string }[];

class CognitoFault extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

interface OtpSession {
  kind: 'select' | 'otp';
  username: string;
  email: string;
  code: string;
  expiresAt: number;
  used: boolean;
}

interface CustomSession {
  username: string;
  attributes: Record<string, string>;
  history: { challengeName: string; challengeResult: boolean; challengeMetadata?: string }[];
  privateParameters: Record<string, string>;
  metadata: string | undefined;
  used: boolean;
}

export interface ProxyOptions {
  upstream: string;
  userPoolId: string;
  /** Handlers to run for CUSTOM_AUTH, as Cognito would invoke the Lambdas. */
  triggers?: CustomAuthTriggers;
  /** Answer USER_AUTH with SELECT_CHALLENGE even when PREFERRED_CHALLENGE is given. */
  ignorePreferredChallenge?: boolean;
}

const SESSION_MS = 3 * 60_000;
const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

export class CognitoProxy {
  /** The last email code sent to each address, as the harness reads it. */
  readonly sentCodes = new Map<string, string>();
  private readonly otp = new Map<string, OtpSession>();
  private readonly custom = new Map<string, CustomSession>();
  private readonly refreshTokens = new Map<string, Set<string>>();
  private readonly revoked = new Set<string>();
  private server: Server | undefined;
  url = '';

  constructor(readonly options: ProxyOptions) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Makes every outstanding code of `email` expire, as the 3-minute session would. */
  expireCodes(email: string): void {
    for (const session of this.otp.values()) if (session.email === email) session.expiresAt = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const target = String(req.headers['x-amz-target'] ?? '');
    try {
      const input = body.length > 0 ? (JSON.parse(body.toString('utf8')) as Json) : {};
      const handled = req.method === 'POST' ? await this.dispatch(target.replace(TARGET_PREFIX, ''), input) : undefined;
      if (handled !== undefined) {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(handled));
        return;
      }
      const upstream = await fetch(`${this.options.upstream}${req.url}`, {
        method: req.method ?? 'GET',
        headers: {
          'content-type': String(req.headers['content-type'] ?? 'application/json'),
          ...(target ? { 'x-amz-target': target } : {}),
        },
        ...(req.method === 'POST' ? { body } : {}),
      });
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    } catch (error) {
      const fault = error instanceof CognitoFault ? error : new CognitoFault('InternalErrorException', String(error));
      res.writeHead(fault.type === 'InternalErrorException' ? 500 : 400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: fault.type, message: fault.message }));
    }
  }

  /** The response for calls the proxy implements; undefined to forward. */
  private async dispatch(target: string, input: Json): Promise<Json | undefined> {
    const parameters = (input.AuthParameters ?? input.ChallengeResponses ?? {}) as Record<string, string>;
    switch (target) {
      case 'InitiateAuth':
        if (input.AuthFlow === 'USER_AUTH') return this.startUserAuth(parameters);
        if (input.AuthFlow === 'CUSTOM_AUTH') return this.startCustomAuth(input, parameters);
        if (input.AuthFlow === 'REFRESH_TOKEN_AUTH' || input.AuthFlow === 'REFRESH_TOKEN') return this.refresh(input, parameters);
        return undefined;
      case 'RespondToAuthChallenge':
        if (input.ChallengeName === 'SELECT_CHALLENGE') return this.select(input, parameters);
        if (input.ChallengeName === 'EMAIL_OTP') return this.answerOtp(input, parameters);
        if (input.ChallengeName === 'CUSTOM_CHALLENGE') return this.answerCustom(input, parameters);
        return undefined;
      case 'ListUsers':
        return this.listUsers(input);
      case 'RevokeToken': {
        const result = await this.call('RevokeToken', input);
        this.revoked.add(String(input.Token));
        return result;
      }
      case 'AdminUserGlobalSignOut':
        await this.call('AdminGetUser', { UserPoolId: this.options.userPoolId, Username: input.Username });
        for (const token of this.refreshTokens.get(String(input.Username)) ?? []) this.revoked.add(token);
        return {};
      default:
        return undefined;
    }
  }

  private async call(target: string, input: Json): Promise<Json> {
    const response = await fetch(this.options.upstream, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET_PREFIX}${target}` },
      body: JSON.stringify(input),
    });
    const json = (await response.json()) as Json;
    if (!response.ok) throw new CognitoFault(String(json.__type ?? 'InternalErrorException'), String(json.message ?? ''));
    return json;
  }

  private async user(username: string): Promise<{ Username: string; attributes: Record<string, string> }> {
    try {
      const found = await this.call('AdminGetUser', { UserPoolId: this.options.userPoolId, Username: username });
      const attributes = Object.fromEntries(((found.UserAttributes ?? []) as Attributes).map((a) => [a.Name, a.Value]));
      return { Username: String(found.Username), attributes };
    } catch (error) {
      if (error instanceof CognitoFault && error.type === 'UserNotFoundException')
        throw new CognitoFault(error.type, 'User does not exist.');
      throw error;
    }
  }

  private newSession(): string {
    return randomBytes(48).toString('base64');
  }

  private async startUserAuth(parameters: Record<string, string>): Promise<Json> {
    const user = await this.user(parameters.USERNAME ?? '');
    if (parameters.PREFERRED_CHALLENGE === 'EMAIL_OTP' && !this.options.ignorePreferredChallenge) return this.sendCode(user);
    const session = this.newSession();
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

  private async select(input: Json, parameters: Record<string, string>): Promise<Json> {
    const session = this.session(input);
    if (session.kind !== 'select' || parameters.ANSWER !== 'EMAIL_OTP')
      throw new CognitoFault('InvalidParameterException', 'Invalid challenge answer.');
    session.used = true;
    return this.sendCode(await this.user(session.username));
  }

  private sendCode(user: { Username: string; attributes: Record<string, string> }): Json {
    const email = user.attributes.email;
    if (!email) throw new CognitoFault('InvalidParameterException', 'User has no email to send a code to.');
    const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
    const session = this.newSession();
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

  private async answerOtp(input: Json, parameters: Record<string, string>): Promise<Json> {
    const session = this.session(input);
    if (session.kind !== 'otp' || parameters.USERNAME !== session.username)
      throw new CognitoFault('NotAuthorizedException', 'Invalid session for the user.');
    if (parameters.EMAIL_OTP_CODE !== session.code)
      throw new CognitoFault('CodeMismatchException', 'Invalid code or auth state for the user.');
    session.used = true;
    return this.issueTokens(session.username, String(input.ClientId));
  }

  private async issueTokens(username: string, clientId: string): Promise<Json> {
    const password = `Aa1!${randomBytes(24).toString('hex')}`;
    await this.call('AdminSetUserPassword', {
      UserPoolId: this.options.userPoolId,
      Username: username,
      Password: password,
      Permanent: true,
    });
    const result = await this.call('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    });
    const refresh = (result.AuthenticationResult as Json | undefined)?.RefreshToken;
    if (typeof refresh === 'string') {
      const tokens = this.refreshTokens.get(username) ?? new Set();
      tokens.add(refresh);
      this.refreshTokens.set(username, tokens);
    }
    return { ChallengeParameters: {}, AuthenticationResult: result.AuthenticationResult };
  }

  private async refresh(input: Json, parameters: Record<string, string>): Promise<Json> {
    const token = parameters.REFRESH_TOKEN ?? '';
    if (this.revoked.has(token)) throw new CognitoFault('NotAuthorizedException', 'Refresh Token has been revoked');
    try {
      return await this.call('InitiateAuth', input);
    } catch (error) {
      if (error instanceof CognitoFault && error.type === 'NotAuthorizedException') {
        throw new CognitoFault('NotAuthorizedException', 'Invalid Refresh Token');
      }
      throw error;
    }
  }

  private async listUsers(input: Json): Promise<Json> {
    const limit = Number(input.Limit ?? 60);
    if (!Number.isInteger(limit) || limit < 1 || limit > 60)
      throw new CognitoFault('InvalidParameterException', 'Limit must be between 1 and 60.');
    const all = ((await this.call('ListUsers', { UserPoolId: input.UserPoolId })).Users ?? []) as Json[];
    const filter = typeof input.Filter === 'string' ? parseFilter(input.Filter) : undefined;
    const matching = all.filter((user) => !filter || filter(user)).sort((a, b) => String(a.Username).localeCompare(String(b.Username)));
    // The token names the last username returned, so deletions between pages skip nobody.
    const after = typeof input.PaginationToken === 'string' ? Buffer.from(input.PaginationToken, 'base64url').toString('utf8') : undefined;
    const start = after === undefined ? 0 : matching.findIndex((user) => String(user.Username) > after);
    const rest = start === -1 ? [] : matching.slice(start);
    const page = rest.slice(0, limit);
    const last = page.at(-1);
    return {
      Users: page,
      ...(rest.length > limit && last ? { PaginationToken: Buffer.from(String(last.Username)).toString('base64url') } : {}),
    };
  }

  private async startCustomAuth(input: Json, parameters: Record<string, string>): Promise<Json> {
    const triggers = this.options.triggers;
    if (!triggers) throw new CognitoFault('InvalidParameterException', 'Custom auth lambda trigger is not configured for the user pool.');
    const user = await this.user(parameters.USERNAME ?? '');
    const state: CustomSession = {
      username: user.Username,
      attributes: user.attributes,
      history: [],
      privateParameters: {},
      metadata: undefined,
      used: false,
    };
    return this.nextCustomStep(state, String(input.ClientId), undefined);
  }

  private async answerCustom(input: Json, parameters: Record<string, string>): Promise<Json> {
    const triggers = this.options.triggers!;
    const state = this.custom.get(String(input.Session));
    if (!state) throw new CognitoFault('NotAuthorizedException', 'Invalid session for the user.');
    if (state.used) throw new CognitoFault('NotAuthorizedException', 'Invalid session for the user, session can only be used once.');
    state.used = true;
    const clientMetadata = input.ClientMetadata as Record<string, string> | undefined;
    const verified = await runTrigger('VerifyAuthChallengeResponse', () =>
      triggers.verifyAuthChallenge({
        ...this.eventBase(state, String(input.ClientId), 'VerifyAuthChallengeResponse_Authentication'),
        request: {
          userAttributes: state.attributes,
          privateChallengeParameters: state.privateParameters,
          challengeAnswer: parameters.ANSWER ?? '',
          ...(clientMetadata ? { clientMetadata } : {}),
        },
        response: {},
      }),
    );
    const history = [
      ...state.history,
      {
        challengeName: 'CUSTOM_CHALLENGE',
        challengeResult: verified.response.answerCorrect === true,
        ...(state.metadata ? { challengeMetadata: state.metadata } : {}),
      },
    ];
    return this.nextCustomStep({ ...state, history, used: false }, String(input.ClientId), clientMetadata);
  }

  private async nextCustomStep(state: CustomSession, clientId: string, clientMetadata: Record<string, string> | undefined): Promise<Json> {
    const triggers = this.options.triggers!;
    const defined = await runTrigger('DefineAuthChallenge', () =>
      triggers.defineAuthChallenge({
        ...this.eventBase(state, clientId, 'DefineAuthChallenge_Authentication'),
        request: { userAttributes: state.attributes, session: state.history, ...(clientMetadata ? { clientMetadata } : {}) },
        response: {},
      }),
    );
    if (defined.response.issueTokens) return this.issueTokens(state.username, clientId);
    if (defined.response.failAuthentication || defined.response.challengeName !== 'CUSTOM_CHALLENGE') {
      throw new CognitoFault('NotAuthorizedException', 'Incorrect username or password.');
    }
    const created = await runTrigger('CreateAuthChallenge', () =>
      triggers.createAuthChallenge({
        ...this.eventBase(state, clientId, 'CreateAuthChallenge_Authentication'),
        request: {
          userAttributes: state.attributes,
          challengeName: 'CUSTOM_CHALLENGE',
          session: state.history,
          ...(clientMetadata ? { clientMetadata } : {}),
        },
        response: {},
      }),
    );
    const session = this.newSession();
    this.custom.set(session, {
      ...state,
      privateParameters: created.response.privateChallengeParameters ?? {},
      metadata: created.response.challengeMetadata,
    });
    return {
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: session,
      ChallengeParameters: { ...created.response.publicChallengeParameters, USERNAME: state.username },
    };
  }

  private eventBase(state: CustomSession, clientId: string, triggerSource: string) {
    return {
      version: '1',
      region: this.options.userPoolId.split('_')[0] ?? '',
      userPoolId: this.options.userPoolId,
      userName: state.username,
      triggerSource,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
    };
  }
}

async function runTrigger<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new CognitoFault(
      'UserLambdaValidationException',
      `${name} failed with error ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
}

/** `attribute = "value"` (exact) or `attribute ^= "value"` (prefix), the two forms ListUsers accepts. */
function parseFilter(filter: string): (user: Json) => boolean {
  const match = /^\s*([\w:]+)\s*(\^?=)\s*"([^"]*)"\s*$/.exec(filter);
  if (!match) throw new CognitoFault('InvalidParameterException', 'Error while parsing filter.');
  const [, name, operator, value] = match as unknown as [string, string, string, string];
  return (user) => {
    const actual =
      name === 'username' ? String(user.Username) : ((user.Attributes ?? []) as Attributes).find((a) => a.Name === name)?.Value;
    if (actual === undefined) return false;
    return operator === '=' ? actual === value : actual.startsWith(value);
  };
}
