import { sendJson } from '../http.js';
import { deleteAccount } from '../members/delete-account.js';
import { notify } from '../notices.js';
import type { RequestContext, Route } from '../router.js';
import { authenticate, clearSessionCookies } from '../session.js';

/** `DELETE /me`: removes the caller's files, rows and sign-in account, and says what went. */
async function deleteMe(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const removed = await deleteAccount(ctx.app, user.id);
  clearSessionCookies(ctx);
  // The user's other open pages (on any instance) close their chat sockets.
  await notify(ctx.app, user.id, { type: 'account-deleted' });
  sendJson(ctx.res, 200, { removed });
}

export const accountRoutes: Route[] = [{ method: 'DELETE', path: '/me', handler: deleteMe }];
