import type { ConnectionOptions } from 'node:tls';
import { adapterErrors, type DbPort, loadPeer, type OnEvent, printsAs } from '@switchyard/core/adapter/db';
import { rdsCaBundle } from './ca-file.js';
import { type AuthTokenSigner, cachedAuthToken } from './iam-token.js';
import { retryOnceAfterRotation } from './rotation.js';
import { SecretCache, type SecretFetcher } from './secret.js';

/** How the adapter gets the database password. */
export type RdsAuth =
  /** A static password (local development, tests). */
  | { type: 'password'; password: string }
  /** An RDS IAM auth token signed with the app's AWS credentials; `signer`: an `@aws-sdk/rds-signer` `Signer` of yours (or a test double). */
  | { type: 'iam'; region: string; signer?: AuthTokenSigner }
  /** A Secrets Manager secret in the RDS-managed JSON format; `fetchSecret` replaces `@aws-sdk/client-secrets-manager` (tests). */
  | {
      type: 'secret';
      secretId: string;
      region: string;
      /** A Secrets Manager-compatible endpoint (a VPC endpoint URL, or moto / LocalStack in tests); env AWS_SECRETS_MANAGER_ENDPOINT. */
      endpoint?: string;
      /** Static credentials for the Secrets Manager client; default: the SDK's credential chain. */
      credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
      /** A `SecretsManagerClient` of yours (its region, endpoint and credentials are then used, not the three above). */
      client?: { send(command: never): Promise<unknown> };
      fetchSecret?: SecretFetcher;
    };

export interface RdsDbOptions {
  /** The instance, cluster or RDS Proxy endpoint. */
  host: string;
  port?: number;
  database: string;
  /** The database user; for `secret` auth it defaults to the secret's `username`. */
  user?: string;
  auth: RdsAuth;
  /**
   * `verify-full` (default) checks the server certificate against the RDS CA bundle shipped with
   * this package; pass your own `tls.ConnectionOptions`, or `false` for a server without TLS (local tests only).
   */
  ssl?: 'verify-full' | ConnectionOptions | false;
  /** Pool size per process; keep it small behind RDS Proxy, which multiplexes. Default 10. */
  max?: number;
  /** Server-side limit per statement, in ms, sent as a connection parameter. Default 30,000; 0 disables it. */
  statementTimeoutMs?: number;
  /** How long a call waits for a connection (TCP, TLS, authentication) before UNAVAILABLE. Default 10,000 ms. */
  connectionTimeoutMs?: number;
  /**
   * How long a call waits for the answer to one statement before UNAVAILABLE (retryable); that
   * connection is then closed, never pooled. Default `statementTimeoutMs` + 5,000 ms.
   */
  queryTimeoutMs?: number;
  /** Roles `asUser` may switch to; defaults to Supabase's anon, authenticated, service_role. */
  allowedRoles?: readonly string[];
  onEvent?: OnEvent;
}

async function tlsOptions(ssl: RdsDbOptions['ssl']): Promise<ConnectionOptions | false> {
  if (ssl === false) return false;
  if (ssl === undefined || ssl === 'verify-full') return { ca: await rdsCaBundle(), rejectUnauthorized: true };
  return ssl;
}

async function iamSigner(options: RdsDbOptions, auth: Extract<RdsAuth, { type: 'iam' }>): Promise<AuthTokenSigner> {
  if (auth.signer) return auth.signer;
  const { Signer } = await loadPeer(() => import('@aws-sdk/rds-signer'), {
    port: 'db',
    provider: 'aws',
    module: '@switchyard/aws/rds',
    packages: ['@aws-sdk/rds-signer'],
  });
  if (!options.user) throw configError('IAM authentication needs `user`: the database user granted rds_iam.');
  return new Signer({ hostname: options.host, port: options.port ?? 5432, username: options.user, region: auth.region });
}

async function secretFetcher(auth: Extract<RdsAuth, { type: 'secret' }>): Promise<SecretFetcher> {
  if (auth.fetchSecret) return auth.fetchSecret;
  const { SecretsManagerClient, GetSecretValueCommand } = await loadPeer(() => import('@aws-sdk/client-secrets-manager'), {
    port: 'db',
    provider: 'aws',
    module: '@switchyard/aws/rds',
    packages: ['@aws-sdk/client-secrets-manager'],
  });
  const client =
    (auth.client as InstanceType<typeof SecretsManagerClient> | undefined) ??
    new SecretsManagerClient({
      region: auth.region,
      ...(auth.endpoint === undefined ? {} : { endpoint: auth.endpoint }),
      ...(auth.credentials === undefined ? {} : { credentials: auth.credentials }),
    });
  return async () => (await client.send(new GetSecretValueCommand({ SecretId: auth.secretId }))).SecretString;
}

/** Seams for tests. */
export interface RdsDbDependencies {
  /** Replaces `import('@switchyard/postgres')`, for example to simulate it not being installed. */
  importPostgres?: () => Promise<unknown>;
}

/**
 * `@switchyard/postgres` (and with it `pg`) is an optional peer, so apps that use only S3, Cognito
 * or Redis from this package never install a database driver.
 */
function loadPostgres(importer: () => Promise<unknown> = () => import('@switchyard/postgres')) {
  return loadPeer(importer as () => Promise<typeof import('@switchyard/postgres')>, {
    port: 'db',
    provider: 'aws',
    module: '@switchyard/aws/rds',
    packages: ['@switchyard/postgres', 'pg'],
  });
}

const { config: configError } = adapterErrors('db', 'aws');

/**
 * A DbPort on RDS PostgreSQL (or Aurora, or RDS Proxy): `@switchyard/postgres` with the password
 * from IAM or Secrets Manager and TLS verified against the RDS CAs. Claims set by `asUser` are
 * transaction-local, so RDS Proxy never pins a connection for them.
 */
export async function createRdsDb(options: RdsDbOptions, dependencies: RdsDbDependencies = {}): Promise<DbPort> {
  const base = {
    host: options.host,
    port: options.port ?? 5432,
    database: options.database,
    ssl: await tlsOptions(options.ssl),
    max: options.max ?? 10,
    provider: 'aws',
    ...(options.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: options.statementTimeoutMs }),
    ...(options.connectionTimeoutMs === undefined ? {} : { connectionTimeoutMs: options.connectionTimeoutMs }),
    ...(options.queryTimeoutMs === undefined ? {} : { queryTimeoutMs: options.queryTimeoutMs }),
    ...(options.allowedRoles === undefined ? {} : { allowedRoles: options.allowedRoles }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  };
  const { auth } = options;
  const { createPostgresDb } = await loadPostgres(dependencies.importPostgres);
  switch (auth.type) {
    case 'password':
      if (!options.user) throw configError('Password authentication needs `user`.');
      return createPostgresDb({ ...base, user: options.user, password: auth.password });
    case 'iam':
      // pg calls the password function for every new physical connection.
      return createPostgresDb({ ...base, user: options.user, password: cachedAuthToken(await iamSigner(options, auth)) });
    case 'secret': {
      const secrets = new SecretCache(await secretFetcher(auth), auth.secretId);
      const first = await secrets.get();
      const user = options.user ?? first.username;
      const db = await createPostgresDb({ ...base, user, password: async () => (await secrets.get()).password });
      // Only where it connects may print: never the secret's value.
      const summary = { provider: 'aws', port: 'db', host: options.host, database: options.database, user, auth: 'secret' };
      return printsAs(
        retryOnceAfterRotation(db, () => secrets.invalidate()),
        summary,
      );
    }
    default:
      throw configError('auth.type must be "password", "iam" or "secret".');
  }
}
