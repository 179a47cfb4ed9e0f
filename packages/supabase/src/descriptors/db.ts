import type { EnvReader } from '@switchyard/core/adapter/descriptor';
import { describeAdapter, setting } from '@switchyard/core/adapter/descriptor';
import type { SupabaseDb, SupabaseDbOptions } from '../db/index.js';
import { defined, list, milliseconds, wholeNumber, zeroOrMore } from './settings.js';

/** TLS verified against the project's CA when SUPABASE_DB_CA holds it (else the adapter's default, sslmode=require). */
function projectCa(ca: string | undefined, env: EnvReader): { ca: string } | undefined {
  if (ca === undefined) return undefined;
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
    env.report('SUPABASE_DB_CA', 'is not a PEM certificate', 'the PEM text of the SSL certificate from Dashboard → Database settings');
    return undefined;
  }
  return { ca };
}

/** `SWITCHYARD_DB=supabase`: the project's PostgreSQL, directly or through Supavisor, with PostgREST-identical `asUser`. */
export const supabaseDb = describeAdapter({
  name: 'supabase',
  port: 'db',
  module: '@switchyard/supabase/db',
  description: "Supabase Postgres: the project's database (direct or Supavisor) with PostgREST-identical asUser claims.",
  settings: {
    connectionString: {
      ...setting.url('SUPABASE_DB_URL', ['postgres:', 'postgresql:'], {
        description: 'the Postgres connection string from the project database settings',
        example: 'postgresql://postgres.abcdefgh:password@aws-0-eu-west-1.pooler.supabase.com:6543/postgres',
        required: true,
      }),
      // It holds the database password.
      secret: true,
    },
    ca: setting.optional('SUPABASE_DB_CA', {
      description: 'the PEM text of the SSL certificate from Dashboard → Database settings, to verify the server',
      example: '-----BEGIN CERTIFICATE-----…',
      default: 'encrypted without verifying the certificate (sslmode=require)',
    }),
    connectionTimeoutMs: milliseconds('SUPABASE_DB_CONNECT_TIMEOUT_MS', {
      description: 'milliseconds a call waits for a connection (TCP, TLS, authentication)',
      example: '10000',
      default: '10000',
    }),
    queryTimeoutMs: milliseconds('SUPABASE_DB_QUERY_TIMEOUT_MS', {
      description: "milliseconds a call waits for one statement's answer before the connection is dropped",
      example: '35000',
      default: 'the statement timeout + 5000',
    }),
    mode: setting.maybeOneOf('SUPABASE_DB_MODE', ['direct', 'transaction-pooler'] as const, {
      description: 'how the connection string reaches the database: directly (or Supavisor session mode), or Supavisor transaction mode',
      example: 'transaction-pooler',
      default: 'transaction-pooler for port 6543 on *.pooler.supabase.com, else direct',
    }),
    maxConnections: wholeNumber('SUPABASE_DB_MAX_CONNECTIONS', 'the most connections this process opens', {
      description: 'the most connections this process opens',
      example: '10',
      default: '10 direct, 5 through the transaction pooler',
    }),
    statementTimeoutMs: zeroOrMore('SUPABASE_DB_STATEMENT_TIMEOUT_MS', 'milliseconds, 0 or more (0 turns the limit off)', {
      description: 'the server-side limit per statement in milliseconds (not through the transaction pooler); 0 turns it off',
      example: '30000',
      default: '30000 direct',
    }),
    allowedRoles: list('SUPABASE_DB_ALLOWED_ROLES', {
      description: 'the roles asUser may switch to',
      example: 'anon,authenticated,service_role',
      default: 'anon,authenticated,service_role',
    }),
  },
  options: (values, env): SupabaseDbOptions =>
    defined({
      connectionString: values.connectionString,
      ssl: projectCa(values.ca, env),
      connectionTimeoutMs: values.connectionTimeoutMs,
      queryTimeoutMs: values.queryTimeoutMs,
      mode: values.mode,
      maxConnections: values.maxConnections,
      statementTimeoutMs: values.statementTimeoutMs,
      allowedRoles: values.allowedRoles,
    }) as SupabaseDbOptions,
  // pg is a dependency of this package (the db entry carries @switchyard/postgres' code and imports pg).
  peers: () => [],
  async create(options, context): Promise<SupabaseDb> {
    const { createSupabaseDb } = await import('../db/index.js');
    return createSupabaseDb({ ...options, ...(context.onEvent ? { onEvent: context.onEvent } : {}) });
  },
});
