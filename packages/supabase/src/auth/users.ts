import type { User } from '@supabase/supabase-js';
import type { AuthUser } from '@switchyard/core/adapter/auth';
import type { JWTPayload } from 'jose';

/** A GoTrue user as the port's AuthUser; the Supabase UUID is the application id. */
export function toAuthUser(user: User): AuthUser {
  return {
    id: user.id,
    email: user.email ?? '',
    emailVerified: Boolean(user.email_confirmed_at),
    provider: 'supabase',
    metadata: { ...(user.user_metadata ?? {}) },
    createdAt: user.created_at ? new Date(user.created_at) : undefined,
  };
}

const EMAIL_METHODS = new Set(['otp', 'magiclink', 'email/signup']);

/** The AuthUser a verified access token describes, read from its claims alone. */
export function claimsToAuthUser(claims: JWTPayload): AuthUser {
  const metadata = (claims.user_metadata ?? {}) as Record<string, unknown>;
  const amr = Array.isArray(claims.amr) ? (claims.amr as { method?: string }[]) : [];
  return {
    id: String(claims.sub),
    email: typeof claims.email === 'string' ? claims.email : '',
    // An email sign-in proves the address; otherwise GoTrue mirrors confirmation into user_metadata.
    emailVerified: metadata.email_verified === true || amr.some((entry) => EMAIL_METHODS.has(String(entry.method))),
    provider: 'supabase',
    metadata: { ...metadata },
    sessionId: typeof claims.session_id === 'string' ? claims.session_id : undefined,
    role: typeof claims.role === 'string' ? claims.role : undefined,
  };
}
