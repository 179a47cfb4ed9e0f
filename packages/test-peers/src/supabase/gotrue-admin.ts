import type { IncomingMessage, ServerResponse } from 'node:http';
import { GoTrueError } from './gotrue-errors.js';
import { createUser, type GoTrueState, userByEmail, userJson } from './gotrue-state.js';
import { readJson, sendJson } from './http.js';

function requireAdmin(state: GoTrueState, req: IncomingMessage): void {
  if (req.headers.authorization !== `Bearer ${state.options.serviceRoleKey}`) throw new GoTrueError(403, 'not_admin', 'User not allowed');
}

/** `/admin/users[/<id>]` (internal/api/admin.go); `rest` is the path after `/admin/users`. */
export async function admin(state: GoTrueState, req: IncomingMessage, res: ServerResponse, url: URL, rest: string): Promise<void> {
  requireAdmin(state, req);
  const method = req.method ?? 'GET';
  if (rest === '' && method === 'POST') {
    const body = await readJson<{ id?: string; email?: string; email_confirm?: boolean; user_metadata?: Record<string, unknown> }>(req);
    const email = (body.email ?? '').toLowerCase();
    if (userByEmail(state, email)) throw new GoTrueError(422, 'email_exists', 'A user with this email address has already been registered');
    if (body.id && state.users.has(body.id)) throw new GoTrueError(422, 'user_already_exists', 'User already registered');
    const user = createUser(state, email, body.id);
    user.userMetadata = { ...body.user_metadata };
    if (body.email_confirm) user.emailConfirmedAt = new Date().toISOString();
    return sendJson(res, 200, userJson(user));
  }
  if (rest === '' && method === 'GET') {
    const page = Math.max(Number(url.searchParams.get('page') || 1), 1);
    const perPage = Math.min(Number(url.searchParams.get('per_page') || 50), 1000);
    const filter = (url.searchParams.get('filter') ?? '').toLowerCase();
    const all = [...state.users.values()]
      .filter((user) => user.email.includes(filter))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
    const total = all.length;
    const lastPage = Math.max(Math.ceil(total / perPage), 1);
    const links: string[] = [];
    const base = `${state.issuer}/admin/users`;
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
  const user = state.users.get(rest.slice(1));
  if (!user) throw new GoTrueError(404, 'user_not_found', 'User not found');
  if (method === 'GET') return sendJson(res, 200, userJson(user));
  if (method === 'PUT') {
    const body = await readJson<{ email?: string; email_confirm?: boolean; user_metadata?: Record<string, unknown> }>(req);
    if (body.email) {
      const owner = userByEmail(state, body.email);
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
    state.users.delete(user.id);
    for (const session of [...state.sessions.values()]) if (session.userId === user.id) state.sessions.delete(session.id);
    return sendJson(res, 200, {});
  }
  throw new GoTrueError(405, 'validation_failed', 'Method not allowed');
}
