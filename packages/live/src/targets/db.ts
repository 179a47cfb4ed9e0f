import type { RdsDbOptions } from '@switchyard/aws/rds';
import type { SupabaseDbOptions } from '@switchyard/supabase/db';
import type { EnvReader } from '../env.js';
import { awsCredentials, databaseOf, type TargetDefinition } from './definition.js';

const POSTGRES = ['postgres:', 'postgresql:'];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function fromDatabaseUrl(env: EnvReader): RdsDbOptions {
  const value = env.url(
    'DATABASE_URL',
    POSTGRES,
    'postgres://user:password@host:5432/database, or RDS_HOST, RDS_DATABASE, RDS_USER and RDS_AUTH',
  );
  if (!value) return { host: '', database: '', auth: { type: 'password', password: '' } };
  const url = new URL(value);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    user: decodeURIComponent(url.username),
    auth: { type: 'password', password: decodeURIComponent(url.password) },
    // As createProviders reads it: only an explicit sslmode=disable turns off verified TLS.
    ...(url.searchParams.get('sslmode') === 'disable' ? { ssl: false } : {}),
  };
}

function rdsAuth(env: EnvReader): RdsDbOptions['auth'] {
  const kind = env.oneOf('RDS_AUTH', ['iam', 'secret', 'password'] as const) ?? 'iam';
  const region = () => env.required('AWS_REGION', 'an AWS region such as eu-west-1');
  if (kind === 'iam') {
    env.required('RDS_USER', 'the database user granted rds_iam');
    return { type: 'iam', region: region() };
  }
  if (kind === 'password') {
    env.required('RDS_USER', 'the database user');
    return { type: 'password', password: env.required('RDS_PASSWORD', 'the database password') };
  }
  const endpoint = env.optional('AWS_SECRETS_MANAGER_ENDPOINT');
  const credentials = awsCredentials(env);
  return {
    type: 'secret',
    secretId: env.required('RDS_SECRET_ID', 'the Secrets Manager secret id or ARN'),
    region: region(),
    ...(endpoint ? { endpoint: env.url('AWS_SECRETS_MANAGER_ENDPOINT', ['http:', 'https:'], 'a Secrets Manager endpoint URL') } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

function fromRdsVariables(env: EnvReader): RdsDbOptions {
  const host = env.required('RDS_HOST', 'the RDS endpoint host');
  const port = env.wholeNumber('RDS_PORT', 'a TCP port such as 5432');
  const user = env.optional('RDS_USER');
  // Live tier only: a local PostgreSQL without TLS standing in for RDS (CI); never for a real endpoint.
  const ssl = env.oneOf('RDS_SSL', ['disable'] as const);
  if (ssl && !LOOPBACK.has(host)) env.report('RDS_SSL', `is "disable" for ${host}`, 'nothing: only a loopback RDS_HOST may go without TLS');
  return {
    host,
    ...(port ? { port } : {}),
    database: env.required('RDS_DATABASE', 'a test database whose name starts with SWITCHYARD_LIVE_PREFIX'),
    ...(user ? { user } : {}),
    auth: rdsAuth(env),
    ...(ssl ? { ssl: false } : {}),
  };
}

export const awsRds: TargetDefinition<'aws-rds', RdsDbOptions> = {
  name: 'aws-rds',
  port: 'db',
  adapter: 'createRdsDb (@switchyard/aws/rds)',
  required:
    'DATABASE_URL, or RDS_HOST + RDS_DATABASE + RDS_USER + RDS_AUTH (iam: AWS_REGION; secret: RDS_SECRET_ID + AWS_REGION; password: RDS_PASSWORD)',
  optional: 'RDS_PORT, AWS_SECRETS_MANAGER_ENDPOINT, AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, RDS_SSL=disable (loopback hosts only)',
  read: ({ env }) =>
    env.optional('DATABASE_URL') !== undefined || env.optional('RDS_HOST') === undefined ? fromDatabaseUrl(env) : fromRdsVariables(env),
  containers: (options) => [
    { variable: 'DATABASE_URL or RDS_DATABASE', kind: 'database', name: options.database, id: `${options.host}/${options.database}` },
  ],
};

export const supabaseDb: TargetDefinition<'supabase-db', SupabaseDbOptions> = {
  name: 'supabase-db',
  port: 'db',
  adapter: 'createSupabaseDb (@switchyard/supabase/db)',
  required: 'SUPABASE_DB_URL',
  optional: 'SUPABASE_DB_CA',
  read({ env }) {
    const ca = env.optional('SUPABASE_DB_CA');
    if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) {
      env.report('SUPABASE_DB_CA', 'is not a PEM certificate', 'the PEM text of the SSL certificate from Dashboard → Database settings');
    }
    return {
      connectionString: env.url('SUPABASE_DB_URL', POSTGRES, 'the Postgres connection string from the project database settings'),
      ...(ca ? { ssl: { ca } } : {}),
    };
  },
  containers: (options) => {
    const where = databaseOf(options.connectionString ?? '') ?? { host: '', database: '' };
    return [{ variable: 'SUPABASE_DB_URL', kind: 'database', name: where.database, id: `${where.host}/${where.database}` }];
  },
};
