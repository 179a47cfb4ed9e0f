import { mapPostgresError, SwitchyardError } from '@switchyard/core/adapter/db';

type Context = { provider: string; operation: string };

// pg's own messages for a client whose connection is gone (pg/lib/client.js: "Client has
// encountered a connection error and is not queryable", "Client was closed and is not queryable",
// "Connection terminated unexpectedly").
const LOST_MESSAGE = /not queryable|^Connection terminated/;
const SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
// SQLSTATEs with which the server ends the session: admin_shutdown (pg_terminate_backend, a
// failover), crash_shutdown, idle_session_timeout.
const FATAL_SQLSTATES = new Set(['57P01', '57P02', '57P05']);

// Node's codes for a server certificate that does not verify (node:tls, OpenSSL X509 errors).
const CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A statement the server did not answer within `queryTimeoutMs`; its connection was closed. */
export class QueryTimeoutError extends Error {
  override readonly name = 'QueryTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`PostgreSQL did not answer within queryTimeoutMs (${timeoutMs} ms)`);
  }
}

function fields(error: unknown): { code: string; syscall: string; message: string } {
  const e = (error ?? {}) as { code?: unknown; syscall?: unknown; message?: unknown };
  return {
    code: typeof e.code === 'string' ? e.code : '',
    syscall: typeof e.syscall === 'string' ? e.syscall : '',
    message: typeof e.message === 'string' ? e.message : String(error),
  };
}

/**
 * True when, after this error, nobody knows what state the connection is in (it is gone, or a
 * query on it was abandoned unanswered): it must be destroyed, never pooled or rolled back on.
 */
export function connectionLost(error: unknown): boolean {
  const cause = SwitchyardError.isInstance(error) ? error.cause : error;
  if (cause instanceof QueryTimeoutError) return true;
  const { code, message } = fields(cause);
  return LOST_MESSAGE.test(message) || SOCKET_CODES.has(code) || FATAL_SQLSTATES.has(code);
}

/**
 * True when the failed statement cannot have reached the server: the client already knew its
 * connection was gone, or writing to the socket failed (the peer had reset it). Such a call can be
 * sent again on another connection without any risk of running twice.
 */
export function neverSent(error: unknown): boolean {
  const { code, syscall, message } = fields(error);
  return /not queryable/.test(message) || (syscall === 'write' && SOCKET_CODES.has(code));
}

function tlsProblem(error: unknown): string | undefined {
  const { code, message } = fields(error);
  if (message === 'The server does not support SSL connections') {
    return (
      'The PostgreSQL server does not accept TLS, and this configuration requires it. Connect to a server with TLS, ' +
      'or, for a local server only, turn TLS off: `ssl: false`, or sslmode=disable in the connection string (DATABASE_URL, SUPABASE_DB_URL).'
    );
  }
  if (CERTIFICATE_CODES.has(code)) {
    return (
      `The PostgreSQL server's TLS certificate did not verify (${code}): give the CA that signed it as \`ssl: { ca }\` ` +
      '(Supabase: the SSL certificate from Dashboard → Database settings; RDS: the bundled RDS CAs are used by default), ' +
      'and connect by the host name the certificate names.'
    );
  }
  return undefined;
}

/** Maps a pg failure onto the taxonomy: core's SQLSTATE mapping, plus lost connections and TLS mistakes. */
export function mapDbError(error: unknown, context: Context): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  const tls = tlsProblem(error);
  if (tls) return new SwitchyardError({ code: 'CONFIG', port: 'db', ...context, retryable: false, cause: error, message: tls });
  const mapped = mapPostgresError(error, context);
  if (!connectionLost(error) || (mapped.code === 'UNAVAILABLE' && mapped.retryable)) return mapped;
  const { message } = fields(error);
  // A lost connection rolls back whatever was open on it; the call can be made again on another.
  return new SwitchyardError({
    code: 'UNAVAILABLE',
    port: 'db',
    ...context,
    retryable: true,
    cause: error,
    message:
      error instanceof QueryTimeoutError
        ? `${message}; the connection was closed, and the call can be retried.`
        : `The connection to PostgreSQL was lost (${message}); the call can be retried.`,
    ...(mapped.details ? { details: mapped.details } : {}),
  });
}

/** The error for a COMMIT whose connection was lost after it may have reached the server. */
export function commitInDoubt(error: unknown, context: Context): SwitchyardError {
  return new SwitchyardError({
    code: 'UNAVAILABLE',
    port: 'db',
    ...context,
    // Retrying blindly could apply the transaction twice.
    retryable: false,
    cause: error,
    details: { commitOutcome: 'unknown' },
    message:
      'The connection to PostgreSQL was lost while COMMIT was in flight: the transaction may have committed or not. ' +
      'Check its effect before running it again.',
  });
}

/** The error for a transaction client used after its transaction ended (a query not awaited inside the callback). */
export function outsideTransaction(context: Context): SwitchyardError {
  return new SwitchyardError({
    code: 'INVALID_INPUT',
    port: 'db',
    ...context,
    message: 'This transaction client was used outside its transaction; run queries inside the transaction callback and await them.',
  });
}

/** The error for a call on a port that was closed. */
export function portClosed(context: Context): SwitchyardError {
  return new SwitchyardError({
    code: 'UNAVAILABLE',
    port: 'db',
    ...context,
    retryable: false,
    message: 'This database port was closed; create a new one to run more queries.',
  });
}
