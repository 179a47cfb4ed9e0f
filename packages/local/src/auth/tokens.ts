import { errors, jwtVerify } from 'jose';
import { errors as authErrors } from './errors.js';
import type { SigningKey } from './keys.js';
import { signToken } from './keys.js';
import type { SessionRecord, UserRecord } from './store.js';

export interface TokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
  now: () => number;
}

/** Claims shaped like a Supabase access token, so RLS policies and `auth.jwt()` read the same fields. */
export function accessClaims(user: UserRecord, session: SessionRecord, settings: TokenSettings): Record<string, unknown> {
  const iat = Math.floor(settings.now() / 1000);
  return {
    iss: settings.issuer,
    sub: user.id,
    aud: settings.audience,
    iat,
    exp: iat + settings.ttlSeconds,
    role: 'authenticated',
    email: user.email,
    session_id: session.id,
    aal: 'aal1',
    amr: [{ method: session.method, timestamp: Math.floor(session.createdAt / 1000) }],
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: user.metadata,
    is_anonymous: false,
  };
}

export function issueAccessToken(key: SigningKey, claims: Record<string, unknown>): Promise<string> {
  return signToken(key, claims);
}

/** Verifies signature (ES256 only: `alg: none` and HMAC are refused), key id, issuer, audience and expiry. */
export async function verifyAccessClaims(token: string, key: SigningKey, settings: TokenSettings): Promise<Record<string, unknown>> {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, key.publicKey, {
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: ['ES256'],
      currentDate: new Date(settings.now()),
    });
    if (protectedHeader.kid !== key.kid)
      throw authErrors.refused('verifyAccessToken', 'invalid', 'The access token was signed with an unknown key.');
    return payload as Record<string, unknown>;
  } catch (error) {
    if (error instanceof errors.JWTExpired)
      throw authErrors.refused('verifyAccessToken', 'expired', 'The access token has expired; refresh the session.', error);
    if (error instanceof Error && error.name === 'SwitchyardError') throw error;
    throw authErrors.refused('verifyAccessToken', 'invalid', 'The access token is not valid for this issuer and audience.', error);
  }
}
