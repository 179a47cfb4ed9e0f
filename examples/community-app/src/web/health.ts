import { sendJson } from '../http.js';
import type { RequestContext, Route } from '../router.js';

async function health(ctx: RequestContext): Promise<void> {
  sendJson(ctx.res, 200, { ok: true });
}

export const healthRoutes: Route[] = [{ method: 'GET', path: '/healthz', handler: health }];
