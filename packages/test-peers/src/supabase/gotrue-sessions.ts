import type { IncomingMessage, ServerResponse } from 'node:http';
import { GoTrueError } from './gotrue-errors.js';
import type { GoTrueState } from './gotrue-state.js';
import { authenticate, issue } from './gotrue-tokens.js';
import { readJson, sendJson } from './http.js';

/** `POST /token?grant_type=refresh_token` (internal/tokens/service.go). */
export async function refreshSession(state: GoTrueState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson<{ refresh_token?: string }>(req);
  const token = state.refreshTokens.get(body.refresh_token ?? '');
  const session = token && state.sessions.get(token.sessionId);
  if (!token || !session) throw new GoTrueError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
  const user = state.users.get(session.userId)!;
  if (token.revoked) {
    const active = [...state.refreshTokens.values()].find((t) => t.sessionId === session.id && !t.revoked);
    if (Date.now() <= token.updatedAt + state.reuseInterval * 1000 && active)
      return sendJson(res, 200, await issue(state, user, session, active.token));
    for (const t of state.refreshTokens.values()) if (t.sessionId === session.id) t.revoked = true;
    throw new GoTrueError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
  }
  token.revoked = true;
  token.updatedAt = Date.now();
  return sendJson(res, 200, await issue(state, user, session));
}

/** `POST /logout` (internal/api/logout.go). */
export async function logout(state: GoTrueState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { user, session } = await authenticate(state, req);
  const scope = url.searchParams.get('scope') ?? 'global';
  for (const other of [...state.sessions.values()]) {
    const ends = scope === 'local' ? other.id === session.id : other.userId === user.id && (scope === 'global' || other.id !== session.id);
    if (!ends) continue;
    state.sessions.delete(other.id);
    for (const [value, t] of state.refreshTokens) if (t.sessionId === other.id) state.refreshTokens.delete(value);
  }
  res.writeHead(204).end();
}
