/**
 * A fake of Supabase Auth (GoTrue) for auth-js 2.x, written from supabase/auth:
 * internal/api/{otp,verify,token,token_refresh (tokens/service.go),logout,user,admin,jwks}.go,
 * internal/api/apierrors/errorcode.go and errors.go (HandleResponseError: with
 * `X-Supabase-Api-Version: 2024-01-01` the body is `{code, message}`, else `{code, error_code, msg}`),
 * and the auth-js 2.119 request shapes (src/GoTrueClient.ts, src/GoTrueAdminApi.ts, src/lib/fetch.ts).
 * Behaviour kept on purpose: a wrong, used or expired OTP all answer 403 `otp_expired`; logout
 * deletes the session and its refresh tokens (so they then answer `refresh_token_not_found`);
 * reusing a rotated refresh token after the reuse interval revokes the whole session
 * (`refresh_token_already_used`); `GET /admin/users` pages with `Link` and `x-total-count`, newest
 * first. Access tokens are ES256, served at `/auth/v1/.well-known/jwks.json`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { admin } from './gotrue-admin.js';
import { GoTrueError, sendError } from './gotrue-errors.js';
import { sendOtp, verifyOtp } from './gotrue-otp.js';
import { logout, refreshSession } from './gotrue-sessions.js';
import { type GoTrueState, type SentEmail, userByEmail, userJson } from './gotrue-state.js';
import { authenticate, claimsFor, newKey, sign } from './gotrue-tokens.js';
import { type FakeServer, sendJson, startFakeServer } from './http.js';

export type { SentEmail } from './gotrue-state.js';

export interface FakeGoTrueOptions {
  anonKey: string;
  serviceRoleKey: string;
  /** GOTRUE_SMTP_MAX_FREQUENCY in seconds (GoTrue's default is 60). */
  emailFrequencySeconds?: number;
  /** GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL in seconds (default 10). */
  refreshTokenReuseInterval?: number;
  /** GOTRUE_MAILER_OTP_EXP in seconds (default 3600). */
  otpExpirySeconds?: number;
  /** GOTRUE_JWT_EXP in seconds (default 3600). */
  jwtExpirySeconds?: number;
  siteUrl?: string;
  /** GOTRUE_JWT_ISSUER: the `iss` of issued tokens. Default `<url>/auth/v1`; set it when a gateway serves the fake at another URL. */
  issuer?: string;
}

export interface FakeGoTrue extends FakeServer {
  readonly issuer: string;
  /** Names `url` (a proxy or gateway in front of the fake) in the tokens and links it issues from now on. */
  serveAs(url: string): void;
  readonly outbox: SentEmail[];
  lastEmail(to: string): SentEmail | undefined;
  /** Makes the outstanding code and link for `email` expire. */
  expireOtp(email: string): void;
  /** Signs an access token with the current key (or a fresh unknown one), claims overridden. */
  signAccessToken(claims: Record<string, unknown>, options?: { unknownKey?: boolean }): Promise<string>;
  /** Publishes a new signing key (key rotation); tokens are signed with it from now on. */
  rotateKey(): Promise<void>;
  /** How often the JWKS was fetched (answered or not). */
  jwksRequests(): number;
  /** How the JWKS endpoint answers from now on: normally, with 500, or never (the request hangs). */
  setJwksMode(mode: 'ok' | 'error' | 'hang'): void;
}

export async function startFakeGoTrue(options: FakeGoTrueOptions): Promise<FakeGoTrue> {
  const state: GoTrueState = {
    options,
    users: new Map(),
    sessions: new Map(),
    refreshTokens: new Map(),
    outbox: [],
    keys: [await newKey()],
    issuer: '',
    frequency: options.emailFrequencySeconds ?? 60,
    reuseInterval: options.refreshTokenReuseInterval ?? 10,
    otpExp: options.otpExpirySeconds ?? 3600,
    jwtExp: options.jwtExpirySeconds ?? 3600,
  };
  let jwksCount = 0;
  let jwksMode: 'ok' | 'error' | 'hang' = 'ok';

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/^\/auth\/v1/, '');
    const method = req.method ?? 'GET';
    if (path === '/.well-known/jwks.json' && method === 'GET') {
      jwksCount++;
      if (jwksMode === 'error') return sendJson(res, 500, { code: 500, error_code: 'unexpected_failure', msg: 'Unexpected failure' });
      if (jwksMode === 'hang') return;
      return sendJson(res, 200, { keys: state.keys.map((key) => key.jwk) });
    }
    const apikey = req.headers.apikey;
    if (apikey !== options.anonKey && apikey !== options.serviceRoleKey) {
      return sendJson(res, 401, { message: 'No API key found in request' });
    }
    if (path === '/otp' && method === 'POST') return sendOtp(state, req, res, url);
    if (path === '/verify' && method === 'POST') return verifyOtp(state, req, res);
    if (path === '/token' && method === 'POST' && url.searchParams.get('grant_type') === 'refresh_token')
      return refreshSession(state, req, res);
    if (path === '/logout' && method === 'POST') return logout(state, req, res, url);
    if (path === '/user' && method === 'GET') {
      const { user } = await authenticate(state, req);
      return sendJson(res, 200, userJson(user));
    }
    if (path.startsWith('/admin/users')) return admin(state, req, res, url, path.slice('/admin/users'.length));
    throw new GoTrueError(404, 'not_found', 'Resource not found');
  }

  const server = await startFakeServer(async (req, res, url) => {
    try {
      await route(req, res, url);
    } catch (error) {
      if (error instanceof GoTrueError) sendError(req, res, error);
      else throw error;
    }
  });
  state.issuer = options.issuer ?? `${server.url}/auth/v1`;

  // A getter, so `issuer` follows serveAs (Object.assign would copy its value once).
  Object.defineProperty(server, 'issuer', { get: () => state.issuer, enumerable: true });
  return Object.assign(server as typeof server & { readonly issuer: string }, {
    serveAs: (url: string) => {
      state.issuer = `${url.replace(/\/+$/, '')}/auth/v1`;
    },
    outbox: state.outbox,
    lastEmail: (to: string) => state.outbox.findLast((mail) => mail.to === to.toLowerCase()),
    expireOtp: (email: string) => {
      const user = userByEmail(state, email);
      if (user?.otpSentAt) user.otpSentAt = Date.now() - (state.otpExp + 1) * 1000;
    },
    signAccessToken: async (claims: Record<string, unknown>, signOptions: { unknownKey?: boolean } = {}) => {
      const now = new Date().toISOString();
      const user = state.users.get(String(claims.sub)) ?? {
        ...{ id: String(claims.sub), email: 'unknown@example.com', emailConfirmedAt: null, userMetadata: {} },
        ...{ createdAt: now, updatedAt: now, lastSignInAt: null, otpHash: null, otpSentAt: null },
      };
      const session = [...state.sessions.values()].find((s) => s.userId === user.id) ?? {
        id: randomUUID(),
        userId: user.id,
        method: 'otp',
      };
      const full = { ...claimsFor(state, user, session), ...claims };
      return sign(full, signOptions.unknownKey ? await newKey() : state.keys[0]!);
    },
    rotateKey: async () => {
      state.keys.unshift(await newKey());
    },
    jwksRequests: () => jwksCount,
    setJwksMode: (mode: 'ok' | 'error' | 'hang') => {
      jwksMode = mode;
    },
  });
}
