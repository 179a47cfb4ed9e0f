import type { PortName } from '../errors.js';
import type { AdapterSpec, ProviderName } from './config.js';
import type { EnvReader } from './variables.js';

/** `iss` of tokens from `@switchyard/local` auth as createProviders opens it. */
export const LOCAL_AUTH_ISSUER = 'http://localhost/auth/v1';

const HTTP = ['http:', 'https:'];

function spec(port: PortName, provider: ProviderName, module: string, factory: string, options: Record<string, unknown>): AdapterSpec {
  // Unset optional settings are left out, so each factory applies its own default.
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { port, provider, module, factory, options: defined };
}

function localDirectory(env: EnvReader): string {
  return env.optional('SWITCHYARD_LOCAL_DIR') ?? '.switchyard';
}

function local(port: PortName, env: EnvReader): AdapterSpec {
  const directory = localDirectory(env);
  switch (port) {
    case 'storage': {
      const baseUrl = env.url(
        'SWITCHYARD_LOCAL_BASE_URL',
        HTTP,
        false,
        'the absolute URL where the storage handler is mounted, e.g. http://localhost:3000/_storage',
      );
      const secret = env.optional('SWITCHYARD_LOCAL_SECRET');
      if (secret !== undefined && secret.length < 32) {
        env.report(
          'SWITCHYARD_LOCAL_SECRET',
          'is shorter than 32 characters',
          'a random string of at least 32 characters (openssl rand -hex 32)',
        );
      }
      return spec(port, 'local', '@switchyard/local', 'createLocalStorage', { directory: `${directory}/storage`, baseUrl, secret });
    }
    case 'auth':
      return {
        ...spec(port, 'local', '@switchyard/local', 'createLocalAuth', { dataFile: `${directory}/auth.json`, issuer: LOCAL_AUTH_ISSUER }),
        issuer: LOCAL_AUTH_ISSUER,
      };
    case 'db':
      return spec(port, 'local', '@switchyard/local', 'createLocalDb', { dataDir: `${directory}/db` });
    case 'pubsub':
      return spec(port, 'local', '@switchyard/local', 'createLocalPubSub', {});
  }
}

function awsCredentials(env: EnvReader): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined {
  const accessKeyId = env.optional('AWS_ACCESS_KEY_ID');
  const secretAccessKey = env.optional('AWS_SECRET_ACCESS_KEY');
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    const missing = accessKeyId === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY';
    env.report(
      missing,
      'is not set while its pair is',
      'both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (to use the default credential chain)',
    );
    return undefined;
  }
  const sessionToken = env.optional('AWS_SESSION_TOKEN');
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

const REGION = 'an AWS region such as eu-west-1';

/** A bound in milliseconds, left out when unset so that the adapter's own default applies. */
function milliseconds(env: EnvReader, variable: string): number | undefined {
  if (env.optional(variable) === undefined) return undefined;
  const value = env.number(variable, 0, (n) => Number.isInteger(n) && n > 0, 'a positive whole number of milliseconds');
  return value > 0 ? value : undefined;
}

/** How long the RDS adapter waits for a connection and for each statement's answer. */
function rdsTimeouts(env: EnvReader): Record<string, unknown> {
  return { connectionTimeoutMs: milliseconds(env, 'RDS_CONNECT_TIMEOUT_MS'), queryTimeoutMs: milliseconds(env, 'RDS_QUERY_TIMEOUT_MS') };
}

function s3(env: EnvReader): AdapterSpec {
  const region = env.required('AWS_REGION', REGION);
  const bucket = env.required('AWS_S3_BUCKET', 'the S3 bucket name, e.g. my-app-uploads');
  const endpoint = env.url('AWS_S3_ENDPOINT', HTTP, false, 'an S3-compatible endpoint URL, e.g. http://localhost:4568');
  const forcePathStyle = env.boolean('AWS_S3_FORCE_PATH_STYLE', endpoint !== undefined);
  const domain = env.optional('AWS_CLOUDFRONT_DOMAIN');
  const keyPairId = env.optional('AWS_CLOUDFRONT_KEY_PAIR_ID');
  const privateKey = env.optional('AWS_CLOUDFRONT_PRIVATE_KEY');
  if ((keyPairId === undefined) !== (privateKey === undefined)) {
    const missing = keyPairId === undefined ? 'AWS_CLOUDFRONT_KEY_PAIR_ID' : 'AWS_CLOUDFRONT_PRIVATE_KEY';
    env.report(missing, 'is not set while its pair is', 'both the CloudFront key pair id and its PEM private key, or neither');
  }
  if (keyPairId !== undefined && domain === undefined) {
    env.report(
      'AWS_CLOUDFRONT_DOMAIN',
      'is not set while a CloudFront key pair is',
      'the distribution domain, e.g. d111111abcdef8.cloudfront.net',
    );
  }
  const cloudFront = domain ? { domain, ...(keyPairId && privateKey ? { keyPairId, privateKey } : {}) } : undefined;
  // Request checksums (the SDK default) break uploads to many S3-compatible servers.
  const checksums =
    env.optional('AWS_S3_CHECKSUMS') === undefined
      ? undefined
      : env.oneOf('AWS_S3_CHECKSUMS', ['when_supported', 'when_required'] as const, 'when_supported');
  const whole = (variable: string, min: number, max: number, expected: string) =>
    env.optional(variable) === undefined
      ? undefined
      : env.number(variable, min, (n) => Number.isInteger(n) && n >= min && n <= max, expected);
  return spec('storage', 'aws', '@switchyard/aws/s3', 'createS3Storage', {
    region,
    bucket,
    endpoint,
    forcePathStyle,
    credentials: awsCredentials(env),
    cloudFront,
    checksums,
    limits: s3Limits(env, whole),
    connectionTimeoutMs: whole('AWS_S3_CONNECTION_TIMEOUT_MS', 1, 600_000, 'milliseconds to wait for a connection, e.g. 5000'),
    requestTimeoutMs: whole('AWS_S3_REQUEST_TIMEOUT_MS', 1, 3_600_000, 'milliseconds a request may go without a byte, e.g. 30000'),
    maxAttempts: whole('AWS_S3_MAX_ATTEMPTS', 1, 10, 'attempts per call, 1 to 10 (3 by default)'),
  });
}

/**
 * What an S3-compatible endpoint does not do that S3 does (the adapter's `limits` option); unset
 * for AWS S3. Only the variables that are set are passed, so the adapter keeps its own defaults.
 */
function s3Limits(
  env: EnvReader,
  whole: (variable: string, min: number, max: number, expected: string) => number | undefined,
): Record<string, unknown> | undefined {
  const pick = <T extends string>(variable: string, allowed: readonly T[]) =>
    env.optional(variable) === undefined ? undefined : env.oneOf(variable, allowed, allowed[0] as T);
  const limits = Object.fromEntries(
    Object.entries({
      postPolicy: pick('AWS_S3_POST_POLICY', ['enforced', 'except-size', 'not-enforced'] as const),
      signatures: pick('AWS_S3_SIGNATURES', ['verified', 'not-verified'] as const),
      conditionalWrites: pick('AWS_S3_CONDITIONAL_WRITES', ['enforced', 'put-only', 'not-enforced'] as const),
      // A regular-expression character class body; the adapter checks it and reports CONFIG.
      keyCharacters: env.optional('AWS_S3_KEY_CHARACTERS'),
      maxKeySegmentBytes: whole('AWS_S3_MAX_KEY_SEGMENT_BYTES', 1, 1024, 'bytes between two "/" the endpoint can store, e.g. 255'),
    }).filter(([, value]) => value !== undefined),
  );
  return Object.keys(limits).length > 0 ? limits : undefined;
}

function cognito(env: EnvReader): AdapterSpec {
  const region = env.required('AWS_REGION', REGION);
  const userPoolId = env.required('COGNITO_USER_POOL_ID', 'the user pool id, e.g. eu-west-1_AbCdEf123');
  const clientId = env.required('COGNITO_CLIENT_ID', 'the app client id');
  const endpoint = env.url('COGNITO_ENDPOINT', HTTP, false, 'a Cognito-compatible endpoint URL, e.g. http://localhost:9229');
  const signIn = env.oneOf('COGNITO_SIGN_IN', ['email-otp', 'magic-link'] as const, 'email-otp');
  // Email codes are verified against a Cognito session kept between the two requests; with more than
  // one instance it must live where all of them reach it. REDIS_URL serves when no store of its own is named.
  const otpStoreUrl =
    env.url('COGNITO_OTP_STORE_URL', ['redis:', 'rediss:'], false, 'redis://host:6379, or rediss://… for TLS') ??
    (signIn === 'email-otp' ? env.optional('REDIS_URL') : undefined);
  const options = {
    region,
    userPoolId,
    clientId,
    clientSecret: env.optional('COGNITO_CLIENT_SECRET'),
    endpoint,
    credentials: awsCredentials(env),
    signIn,
    otpStore: otpStoreUrl ? { redisUrl: otpStoreUrl } : undefined,
  };
  // The issuer Cognito (and cognito-local with TokenConfig.Region) writes into every token.
  const issuer = region && userPoolId ? `https://cognito-idp.${region}.amazonaws.com/${userPoolId}` : undefined;
  return { ...spec('auth', 'aws', '@switchyard/aws/cognito', 'createCognitoAuth', options), ...(issuer ? { issuer } : {}) };
}

function rds(env: EnvReader): AdapterSpec {
  if (env.optional('DATABASE_URL') !== undefined || env.optional('RDS_HOST') === undefined) {
    const url = env.url(
      'DATABASE_URL',
      ['postgres:', 'postgresql:'],
      true,
      'postgres://user:password@host:5432/database, or RDS_HOST, RDS_DATABASE, RDS_USER and RDS_AUTH',
    );
    return spec('db', 'aws', '@switchyard/aws/rds', 'createRdsDb', { ...(url ? fromDatabaseUrl(url) : {}), ...rdsTimeouts(env) });
  }
  const auth = env.oneOf('RDS_AUTH', ['iam', 'secret', 'password'] as const, 'iam');
  const options: Record<string, unknown> = {
    host: env.optional('RDS_HOST'),
    port: env.number('RDS_PORT', 5432, (n) => Number.isInteger(n) && n > 0 && n < 65536, 'a TCP port such as 5432'),
    database: env.required('RDS_DATABASE', 'the database name'),
    user: env.optional('RDS_USER'),
    ...rdsTimeouts(env),
  };
  if (auth === 'iam') {
    env.required('RDS_USER', 'the database user granted rds_iam');
    options.auth = { type: 'iam', region: env.required('AWS_REGION', REGION) };
  } else if (auth === 'secret') {
    const endpoint = env.url('AWS_SECRETS_MANAGER_ENDPOINT', HTTP, false, 'a Secrets Manager endpoint URL, e.g. http://localhost:5000');
    const credentials = awsCredentials(env);
    options.auth = {
      type: 'secret',
      secretId: env.required('RDS_SECRET_ID', 'the Secrets Manager secret id or ARN'),
      region: env.required('AWS_REGION', REGION),
      ...(endpoint ? { endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    };
  } else {
    env.required('RDS_USER', 'the database user');
    options.auth = { type: 'password', password: env.required('RDS_PASSWORD', 'the database password') };
  }
  return spec('db', 'aws', '@switchyard/aws/rds', 'createRdsDb', options);
}

function fromDatabaseUrl(value: string): Record<string, unknown> {
  const url = new URL(value);
  const sslmode = url.searchParams.get('sslmode');
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    user: decodeURIComponent(url.username),
    auth: { type: 'password', password: decodeURIComponent(url.password) },
    // Only an explicit sslmode=disable (a local database) turns off the verified TLS default.
    ...(sslmode === 'disable' ? { ssl: false } : {}),
  };
}

function aws(port: PortName, env: EnvReader): AdapterSpec {
  switch (port) {
    case 'storage':
      return s3(env);
    case 'auth':
      return cognito(env);
    case 'db':
      return rds(env);
    case 'pubsub':
      return spec(port, 'aws', '@switchyard/aws/redis', 'createRedisPubSub', {
        url: env.url(
          'REDIS_URL',
          ['redis:', 'rediss:'],
          true,
          'redis://host:6379, or rediss://… for TLS (ElastiCache in-transit encryption)',
        ),
        keyPrefix: env.optional('REDIS_KEY_PREFIX'),
        connectTimeoutMs: milliseconds(env, 'REDIS_CONNECT_TIMEOUT_MS'),
        commandTimeoutMs: milliseconds(env, 'REDIS_COMMAND_TIMEOUT_MS'),
      });
  }
}

/** A positive whole number, or undefined when the variable is unset (the factory's default applies). */
function optionalWholeNumber(env: EnvReader, variable: string, expected: string): number | undefined {
  if (env.optional(variable) === undefined) return undefined;
  return env.number(variable, 0, (n) => Number.isSafeInteger(n) && n > 0, `a positive whole number: ${expected}`);
}

const SUPABASE_URL = 'the project URL, e.g. https://abcdefgh.supabase.co';
const SERVICE_ROLE = 'the service_role key from the project API settings (server only)';

function supabase(port: PortName, env: EnvReader): AdapterSpec {
  switch (port) {
    case 'storage':
      return spec(port, 'supabase', '@switchyard/supabase/storage', 'createSupabaseStorage', {
        url: env.url('SUPABASE_URL', HTTP, true, SUPABASE_URL),
        serviceRoleKey: env.required('SUPABASE_SERVICE_ROLE_KEY', SERVICE_ROLE),
        bucket: env.required('SUPABASE_STORAGE_BUCKET', 'the Storage bucket name'),
        maxKeySegmentBytes: optionalWholeNumber(
          env,
          'SUPABASE_STORAGE_MAX_KEY_SEGMENT_BYTES',
          '255 for self-hosted Storage on its file backend',
        ),
        fileSizeLimit: optionalWholeNumber(env, 'SUPABASE_STORAGE_FILE_SIZE_LIMIT', "the project's upload size limit in bytes"),
        timeoutMs: optionalWholeNumber(env, 'SUPABASE_STORAGE_TIMEOUT_MS', 'milliseconds a request may go without progress'),
      });
    case 'auth': {
      const url = env.url('SUPABASE_URL', HTTP, true, SUPABASE_URL);
      const options = {
        url,
        anonKey: env.required('SUPABASE_ANON_KEY', 'the anon key from the project API settings'),
        serviceRoleKey: env.required('SUPABASE_SERVICE_ROLE_KEY', SERVICE_ROLE),
        jwtSecret: env.optional('SUPABASE_JWT_SECRET'),
      };
      const spec_ = spec(port, 'supabase', '@switchyard/supabase/auth', 'createSupabaseAuth', options);
      return url ? { ...spec_, issuer: `${url.replace(/\/+$/, '')}/auth/v1` } : spec_;
    }
    case 'db':
      return spec(port, 'supabase', '@switchyard/supabase/db', 'createSupabaseDb', {
        connectionString: env.url(
          'SUPABASE_DB_URL',
          ['postgres:', 'postgresql:'],
          true,
          'the Postgres connection string from the project database settings',
        ),
        ssl: supabaseCa(env),
        connectionTimeoutMs: milliseconds(env, 'SUPABASE_DB_CONNECT_TIMEOUT_MS'),
        queryTimeoutMs: milliseconds(env, 'SUPABASE_DB_QUERY_TIMEOUT_MS'),
      });
    case 'pubsub':
      return spec(port, 'supabase', '@switchyard/supabase/realtime', 'createSupabaseRealtime', {
        url: env.url('SUPABASE_URL', HTTP, true, SUPABASE_URL),
        key: env.required('SUPABASE_SERVICE_ROLE_KEY', SERVICE_ROLE),
        timeoutMs: milliseconds(env, 'SUPABASE_REALTIME_TIMEOUT_MS'),
      });
  }
}

/** TLS verified against the project's CA when SUPABASE_DB_CA holds it (else the adapter's default, sslmode=require). */
function supabaseCa(env: EnvReader): { ca: string } | undefined {
  const ca = env.optional('SUPABASE_DB_CA');
  if (ca === undefined) return undefined;
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
    env.report('SUPABASE_DB_CA', 'is not a PEM certificate', 'the PEM text of the SSL certificate from Dashboard → Database settings');
    return undefined;
  }
  return { ca };
}

/** Reads one provider's settings for one port, reporting what is missing to `env`. */
export function adapterSpec(port: PortName, provider: ProviderName, env: EnvReader): AdapterSpec {
  if (provider === 'aws') return aws(port, env);
  if (provider === 'supabase') return supabase(port, env);
  return local(port, env);
}
