import { type DbClient, type DbPort, type DbUser, type SqlFragment, SwitchyardError } from '@switchyard/core/adapter/db';

// 28P01 invalid_password / 28000 invalid_authorization_specification: raised only while a new
// connection authenticates, so `fn` has not run yet and retrying cannot repeat any work.
const AUTH_FAILURE = new Set(['28P01', '28000']);

function isAuthFailure(error: unknown): boolean {
  const sqlstate = SwitchyardError.isInstance(error) ? error.details?.sqlstate : undefined;
  return typeof sqlstate === 'string' && AUTH_FAILURE.has(sqlstate);
}

/**
 * Wraps a DbPort whose password comes from a rotating secret: when a call fails because the
 * password was refused, `invalidate` drops the cached secret and the call is tried once more,
 * so a rotation does not take the app down.
 */
export function retryOnceAfterRotation(db: DbPort, invalidate: () => void): DbPort {
  async function retry<R>(call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      if (!isAuthFailure(error)) throw error;
      invalidate();
      return call();
    }
  }
  return {
    provider: db.provider,
    capabilities: db.capabilities,
    query: <Row>(query: SqlFragment) => retry(() => db.query<Row>(query)),
    one: <Row>(query: SqlFragment) => retry(() => db.one<Row>(query)),
    maybeOne: <Row>(query: SqlFragment) => retry(() => db.maybeOne<Row>(query)),
    transaction: <R>(fn: (tx: DbClient) => Promise<R>) => retry(() => db.transaction(fn)),
    asUser: <R>(user: DbUser, fn: (tx: DbClient) => Promise<R>) => retry(() => db.asUser(user, fn)),
    close: () => db.close(),
  };
}
