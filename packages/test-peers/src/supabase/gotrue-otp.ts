import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GoTrueError } from './gotrue-errors.js';
import { createUser, type FakeSession, type FakeUser, type GoTrueState, userByEmail } from './gotrue-state.js';
import { issue } from './gotrue-tokens.js';
import { readJson, sendJson } from './http.js';

const sha224 = (value: string) => createHash('sha224').update(value).digest('hex');

/** `POST /otp` (internal/api/otp.go): the code and the magic link carry the same token. */
export async function sendOtp(state: GoTrueState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const body = await readJson<{ email?: string; create_user?: boolean }>(req);
  const email = (body.email ?? '').trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new GoTrueError(400, 'email_address_invalid', `Email address "${email}" is invalid`);
  let user = userByEmail(state, email);
  if (!user) {
    if (body.create_user === false) throw new GoTrueError(422, 'otp_disabled', 'Signups not allowed for otp');
    user = createUser(state, email);
  }
  if (user.otpSentAt !== null && Date.now() - user.otpSentAt < state.frequency * 1000) {
    const wait = Math.ceil((user.otpSentAt + state.frequency * 1000 - Date.now()) / 1000);
    throw new GoTrueError(429, 'over_email_send_rate_limit', `For security purposes, you can only request this after ${wait} seconds.`);
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  user.otpHash = sha224(email + code);
  user.otpSentAt = Date.now();
  const redirect = url.searchParams.get('redirect_to') ?? state.options.siteUrl ?? 'http://localhost:3000';
  const link = `${state.issuer}/verify?token=${user.otpHash}&type=magiclink&redirect_to=${encodeURIComponent(redirect)}`;
  state.outbox.push({ to: email, code, tokenHash: user.otpHash, link });
  return sendJson(res, 200, {});
}

/** `POST /verify` (internal/api/verify.go). */
export async function verifyOtp(state: GoTrueState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson<{ type?: string; email?: string; token?: string; token_hash?: string }>(req);
  let user: FakeUser | undefined;
  if (body.token_hash) {
    user = [...state.users.values()].find((candidate) => candidate.otpHash === body.token_hash);
    if (!user) throw new GoTrueError(403, 'otp_expired', 'Email link is invalid or has expired');
  } else {
    user = userByEmail(state, body.email ?? '');
    if (!user || user.otpHash !== sha224((body.email ?? '').toLowerCase() + (body.token ?? ''))) user = undefined;
  }
  const expired = !user?.otpSentAt || Date.now() > user.otpSentAt + state.otpExp * 1000;
  if (!user || expired) throw new GoTrueError(403, 'otp_expired', 'Token has expired or is invalid');
  const now = new Date().toISOString();
  user.otpHash = null;
  user.emailConfirmedAt ??= now;
  user.userMetadata = { ...user.userMetadata, email_verified: true };
  user.lastSignInAt = now;
  const session: FakeSession = { id: randomUUID(), userId: user.id, method: body.token_hash ? 'magiclink' : 'otp' };
  state.sessions.set(session.id, session);
  return sendJson(res, 200, await issue(state, user, session));
}
