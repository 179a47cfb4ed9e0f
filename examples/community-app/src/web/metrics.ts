import { sendJson } from '../http.js';
import type { RequestContext, Route } from '../router.js';

/**
 * `@switchyard/otel/counters` as JSON: per port and operation, calls, errors, dual-run divergences
 * and shadow failures, the shadow circuit and the repair journal backlog, with the names
 * `switchyard status` prints. Counts say nothing about any member, so, like `/healthz`, it needs no
 * session; a deployment that would rather not show its traffic keeps the path off its public proxy.
 */
async function metrics(ctx: RequestContext): Promise<void> {
  sendJson(ctx.res, 200, ctx.app.counters());
}

export const metricsRoutes: Route[] = [{ method: 'GET', path: '/metrics', handler: metrics }];
