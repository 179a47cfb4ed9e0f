import { type AuthUser, type Session, SwitchyardError } from '@switchyard/core';
import { cookies } from 'next/headers';
import { getProviders } from './providers';

export const ACCESS_COOKIE = 'sy_access';

/** The signed-in user from the access cookie, verified locally by the AuthPort; null when signed out. */
export async function currentUser(): Promise<AuthUser | null> {
  const token = (await cookies()).get(ACCESS_COOKIE)?.value;
  if (!token) return null;
  try {
    return await (await getProviders()).auth.verifyAccessToken(token);
  } catch (error) {
    if (SwitchyardError.hasCode(error, 'UNAUTHENTICATED')) return null;
    throw error;
  }
}

export async function requireUser(): Promise<AuthUser> {
  const user = await currentUser();
  if (!user) throw new SwitchyardError({ code: 'UNAUTHENTICATED', message: 'Sign in first.' });
  return user;
}

/** HttpOnly, SameSite=Lax: scripts cannot read the token and cross-site POSTs do not carry it. */
export async function startSession(session: Session): Promise<void> {
  (await cookies()).set(ACCESS_COOKIE, session.accessToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure: process.env.NODE_ENV === 'production' && (process.env.APP_ORIGIN ?? '').startsWith('https:'),
    path: '/',
    expires: session.expiresAt,
  });
}
