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
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose';
import { type FakeServer, readJson, sendJson, startFakeServer } from './http.js';

interface FakeUser {
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

interface FakeSession {
  id: string;
  userId: string;
  method: string;
}

interface RefreshToken {
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

const API_VERSION = '2024-01-01';

class GoTrueError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

function sendError(req: IncomingMessage, res: ServerResponse, error: GoTrueError): void {
  if (req.headers['x-supabase-api-version'] === API_VERSION) {
    sendJson(
      res,
      error.status,
      { code: error.errorCode, message: error.message },
      { 'x-supabase-api-version': API_VERSION, 'x-sb-error-code': error.errorCode },
    );
  } else {
    sendJson(
      res,
      error.status,
      { code: error.status, error_code: error.errorCode, msg: error.message },
      { 'x-sb-error-code': error.errorCode },
    );
  }
}

const sha224 = (value: string) => createHash('sha224').update(value).digest('hex');

async function newKey(): Promise<{ kid: string; privateKey: CryptoKey; jwk: JWK }> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  return {
    kid,
    privateKey: pair.privateKey,
    jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig', key_ops: ['verify'] },
  };
}

export async function startFakeGoTrue(options: FakeGoTrueOptions): Promise<FakeGoTrue> {
  const users = new Map<string, FakeUser>();
  const sessions = new Map<string, FakeSession>();
  const refreshTokens = new Map<string, RefreshToken>();
  const outbox: SentEmail[] = [];
  const keys = [await newKey()];
  let jwksCount = 0;
  let jwksMode: 'ok' | 'error' | 'hang' = 'ok';
  let issuer = '';
  const frequency = options.emailFrequencySeconds ?? 60;
  const reuseInterval = options.refreshTokenReuseInterval ?? 10;
  const otpExp = options.otpExpirySeconds ?? 3600;
  const jwtExp = options.jwtExpirySeconds ?? 3600;

  const userByEmail = (email: string) => [...users.values()].find((user) => user.email === email.toLowerCase());

  function userJson(user: FakeUser) {
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

  function claimsFor(user: FakeUser, session: FakeSession): Record<string, unknown> {
    const iat = Math.floor(Date.now() / 1000);
    return {
      iss: issuer,
      sub: user.id,
      aud: 'authenticated',
      exp: iat + jwtExp,
      iat,
      email: user.email,
      phone: '',
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: user.userMetadata,
      role: 'authenticated',
      aal: 'aal1',
      amr: [{ method: session.method, timestamp: iat }],
      session_id: session.id,
      is_anonymous: false,
    };
  }

  async function sign(claims: Record<string, unknown>, key = keys[0]!): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
  }

  async function issue(user: FakeUser, session: FakeSession, refreshToken?: string) {
    const token = refreshToken ?? randomBytes(9).toString('base64url');
    if (!refreshToken) refreshTokens.set(token, { token, sessionId: session.id, revoked: false, updatedAt: Date.now() });
    const claims = claimsFor(user, session);
    return {
      access_token: await sign(claims),
      token_type: 'bearer',
      expires_in: jwtExp,
      expires_at: claims.exp,
      refresh_token: token,
      user: userJson(user),
    };
  }

  function createUser(email: string, id: string = randomUUID()): FakeUser {
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
    users.set(id, user);
    return user;
  }

  async function authenticate(req: IncomingMessage): Promise<{ user: FakeUser; session: FakeSession }> {
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    let claims: Record<string, unknown>;
    try {
      const key = (header: { kid?: string }) => {
        const found = keys.find((k) => k.jwk.kid === header.kid);
        if (!found) throw new Error('unknown kid');
        return crypto.subtle.importKey('jwk', found.jwk as JsonWebKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      };
      claims = (await jwtVerify(token, key, { issuer })).payload as Record<string, unknown>;
    } catch (error) {
      throw new GoTrueError(403, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${(error as Error).message}`);
    }
    const session = sessions.get(String(claims.session_id));
    if (!session) throw new GoTrueError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
    const user = users.get(session.userId);
    if (!user) throw new GoTrueError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
    return { user, session };
  }

  function requireAdmin(req: IncomingMessage): void {
    if (req.headers.authorization !== `Bearer ${options.serviceRoleKey}`) throw new GoTrueError(403, 'not_admin', 'User not allowed');
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/^\/auth\/v1/, '');
    const method = req.method ?? 'GET';
    if (path === '/.well-known/jwks.json' && method === 'GET') {
      jwksCount++;
      if (jwksMode === 'error') return sendJson(res, 500, { code: 500, error_code: 'unexpected_failure', msg: 'Unexpected failure' });
      if (jwksMode === 'hang') return;
      return sendJson(res, 200, { keys: keys.map((key) => key.jwk) });
    }
    const apikey = req.headers.apikey;
    if (apikey !== options.anonKey && apikey !== options.serviceRoleKey) {
      return sendJson(res, 401, { message: 'No API key found in request' });
    }
    if (path === '/otp' && method === 'POST') {
      const body = await readJson<{ email?: string; create_user?: boolean }>(req);
      const email = (body.email ?? '').trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
        throw new GoTrueError(400, 'email_address_invalid', `Email address "${email}" is invalid`);
      let user = userByEmail(email);
      if (!user) {
        if (body.create_user === false) throw new GoTrueError(422, 'otp_disabled', 'Signups not allowed for otp');
        user = createUser(email);
      }
      if (user.otpSentAt !== null && Date.now() - user.otpSentAt < frequency * 1000) {
        const wait = Math.ceil((user.otpSentAt + frequency * 1000 - Date.now()) / 1000);
        throw new GoTrueError(429, 'over_email_send_rate_limit', `For security purposes, you can only request this after ${wait} seconds.`);
      }
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      user.otpHash = sha224(email + code);
      user.otpSentAt = Date.now();
      const redirect = url.searchParams.get('redirect_to') ?? options.siteUrl ?? 'http://localhost:3000';
      const link = `${issuer}/verify?token=${user.otpHash}&type=magiclink&redirect_to=${encodeURIComponent(redirect)}`;
      outbox.push({ to: email, code, tokenHash: user.otpHash, link });
      return sendJson(res, 200, {});
    }
    if (path === '/verify' && method === 'POST') {
      const body = await readJson<{ type?: string; email?: string; token?: string; token_hash?: string }>(req);
      let user: FakeUser | undefined;
      if (body.token_hash) {
        user = [...users.values()].find((candidate) => candidate.otpHash === body.token_hash);
        if (!user) throw new GoTrueError(403, 'otp_expired', 'Email link is invalid or has expired');
      } else {
        user = userByEmail(body.email ?? '');
        if (!user || user.otpHash !== sha224((body.email ?? '').toLowerCase() + (body.token ?? ''))) user = undefined;
      }
      const expired = !user?.otpSentAt || Date.now() > user.otpSentAt + otpExp * 1000;
      if (!user || expired) throw new GoTrueError(403, 'otp_expired', 'Token has expired or is invalid');
      const now = new Date().toISOString();
      user.otpHash = null;
      user.emailConfirmedAt ??= now;
      user.userMetadata = { ...user.userMetadata, email_verified: true };
      user.lastSignInAt = now;
      const session: FakeSession = { id: randomUUID(), userId: user.id, method: body.token_hash ? 'magiclink' : 'otp' };
      sessions.set(session.id, session);
      return sendJson(res, 200, await issue(user, session));
    }
    if (path === '/token' && method === 'POST' && url.searchParams.get('grant_type') === 'refresh_token') {
      const body = await readJson<{ refresh_token?: string }>(req);
      const token = refreshTokens.get(body.refresh_token ?? '');
      const session = token && sessions.get(token.sessionId);
      if (!token || !session) throw new GoTrueError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      const user = users.get(session.userId)!;
      if (token.revoked) {
        const active = [...refreshTokens.values()].find((t) => t.sessionId === session.id && !t.revoked);
        if (Date.now() <= token.updatedAt + reuseInterval * 1000 && active)
          return sendJson(res, 200, await issue(user, session, active.token));
        for (const t of refreshTokens.values()) if (t.sessionId === session.id) t.revoked = true;
        throw new GoTrueError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
      }
      token.revoked = true;
      token.updatedAt = Date.now();
      return sendJson(res, 200, await issue(user, session));
    }
    if (path === '/logout' && method === 'POST') {
      const { user, session } = await authenticate(req);
      const scope = url.searchParams.get('scope') ?? 'global';
      for (const other of [...sessions.values()]) {
        const ends =
          scope === 'local' ? other.id === session.id : other.userId === user.id && (scope === 'global' || other.id !== session.id);
        if (!ends) continue;
        sessions.delete(other.id);
        for (const [value, t] of refreshTokens) if (t.sessionId === other.id) refreshTokens.delete(value);
      }
      res.writeHead(204).end();
      return;
    }
    if (path === '/user' && method === 'GET') {
      const { user } = await authenticate(req);
      return sendJson(res, 200, userJson(user));
    }
    if (path.startsWith('/admin/users')) return admin(req, res, url, path.slice('/admin/users'.length));
    throw new GoTrueError(404, 'not_found', 'Resource not found');
  }

  async function admin(req: IncomingMessage, res: ServerResponse, url: URL, rest: string): Promise<void> {
    requireAdmin(req);
    const method = req.method ?? 'GET';
    if (rest === '' && method === 'POST') {
      const body = await readJson<{ id?: string; email?: string; email_confirm?: boolean; user_metadata?: Record<string, unknown> }>(req);
      const email = (body.email ?? '').toLowerCase();
      if (userByEmail(email)) throw new GoTrueError(422, 'email_exists', 'A user with this email address has already been registered');
      if (body.id && users.has(body.id)) throw new GoTrueError(422, 'user_already_exists', 'User already registered');
      const user = createUser(email, body.id);
      user.userMetadata = { ...body.user_metadata };
      if (body.email_confirm) user.emailConfirmedAt = new Date().toISOString();
      return sendJson(res, 200, userJson(user));
    }
    if (rest === '' && method === 'GET') {
      const page = Math.max(Number(url.searchParams.get('page') || 1), 1);
      const perPage = Math.min(Number(url.searchParams.get('per_page') || 50), 1000);
      const filter = (url.searchParams.get('filter') ?? '').toLowerCase();
      const all = [...users.values()]
        .filter((user) => user.email.includes(filter))
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
      const total = all.length;
      const lastPage = Math.max(Math.ceil(total / perPage), 1);
      const links: string[] = [];
      const base = `${issuer}/admin/users`;
      if (page < lastPage) links.push(`<${base}?page=${page + 1}&per_page=${perPage}>; rel="next"`);
      links.push(`<${base}?page=${lastPage}&per_page=${perPage}>; rel="last"`);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      return sendJson(
        res,
        200,
        { users: slice.map(userJson), aud: 'authenticated' },
        { 'x-total-count': String(total), link: links.join(', ') },
      );
    }
    const user = users.get(rest.slice(1));
    if (!user) throw new GoTrueError(404, 'user_not_found', 'User not found');
    if (method === 'GET') return sendJson(res, 200, userJson(user));
    if (method === 'PUT') {
      const body = await readJson<{ email?: string; email_confirm?: boolean; user_metadata?: Record<string, unknown> }>(req);
      if (body.email) {
        const owner = userByEmail(body.email);
        if (owner && owner.id !== user.id)
          throw new GoTrueError(422, 'email_exists', 'A user with this email address has already been registered');
        user.email = body.email.toLowerCase();
      }
      if (body.email_confirm !== undefined) user.emailConfirmedAt = body.email_confirm ? new Date().toISOString() : null;
      // GoTrue merges user_metadata; a null value deletes the key.
      for (const [key, value] of Object.entries(body.user_metadata ?? {})) {
        if (value === null) delete user.userMetadata[key];
        else user.userMetadata[key] = value;
      }
      user.updatedAt = new Date().toISOString();
      return sendJson(res, 200, userJson(user));
    }
    if (method === 'DELETE') {
      users.delete(user.id);
      for (const session of [...sessions.values()]) if (session.userId === user.id) sessions.delete(session.id);
      return sendJson(res, 200, {});
    }
    throw new GoTrueError(405, 'validation_failed', 'Method not allowed');
  }

  const server = await startFakeServer(async (req, res, url) => {
    try {
      await route(req, res, url);
    } catch (error) {
      if (error instanceof GoTrueError) sendError(req, res, error);
      else throw error;
    }
  });
  issuer = options.issuer ?? `${server.url}/auth/v1`;

  // A getter, so `issuer` follows serveAs (Object.assign would copy its value once).
  Object.defineProperty(server, 'issuer', { get: () => issuer, enumerable: true });
  return Object.assign(server as typeof server & { readonly issuer: string }, {
    serveAs: (url: string) => {
      issuer = `${url.replace(/\/+$/, '')}/auth/v1`;
    },
    outbox,
    lastEmail: (to: string) => outbox.findLast((mail) => mail.to === to.toLowerCase()),
    expireOtp: (email: string) => {
      const user = userByEmail(email);
      if (user?.otpSentAt) user.otpSentAt = Date.now() - (otpExp + 1) * 1000;
    },
    signAccessToken: async (claims: Record<string, unknown>, signOptions: { unknownKey?: boolean } = {}) => {
      const now = new Date().toISOString();
      const user = users.get(String(claims.sub)) ?? {
        ...{ id: String(claims.sub), email: 'unknown@example.com', emailConfirmedAt: null, userMetadata: {} },
        ...{ createdAt: now, updatedAt: now, lastSignInAt: null, otpHash: null, otpSentAt: null },
      };
      const session = [...sessions.values()].find((s) => s.userId === user.id) ?? { id: randomUUID(), userId: user.id, method: 'otp' };
      const full = { ...claimsFor(user, session), ...claims };
      return sign(full, signOptions.unknownKey ? await newKey() : keys[0]);
    },
    rotateKey: async () => {
      keys.unshift(await newKey());
    },
    jwksRequests: () => jwksCount,
    setJwksMode: (mode: 'ok' | 'error' | 'hang') => {
      jwksMode = mode;
    },
  });
}
