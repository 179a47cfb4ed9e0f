import type { ConnectionOptions } from 'node:tls';
import type { OnEvent } from '@switchyard/core/adapter/db';
import { adapterErrors } from '@switchyard/core/adapter/db';
import type { PostgresDbOptions } from '@switchyard/postgres';

/**
 * `direct`: `db.<project-ref>.supabase.co:5432`, or Supavisor in session mode (port 5432 on the
 * pooler host): a client owns its server connection. `transaction-pooler`: Supavisor in
 * transaction mode (port 6543), where consecutive transactions of one client run on different
 * server connections.
 */
export type SupabaseDbMode = 'direct' | 'transaction-pooler';

/**
 * TLS for the database connection. Supabase requires TLS.
 * - `{ ca }` (or any `tls.ConnectionOptions`): verify the server certificate against this CA —
 *   the project's "SSL certificate" from Dashboard → Database settings (Supabase Root 2021 CA).
 *   `rejectUnauthorized` defaults to true.
 * - `'require'`: encrypt without verifying the certificate (libpq `sslmode=require`, what the
 *   dashboard's connection strings do). The default when no CA is given.
 * - `false`: no TLS; for a local PostgreSQL only.
 */
export type SupabaseDbSsl = false | 'require' | ConnectionOptions;

/** Options of `createSupabaseDb`. */
export interface SupabaseDbOptions {
  /**
   * The project's connection string (Dashboard → Connect), for example
   * `postgresql://postgres.<ref>:<password>@aws-0-<region>.pooler.supabase.com:6543/postgres`.
   * `sslmode` in it is honoured (`disable`, `require`, `verify-ca`, `verify-full`) unless `ssl` is given.
   * With `client`, it only tells the mode (give `mode` instead) and may be left out.
   */
  connectionString?: string;
  /**
   * A pg Pool of your own, already configured for the project (TLS, the pooler's user): the adapter
   * runs on it and `close()` leaves it open. Give `mode: 'transaction-pooler'` when it goes through
   * Supavisor in transaction mode.
   */
  client?: PostgresDbOptions['client'];
  /** Default: `transaction-pooler` for port 6543 on a `*.pooler.supabase.com` host, else `direct`. */
  mode?: SupabaseDbMode;
  /** Most connections this process opens. Default 10 direct, 5 through the transaction pooler. */
  maxConnections?: number;
  ssl?: SupabaseDbSsl;
  /**
   * Server-side limit per statement, in ms, sent as a connection parameter. Default 30,000 direct.
   * Not available through the transaction pooler (a pooled server connection is shared, so a
   * client's startup parameter cannot apply to it): there, set it on the role
   * (`alter role postgres set statement_timeout = '30s'`).
   */
  statementTimeoutMs?: number;
  /** How long a call waits for a connection (TCP, TLS, authentication) before UNAVAILABLE. Default 10,000 ms. */
  connectionTimeoutMs?: number;
  /**
   * How long a call waits for the answer to one statement before UNAVAILABLE (retryable); that
   * connection is then closed, never pooled: the bound for a database or network that stops
   * answering. Default `statementTimeoutMs` + 5,000 ms (35 s; 35 s too through the transaction pooler).
   */
  queryTimeoutMs?: number;
  /** Roles `asUser` may switch to. Default: anon, authenticated, service_role. */
  allowedRoles?: readonly string[];
  onEvent?: OnEvent;
}

const POOLER_HOST = /\.pooler\.supabase\.com$/i;
const TRANSACTION_POOLER_PORT = 6543;
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'no-verify', 'verify-ca', 'verify-full'] as const;

const errors = adapterErrors('db', 'supabase');

const configError = (problems: string[]) =>
  errors.config(`Invalid Supabase database settings: ${problems.join('; ')}.`, { details: { problems } });

function decode(part: string, name: string, problems: string[]): string {
  try {
    return decodeURIComponent(part);
  } catch {
    problems.push(`the ${name} in connectionString is not valid percent-encoding`);
    return part;
  }
}

function tlsFromSslMode(sslmode: string | null, problems: string[]): SupabaseDbSsl {
  if (sslmode === null) return 'require';
  if (!(SSL_MODES as readonly string[]).includes(sslmode)) {
    problems.push(`sslmode "${sslmode}" is not one of ${SSL_MODES.join(', ')}`);
    return 'require';
  }
  if (sslmode === 'disable') return false;
  if (sslmode === 'verify-ca' || sslmode === 'verify-full') {
    problems.push(`sslmode=${sslmode} needs the Supabase CA: pass ssl: { ca: <PEM from Dashboard → Database settings> }`);
  }
  return 'require';
}

function toTls(ssl: SupabaseDbSsl): false | ConnectionOptions {
  if (ssl === false) return false;
  // Encrypted but unverified, as libpq's sslmode=require: Supabase's certificates chain to its own
  // root, which no system trust store holds, so verification needs the CA the caller downloads.
  if (ssl === 'require') return { rejectUnauthorized: false };
  return { rejectUnauthorized: true, ...ssl };
}

/** Checks the options and turns them into `@switchyard/postgres` settings; one CONFIG error lists every problem. */
export function resolveDbOptions(options: SupabaseDbOptions): { mode: SupabaseDbMode; postgres: PostgresDbOptions } {
  const problems: string[] = [];
  let url: URL | undefined;
  if (options?.client !== undefined && options.connectionString === undefined) {
    // The caller's pool knows where it connects.
  } else if (typeof options?.connectionString !== 'string' || options.connectionString === '') {
    problems.push('connectionString is required (Dashboard → Connect; env SUPABASE_DB_URL)');
  } else {
    try {
      url = new URL(options.connectionString);
    } catch {
      problems.push('connectionString is not a URL; expected postgresql://user:password@host:port/database');
    }
  }
  if (url && url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    problems.push(`connectionString must start with postgresql:// (got ${url.protocol}//)`);
  }
  const host = url?.hostname ?? '';
  const port = url?.port ? Number(url.port) : 5432;
  const user = url ? decode(url.username, 'user', problems) : '';
  const password = url ? decode(url.password, 'password', problems) : '';
  const database = url && url.pathname.length > 1 ? decode(url.pathname.slice(1), 'database', problems) : 'postgres';
  if (url) {
    if (host === '') problems.push('connectionString has no host');
    if (user === '') problems.push('connectionString has no user (postgres, or postgres.<project-ref> on the pooler)');
    if (POOLER_HOST.test(host) && !user.includes('.')) {
      problems.push(`Supavisor needs the project in the user name: use "${user || 'postgres'}.<project-ref>"`);
    }
  }
  const pooled = POOLER_HOST.test(host);
  const mode = options?.mode ?? (pooled && port === TRANSACTION_POOLER_PORT ? 'transaction-pooler' : 'direct');
  if (mode !== 'direct' && mode !== 'transaction-pooler')
    problems.push(`mode must be "direct" or "transaction-pooler" (got "${String(mode)}")`);
  if (pooled && mode === 'direct' && port === TRANSACTION_POOLER_PORT) {
    problems.push('port 6543 is Supavisor transaction mode: set mode "transaction-pooler", or use port 5432 for session mode');
  }
  if (pooled && mode === 'transaction-pooler' && port !== TRANSACTION_POOLER_PORT) {
    problems.push(`Supavisor transaction mode listens on port 6543, not ${port}`);
  }
  const max = options?.maxConnections;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) problems.push('maxConnections must be a positive integer');
  const timeout = options?.statementTimeoutMs;
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout < 0)) problems.push('statementTimeoutMs must be 0 or more');
  for (const name of ['connectionTimeoutMs', 'queryTimeoutMs'] as const) {
    const value = options?.[name];
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) problems.push(`${name} must be a positive number of milliseconds`);
  }
  if (mode === 'transaction-pooler' && timeout !== undefined && timeout > 0) {
    problems.push('statementTimeoutMs cannot be sent through the transaction pooler; set statement_timeout on the database role instead');
  }
  const ssl = options?.ssl ?? tlsFromSslMode(url?.searchParams.get('sslmode') ?? null, problems);
  if (ssl !== false && ssl !== 'require' && (typeof ssl !== 'object' || ssl === null)) {
    problems.push('ssl must be false, "require" or TLS options such as { ca }');
  }
  if (problems.length > 0) throw configError(problems);

  const transaction = mode === 'transaction-pooler';
  return {
    mode,
    postgres: {
      // Fields, not the connection string: pg lets a connection string's sslmode override `ssl`.
      host,
      port,
      database,
      user,
      password,
      ssl: toTls(ssl),
      max: max ?? (transaction ? 5 : 10),
      statementTimeoutMs: transaction ? 0 : (timeout ?? 30_000),
      ...(options.connectionTimeoutMs === undefined ? {} : { connectionTimeoutMs: options.connectionTimeoutMs }),
      ...(options.queryTimeoutMs === undefined ? {} : { queryTimeoutMs: options.queryTimeoutMs }),
      provider: 'supabase',
      ...(options.client === undefined ? {} : { client: options.client }),
      ...(options.allowedRoles === undefined ? {} : { allowedRoles: options.allowedRoles }),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    },
  };
}
