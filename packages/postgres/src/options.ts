import type { ConnectionOptions } from 'node:tls';
import type { OnEvent } from '@switchyard/core/adapter/db';
import type pg from 'pg';

/** How to reach PostgreSQL and how the pool behaves. */
export interface PostgresDbOptions {
  /** `postgres://user:pass@host:5432/db?sslmode=…`; individual fields below override it. */
  connectionString?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  /** A string, or a function called for every new physical connection (IAM tokens, rotated secrets). */
  password?: string | (() => string | Promise<string>);
  /** `true` verifies against the system CAs; pass TLS options for a private CA; `false` for none. */
  ssl?: boolean | ConnectionOptions;
  /** Most connections the pool opens. Default 10. */
  max?: number;
  /** Server-side limit for each statement, in milliseconds. Default 30,000; 0 disables it. */
  statementTimeoutMs?: number;
  /** How long an idle pooled connection is kept. Default 10,000 ms. */
  idleTimeoutMs?: number;
  /** How long to wait for a connection before failing with UNAVAILABLE. Default 10,000 ms. */
  connectionTimeoutMs?: number;
  /**
   * How long to wait for the server's answer to one statement before giving up with UNAVAILABLE
   * (retryable) and closing that connection, whose state is then unknown: the bound for a server
   * or network that stops answering. Default: `statementTimeoutMs` + 5,000 ms (35 s), so the
   * server's own statement timeout normally fires first and keeps the connection.
   */
  queryTimeoutMs?: number;
  /** The provider name reported in errors and events: `postgres`, `aws`, `supabase`. */
  provider?: string;
  /** Roles `asUser` may switch to. Default: anon, authenticated, service_role. */
  allowedRoles?: readonly string[];
  /**
   * A pool of your own to run on (its connection settings, `max` and `statement_timeout` are then
   * yours; the fields above that configure a pool are ignored). `close()` leaves it open: you end it.
   */
  client?: pg.Pool;
  onEvent?: OnEvent;
}
