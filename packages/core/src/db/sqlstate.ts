import { NETWORK_ERROR_CODES } from '../adapter/network-errors.js';
import { type ErrorCode, SwitchyardError } from '../errors.js';

// SQLSTATE classes: https://www.postgresql.org/docs/current/errcodes-appendix.html
const BY_CODE: Record<string, ErrorCode> = {
  '23505': 'CONFLICT', // unique_violation
  '23P01': 'CONFLICT', // exclusion_violation
  '40001': 'CONFLICT', // serialization_failure: retrying the transaction can succeed
  '40P01': 'CONFLICT', // deadlock_detected
  '42501': 'FORBIDDEN', // insufficient_privilege (also RLS "new row violates row-level security policy")
  '28000': 'CONFIG', // invalid_authorization_specification
  '28P01': 'CONFIG', // invalid_password
  '3D000': 'CONFIG', // invalid_catalog_name: database does not exist
  // read_only_sql_transaction: a primary made read-only for a switch, or a replica after a failover;
  // the same write succeeds at the writable primary (the next deployment), so it is retryable.
  '25006': 'UNAVAILABLE',
  '57014': 'UNAVAILABLE', // query_canceled (statement_timeout)
  '53300': 'UNAVAILABLE', // too_many_connections
  '57P01': 'UNAVAILABLE', // admin_shutdown
  '57P02': 'UNAVAILABLE', // crash_shutdown
  '57P03': 'UNAVAILABLE', // cannot_connect_now
};

const BY_CLASS: Record<string, ErrorCode> = {
  '08': 'UNAVAILABLE', // connection exception
  '22': 'INVALID_INPUT', // data exception
  '23': 'INVALID_INPUT', // integrity constraint (not null, foreign key, check)
  '42': 'INVALID_INPUT', // syntax error or access rule violation
  '53': 'UNAVAILABLE', // insufficient resources
  '57': 'UNAVAILABLE', // operator intervention
  '58': 'UNAVAILABLE', // system error
};

/** Maps a PostgreSQL or driver error onto the taxonomy, keeping it as `cause`. */
export function mapPostgresError(error: unknown, context: { provider: string; operation: string }): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  const e = (error ?? {}) as { code?: unknown; message?: unknown; constraint?: unknown; detail?: unknown };
  const sqlstate = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(error);
  let code: ErrorCode | undefined = BY_CODE[sqlstate] ?? BY_CLASS[sqlstate.slice(0, 2)];
  if (!code && NETWORK_ERROR_CODES.has(sqlstate)) code = 'UNAVAILABLE';
  if (!code && /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(message)) code = 'UNAVAILABLE';
  const retryable = code === 'UNAVAILABLE' || sqlstate === '40001' || sqlstate === '40P01';
  return new SwitchyardError({
    code: code ?? 'UNAVAILABLE',
    port: 'db',
    ...context,
    retryable,
    cause: error,
    message: `PostgreSQL ${sqlstate ? `error ${sqlstate}` : 'failure'}: ${message}`,
    details: typeof e.constraint === 'string' ? { sqlstate, constraint: e.constraint } : sqlstate ? { sqlstate } : undefined,
  });
}
