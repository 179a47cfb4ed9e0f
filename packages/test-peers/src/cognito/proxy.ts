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
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CustomAuth } from './custom-auth.js';
import { EmailOtp } from './email-otp.js';
import { IssuedTokens } from './issued-tokens.js';
import { listUsers } from './list-users.js';
import type { CustomAuthTriggers } from './triggers.js';
import { Upstream } from './upstream.js';
import { CognitoFault, type Json, TARGET_PREFIX } from './wire.js';

export interface ProxyOptions {
  upstream: string;
  userPoolId: string;
  /** Handlers to run for CUSTOM_AUTH, as Cognito would invoke the Lambdas. */
  triggers?: CustomAuthTriggers;
  /** Answer USER_AUTH with SELECT_CHALLENGE even when PREFERRED_CHALLENGE is given. */
  ignorePreferredChallenge?: boolean;
}

export class CognitoProxy {
  /** The last email code sent to each address, as the harness reads it. */
  readonly sentCodes = new Map<string, string>();
  private readonly upstream: Upstream;
  private readonly tokens: IssuedTokens;
  private readonly emailOtp: EmailOtp;
  private readonly customAuth: CustomAuth;
  private server: Server | undefined;
  url = '';

  constructor(readonly options: ProxyOptions) {
    this.upstream = new Upstream(options);
    this.tokens = new IssuedTokens(this.upstream, options);
    this.emailOtp = new EmailOtp(this.upstream, this.tokens, this.sentCodes, options);
    this.customAuth = new CustomAuth(this.upstream, this.tokens, options);
  }

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
    this.emailOtp.expireCodes(email);
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
        if (input.AuthFlow === 'USER_AUTH') return this.emailOtp.startUserAuth(parameters);
        if (input.AuthFlow === 'CUSTOM_AUTH') return this.customAuth.startCustomAuth(input, parameters);
        if (input.AuthFlow === 'REFRESH_TOKEN_AUTH' || input.AuthFlow === 'REFRESH_TOKEN') return this.tokens.refresh(input, parameters);
        return undefined;
      case 'RespondToAuthChallenge':
        if (input.ChallengeName === 'SELECT_CHALLENGE') return this.emailOtp.select(input, parameters);
        if (input.ChallengeName === 'EMAIL_OTP') return this.emailOtp.answerOtp(input, parameters);
        if (input.ChallengeName === 'CUSTOM_CHALLENGE') return this.customAuth.answerCustom(input, parameters);
        return undefined;
      case 'ListUsers':
        return listUsers(this.upstream, input);
      case 'RevokeToken':
        return this.tokens.revoke(input);
      case 'AdminUserGlobalSignOut':
        return this.tokens.globalSignOut(input);
      default:
        return undefined;
    }
  }
}
