import { parseProvidersEnv, readProvidersPlan, SwitchyardError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';

const problemsOf = (env: Record<string, string>) => parseProvidersEnv(env).problems.map((p) => `${p.variable} ${p.problem}`);

describe('parseProvidersEnv', () => {
  it('defaults every port to local, reads primary, no shadow', () => {
    const { plan, problems } = parseProvidersEnv({});
    expect(problems).toEqual([]);
    for (const port of ['storage', 'auth', 'db', 'pubsub'] as const) {
      expect(plan[port]).toMatchObject({ primary: { provider: 'local', port }, shadow: undefined, reads: 'primary' });
    }
    expect(plan.storage.primary).toMatchObject({
      module: '@switchyard/local',
      factory: 'createLocalStorage',
      options: { directory: '.switchyard/storage' },
    });
    expect(plan.db.primary.options).toEqual({ dataDir: '.switchyard/db' });
    expect(plan.auth.primary.issuer).toBe('http://localhost/auth/v1');
    expect(plan.shadowTimeoutMs).toBe(2000);
  });

  it('reads the local settings', () => {
    const secret = 'x'.repeat(32);
    const { plan } = parseProvidersEnv({
      SWITCHYARD_LOCAL_DIR: '/var/app',
      SWITCHYARD_LOCAL_BASE_URL: 'http://localhost:3000/_storage',
      SWITCHYARD_LOCAL_SECRET: secret,
    });
    expect(plan.storage.primary.options).toEqual({ directory: '/var/app/storage', baseUrl: 'http://localhost:3000/_storage', secret });
    expect(plan.auth.primary.options).toMatchObject({ dataFile: '/var/app/auth.json' });
  });

  it('builds the aws adapters from the usual AWS variables', () => {
    const { plan, problems } = parseProvidersEnv({
      SWITCHYARD_STORAGE: 'aws',
      SWITCHYARD_AUTH: 'AWS',
      SWITCHYARD_DB: 'aws',
      SWITCHYARD_PUBSUB: 'aws',
      AWS_REGION: 'eu-west-1',
      AWS_S3_BUCKET: 'uploads',
      AWS_S3_ENDPOINT: 'http://127.0.0.1:4568',
      AWS_CLOUDFRONT_DOMAIN: 'cdn.example.com',
      COGNITO_USER_POOL_ID: 'eu-west-1_Abc',
      COGNITO_CLIENT_ID: 'client',
      DATABASE_URL: 'postgres://app:p%40ss@db.example.com:6543/app?sslmode=disable',
      REDIS_URL: 'rediss://cache.example.com:6379',
    });
    expect(problems).toEqual([]);
    expect(plan.storage.primary).toMatchObject({
      module: '@switchyard/aws/s3',
      factory: 'createS3Storage',
      options: {
        region: 'eu-west-1',
        bucket: 'uploads',
        endpoint: 'http://127.0.0.1:4568',
        forcePathStyle: true,
        cloudFront: { domain: 'cdn.example.com' },
      },
    });
    expect(plan.auth.primary).toMatchObject({
      module: '@switchyard/aws/cognito',
      options: { region: 'eu-west-1', userPoolId: 'eu-west-1_Abc', clientId: 'client', signIn: 'email-otp' },
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc',
    });
    expect(plan.db.primary.options).toEqual({
      host: 'db.example.com',
      port: 6543,
      database: 'app',
      user: 'app',
      auth: { type: 'password', password: 'p@ss' },
      ssl: false,
    });
    expect(plan.pubsub.primary).toMatchObject({ module: '@switchyard/aws/redis', options: { url: 'rediss://cache.example.com:6379' } });
  });

  it('gives Cognito email codes a shared store: COGNITO_OTP_STORE_URL, else REDIS_URL', () => {
    const cognito = { SWITCHYARD_AUTH: 'aws', AWS_REGION: 'eu-west-1', COGNITO_USER_POOL_ID: 'eu-west-1_Abc', COGNITO_CLIENT_ID: 'client' };
    const own = parseProvidersEnv({ ...cognito, COGNITO_OTP_STORE_URL: 'rediss://otp.example.com:6379', REDIS_URL: 'redis://other:6379' });
    expect(own.plan.auth.primary.options.otpStore).toEqual({ redisUrl: 'rediss://otp.example.com:6379' });
    const shared = parseProvidersEnv({ ...cognito, REDIS_URL: 'redis://cache:6379' });
    expect(shared.plan.auth.primary.options.otpStore).toEqual({ redisUrl: 'redis://cache:6379' });
    expect(parseProvidersEnv(cognito).plan.auth.primary.options.otpStore).toBeUndefined();
    const bad = parseProvidersEnv({ ...cognito, COGNITO_OTP_STORE_URL: 'http://otp:6379' });
    expect(bad.problems.map((problem) => problem.variable)).toContain('COGNITO_OTP_STORE_URL');
  });

  it('passes the optional S3 checksum mode and Redis key prefix, and refuses a bad checksum mode', () => {
    const base = {
      SWITCHYARD_STORAGE: 'aws',
      SWITCHYARD_PUBSUB: 'aws',
      AWS_REGION: 'us-east-1',
      AWS_S3_BUCKET: 'uploads',
      REDIS_URL: 'redis://127.0.0.1:6379',
    };
    const unset = parseProvidersEnv(base).plan;
    expect(unset.storage.primary.options).not.toHaveProperty('checksums');
    expect(unset.pubsub.primary.options).not.toHaveProperty('keyPrefix');
    const { plan, problems } = parseProvidersEnv({ ...base, AWS_S3_CHECKSUMS: 'WHEN_REQUIRED', REDIS_KEY_PREFIX: 'staging:' });
    expect(problems).toEqual([]);
    expect(plan.storage.primary.options).toMatchObject({ checksums: 'when_required' });
    expect(plan.pubsub.primary.options).toMatchObject({ keyPrefix: 'staging:' });
    expect(parseProvidersEnv({ ...base, AWS_S3_CHECKSUMS: 'never' }).problems).toEqual([
      { variable: 'AWS_S3_CHECKSUMS', problem: 'is "never"', expected: 'one of when_supported, when_required' },
    ]);
  });

  it('builds RDS IAM auth from RDS_* variables', () => {
    const { plan, problems } = parseProvidersEnv({
      SWITCHYARD_DB: 'aws',
      AWS_REGION: 'us-east-1',
      RDS_HOST: 'db.internal',
      RDS_DATABASE: 'app',
      RDS_USER: 'iam_user',
      RDS_AUTH: 'iam',
    });
    expect(problems).toEqual([]);
    expect(plan.db.primary.options).toEqual({
      host: 'db.internal',
      port: 5432,
      database: 'app',
      user: 'iam_user',
      auth: { type: 'iam', region: 'us-east-1' },
    });
  });

  it('builds the supabase adapters, issuer included', () => {
    const { plan, problems } = parseProvidersEnv({
      SWITCHYARD_STORAGE: 'supabase',
      SWITCHYARD_AUTH: 'supabase',
      SWITCHYARD_DB: 'supabase',
      SWITCHYARD_PUBSUB: 'supabase',
      SUPABASE_URL: 'https://abc.supabase.co/',
      SUPABASE_SERVICE_ROLE_KEY: 'service',
      SUPABASE_ANON_KEY: 'anon',
      SUPABASE_STORAGE_BUCKET: 'uploads',
      SUPABASE_DB_URL: 'postgres://postgres@db.abc.supabase.co:5432/postgres',
    });
    expect(problems).toEqual([]);
    expect(plan.storage.primary).toMatchObject({
      module: '@switchyard/supabase/storage',
      options: { bucket: 'uploads', serviceRoleKey: 'service' },
    });
    expect(plan.auth.primary.issuer).toBe('https://abc.supabase.co/auth/v1');
    expect(plan.db.primary).toMatchObject({
      factory: 'createSupabaseDb',
      options: { connectionString: 'postgres://postgres@db.abc.supabase.co:5432/postgres' },
    });
    expect(plan.pubsub.primary).toMatchObject({ factory: 'createSupabaseRealtime', options: { key: 'service' } });
  });

  it('reads the optional Supabase Storage limits and timeout, refusing values that are not positive whole numbers', () => {
    const base = {
      SWITCHYARD_STORAGE: 'supabase',
      SUPABASE_URL: 'https://abc.supabase.co',
      SUPABASE_SERVICE_ROLE_KEY: 's',
      SUPABASE_STORAGE_BUCKET: 'b',
    };
    const { plan, problems } = parseProvidersEnv({
      ...base,
      SUPABASE_STORAGE_MAX_KEY_SEGMENT_BYTES: '255',
      SUPABASE_STORAGE_FILE_SIZE_LIMIT: '52428800',
      SUPABASE_STORAGE_TIMEOUT_MS: '10000',
    });
    expect(problems).toEqual([]);
    expect(plan.storage.primary.options).toMatchObject({ maxKeySegmentBytes: 255, fileSizeLimit: 52_428_800, timeoutMs: 10_000 });
    const unset = parseProvidersEnv(base);
    expect(unset.plan.storage.primary.options).not.toHaveProperty('maxKeySegmentBytes');
    expect(unset.plan.storage.primary.options).not.toHaveProperty('timeoutMs');
    const bad = parseProvidersEnv({ ...base, SUPABASE_STORAGE_MAX_KEY_SEGMENT_BYTES: 'lots', SUPABASE_STORAGE_TIMEOUT_MS: '0' });
    expect(bad.problems.map((p) => p.variable)).toEqual(['SUPABASE_STORAGE_MAX_KEY_SEGMENT_BYTES', 'SUPABASE_STORAGE_TIMEOUT_MS']);
  });

  it('reads a shadow and a read mode', () => {
    const { plan, problems } = parseProvidersEnv({
      SWITCHYARD_PUBSUB_SHADOW: 'aws',
      SWITCHYARD_PUBSUB_READS: 'compare',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(problems).toEqual([]);
    expect(plan.pubsub).toMatchObject({ primary: { provider: 'local' }, shadow: { provider: 'aws' }, reads: 'compare' });
  });

  it('refuses fallback or compare reads without a shadow, and a shadow equal to the primary', () => {
    expect(problemsOf({ SWITCHYARD_STORAGE_READS: 'fallback', SWITCHYARD_DB_SHADOW: 'local' })).toEqual([
      'SWITCHYARD_STORAGE_READS is "fallback" but SWITCHYARD_STORAGE_SHADOW is not set',
      'SWITCHYARD_DB_SHADOW is the same provider as SWITCHYARD_DB (local)',
    ]);
  });

  it('reports unknown SWITCHYARD_* variables with a suggestion', () => {
    const { problems } = parseProvidersEnv({ SWITCHYARD_STROAGE: 'aws', SWITCHYARD_FOO_BAR_BAZ_QUX: '1', OTHER_VARIABLE: 'ignored' });
    expect(problems.map((p) => p.problem)).toEqual([
      'is not a Switchyard variable (did you mean SWITCHYARD_STORAGE?)',
      'is not a Switchyard variable',
    ]);
  });

  it('leaves the variables of the switchyard command (SWITCHYARD_MIGRATE_*) to it, so app and command share one environment', () => {
    const { problems } = parseProvidersEnv({
      SWITCHYARD_MIGRATE_FROM: 'supabase',
      SWITCHYARD_MIGRATE_TO: 'aws',
      SWITCHYARD_MIGRATE_DIR: '/tmp/x',
    });
    expect(problems).toEqual([]);
  });

  it('lists every missing and invalid variable at once, each once, with what it should look like', () => {
    const { problems } = parseProvidersEnv({
      SWITCHYARD_STORAGE: 'supabase',
      SWITCHYARD_PUBSUB: 'supabase',
      SWITCHYARD_DB: 'aws',
      SWITCHYARD_AUTH: 'gcp',
      SUPABASE_URL: 'not a url',
      DATABASE_URL: 'mysql://x',
      SWITCHYARD_SHADOW_TIMEOUT_MS: '-5',
      SWITCHYARD_LOCAL_SECRET: 'short',
    });
    expect(problems.map((p) => p.variable)).toEqual([
      'SUPABASE_URL',
      'SUPABASE_SERVICE_ROLE_KEY',
      'SUPABASE_STORAGE_BUCKET',
      'SWITCHYARD_AUTH',
      'DATABASE_URL',
      'SWITCHYARD_SHADOW_TIMEOUT_MS',
    ]);
    for (const problem of problems) expect(problem.expected.length).toBeGreaterThan(5);
  });

  it('never echoes the value of a URL that may hold a password', () => {
    const { problems } = parseProvidersEnv({ SWITCHYARD_DB: 'aws', DATABASE_URL: 'mysql://user:hunter2@host/db' });
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });
});

describe('readProvidersPlan', () => {
  it('throws one CONFIG error naming every problem', () => {
    let caught: unknown;
    try {
      readProvidersPlan({ SWITCHYARD_STORAGE: 'aws', SWITCHYARD_PUBSUB_READS: 'compare' });
    } catch (error) {
      caught = error;
    }
    expect(SwitchyardError.hasCode(caught, 'CONFIG')).toBe(true);
    const error = caught as SwitchyardError;
    expect(error.message).toContain('3 problems');
    expect(error.message).toContain('AWS_REGION is not set; expected an AWS region');
    expect(error.message).toContain('AWS_S3_BUCKET is not set');
    expect(error.message).toContain('SWITCHYARD_PUBSUB_READS is "compare" but SWITCHYARD_PUBSUB_SHADOW is not set');
    expect(error.details).toMatchObject({ problems: [{}, {}, {}] });
  });
});
