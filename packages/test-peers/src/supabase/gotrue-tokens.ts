import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { GoTrueError } from './gotrue-errors.js';
import { type FakeSession, type FakeUser, type GoTrueState, type SigningKey, userJson } from './gotrue-state.js';

export async function newKey(): Promise<SigningKey> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  return {
    kid,
    privateKey: pair.privateKey,
    jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig', key_ops: ['verify'] },
  };
}

export function claimsFor(state: GoTrueState, user: FakeUser, session: FakeSession): Record<string, unknown> {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: state.issuer,
    sub: user.id,
    aud: 'authenticated',
    exp: iat + state.jwtExp,
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

export async function sign(claims: Record<string, unknown>, key: SigningKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
}

/** `refreshToken`: the session's active token, handed out again to a reuse within the reuse interval. */
export async function issue(state: GoTrueState, user: FakeUser, session: FakeSession, refreshToken?: string) {
  const token = refreshToken ?? randomBytes(9).toString('base64url');
  if (!refreshToken) state.refreshTokens.set(token, { token, sessionId: session.id, revoked: false, updatedAt: Date.now() });
  const claims = claimsFor(state, user, session);
  return {
    access_token: await sign(claims, state.keys[0]!),
    token_type: 'bearer',
    expires_in: state.jwtExp,
    expires_at: claims.exp,
    refresh_token: token,
    user: userJson(user),
  };
}

export async function authenticate(state: GoTrueState, req: IncomingMessage): Promise<{ user: FakeUser; session: FakeSession }> {
  const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
  let claims: Record<string, unknown>;
  try {
    const key = (header: { kid?: string }) => {
      const found = state.keys.find((k) => k.jwk.kid === header.kid);
      if (!found) throw new Error('unknown kid');
      return crypto.subtle.importKey('jwk', found.jwk as JsonWebKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    };
    claims = (await jwtVerify(token, key, { issuer: state.issuer })).payload as Record<string, unknown>;
  } catch (error) {
    throw new GoTrueError(403, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${(error as Error).message}`);
  }
  const session = state.sessions.get(String(claims.session_id));
  if (!session) throw new GoTrueError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
  const user = state.users.get(session.userId);
  if (!user) throw new GoTrueError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
  return { user, session };
}
