import type { DbPort } from '@switchyard/core/adapter/db';
import { describeAdapter, type EnvReader, setting } from '@switchyard/core/adapter/descriptor';
import type { RdsDbOptions } from '../rds/rds-db.js';
import { awsCredentials, credentialSettings } from './credentials.js';
import { custom, defined, HTTP, milliseconds, optional, REGION, whole } from './read.js';

const DATABASE_URL_EXPECTED = 'postgres://user:password@host:5432/database, or RDS_HOST, RDS_DATABASE, RDS_USER and RDS_AUTH';

const settings = {
  // The URL carries the password.
  databaseUrl: custom(
    {
      variable: 'DATABASE_URL',
      description: 'The database as a URL (password auth); ?sslmode=disable turns TLS off for a local database.',
      example: 'postgres://app:password@db.example.com:5432/app',
      values: 'postgres://… or postgresql://…',
      required: 'unless RDS_HOST is set',
      secret: true,
    },
    (env) => env.url('DATABASE_URL', ['postgres:', 'postgresql:'], false, DATABASE_URL_EXPECTED),
  ),
  host: optional('RDS_HOST', {
    description: 'The instance, cluster or RDS Proxy endpoint (instead of DATABASE_URL).',
    example: 'app.cluster-abc.eu-west-1.rds.amazonaws.com',
  }),
  auth: setting.oneOf('RDS_AUTH', ['iam', 'secret', 'password'], 'iam', {
    description: 'How the password is obtained with RDS_HOST: an IAM auth token, a Secrets Manager secret, or RDS_PASSWORD.',
    example: 'iam',
  }),
  port: custom({ variable: 'RDS_PORT', description: 'The database port.', example: '5432', default: '5432', values: 'a TCP port' }, (env) =>
    env.number('RDS_PORT', 5432, (n) => Number.isInteger(n) && n > 0 && n < 65536, 'a TCP port such as 5432'),
  ),
  database: optional('RDS_DATABASE', { description: 'The database name.', example: 'app', required: 'when RDS_HOST is set' }),
  user: optional('RDS_USER', {
    description: 'The database user (granted rds_iam for iam; the secret’s username by default for secret).',
    example: 'app',
    required: 'when RDS_AUTH is iam or password',
  }),
  region: custom(
    {
      variable: 'AWS_REGION',
      description: 'The AWS region of the database or secret.',
      example: 'eu-west-1',
      required: 'when RDS_AUTH is iam or secret',
    },
    (env) => env.optional('AWS_REGION'),
  ),
  secretId: optional('RDS_SECRET_ID', {
    description: 'The Secrets Manager secret id or ARN (RDS-managed JSON with username and password).',
    example: 'rds!db-1234abcd',
    required: 'when RDS_AUTH=secret',
  }),
  secretsManagerEndpoint: setting.url('AWS_SECRETS_MANAGER_ENDPOINT', HTTP, {
    description: 'a Secrets Manager endpoint URL',
    example: 'http://localhost:5000',
  }),
  ...credentialSettings,
  password: optional('RDS_PASSWORD', {
    description: 'The database password.',
    example: 'hunter2',
    required: 'when RDS_AUTH=password',
    secret: true,
  }),
  connectionTimeoutMs: milliseconds('RDS_CONNECT_TIMEOUT_MS', {
    description: 'How long a call waits for a connection (TCP, TLS, authentication).',
    example: '10000',
    default: '10000',
  }),
  queryTimeoutMs: milliseconds('RDS_QUERY_TIMEOUT_MS', {
    description: "How long a call waits for one statement's answer before UNAVAILABLE.",
    example: '35000',
    default: 'RDS_STATEMENT_TIMEOUT_MS + 5000',
  }),
  statementTimeoutMs: whole('RDS_STATEMENT_TIMEOUT_MS', [0, 86_400_000], 'milliseconds per statement, 0 for no limit', {
    description: 'Server-side limit per statement, in ms; 0 disables it.',
    example: '30000',
    default: '30000',
  }),
  max: whole('RDS_POOL_MAX', [1, 1000], 'connections per process, e.g. 10', {
    description: 'Pool size per process; keep it small behind RDS Proxy.',
    example: '10',
    default: '10',
  }),
};

type Values = { [K in keyof typeof settings]: ReturnType<(typeof settings)[K]['read']> };
export type RdsAdapterOptions = Omit<RdsDbOptions, 'onEvent'>;

/** The URL form: password auth; only an explicit sslmode=disable (a local database) turns off verified TLS. */
function fromDatabaseUrl(value: string): Omit<RdsAdapterOptions, 'connectionTimeoutMs' | 'queryTimeoutMs'> {
  const url = new URL(value);
  const sslmode = url.searchParams.get('sslmode');
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    user: decodeURIComponent(url.username),
    auth: { type: 'password', password: decodeURIComponent(url.password) },
    ...(sslmode === 'disable' ? { ssl: false as const } : {}),
  };
}

function auth(v: Values, env: EnvReader): RdsDbOptions['auth'] {
  if (v.auth === 'iam') {
    env.required('RDS_USER', 'the database user granted rds_iam');
    return { type: 'iam', region: env.required('AWS_REGION', REGION) as string };
  }
  if (v.auth === 'secret') {
    const credentials = awsCredentials(v, env);
    return defined({
      type: 'secret' as const,
      secretId: env.required('RDS_SECRET_ID', 'the Secrets Manager secret id or ARN') as string,
      region: env.required('AWS_REGION', REGION) as string,
      endpoint: v.secretsManagerEndpoint,
      credentials,
    });
  }
  env.required('RDS_USER', 'the database user');
  return { type: 'password', password: env.required('RDS_PASSWORD', 'the database password') as string };
}

/** `SWITCHYARD_DB=aws`: RDS / Aurora PostgreSQL (or RDS Proxy) through `@switchyard/postgres`. */
export const rdsAdapter = describeAdapter({
  name: 'aws',
  port: 'db',
  module: '@switchyard/aws/rds',
  description: 'RDS or Aurora PostgreSQL (or RDS Proxy) with IAM, Secrets Manager or password auth and TLS verified against the RDS CAs.',
  settings,
  options(v, env): RdsAdapterOptions {
    const tuning = {
      connectionTimeoutMs: v.connectionTimeoutMs,
      queryTimeoutMs: v.queryTimeoutMs,
      statementTimeoutMs: v.statementTimeoutMs,
      max: v.max,
    };
    const urlGiven = env.optional('DATABASE_URL') !== undefined;
    if (urlGiven || v.host === undefined) {
      if (!urlGiven) env.required('DATABASE_URL', DATABASE_URL_EXPECTED);
      return defined({ ...(v.databaseUrl ? fromDatabaseUrl(v.databaseUrl) : ({} as RdsAdapterOptions)), ...tuning });
    }
    return defined({
      host: v.host,
      port: v.port,
      database: env.required('RDS_DATABASE', 'the database name') as string,
      user: v.user,
      ...tuning,
      auth: auth(v, env),
    });
  },
  peers: (options) => [
    '@switchyard/postgres',
    'pg',
    ...(options.auth?.type === 'iam' ? ['@aws-sdk/rds-signer'] : []),
    ...(options.auth?.type === 'secret' ? ['@aws-sdk/client-secrets-manager'] : []),
  ],
  async create(options, context): Promise<DbPort> {
    const { createRdsDb } = await import('../rds/index.js');
    return createRdsDb({ ...options, onEvent: context.onEvent });
  },
});
