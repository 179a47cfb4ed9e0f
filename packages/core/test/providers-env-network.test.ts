import { parseProvidersEnv } from '@switchyard/core';
import { describe, expect, it } from 'vitest';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';

// The settings of the database and pub/sub adapters beyond where to connect: the Secrets Manager
// endpoint, the Supabase CA, and the bounds on waiting for the provider.
describe('parseProvidersEnv: db and pub/sub network settings', () => {
  it('passes a Secrets Manager endpoint and the AWS credentials to RDS secret auth', () => {
    const { plan, problems } = parseProvidersEnv({
      SWITCHYARD_DB: 'aws',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SECRETS_MANAGER_ENDPOINT: 'http://127.0.0.1:5000',
      RDS_HOST: 'db.internal',
      RDS_DATABASE: 'app',
      RDS_AUTH: 'secret',
      RDS_SECRET_ID: 'app/db',
    });
    expect(problems).toEqual([]);
    expect(plan.db.primary.options).toMatchObject({
      auth: {
        type: 'secret',
        secretId: 'app/db',
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:5000',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      },
    });
    const secretAuth = {
      SWITCHYARD_DB: 'aws',
      AWS_REGION: 'us-east-1',
      RDS_HOST: 'h',
      RDS_DATABASE: 'app',
      RDS_AUTH: 'secret',
      RDS_SECRET_ID: 's',
    };
    expect(parseProvidersEnv({ ...secretAuth, AWS_SECRETS_MANAGER_ENDPOINT: 'x' }).problems).toEqual([
      expect.objectContaining({ variable: 'AWS_SECRETS_MANAGER_ENDPOINT', problem: 'is not a valid URL' }),
    ]);
  });

  it('passes the database timeouts, for RDS (either form) and for Supabase', () => {
    const timeouts = { connectionTimeoutMs: 3_000, queryTimeoutMs: 40_000 };
    const byUrl = parseProvidersEnv({
      SWITCHYARD_DB: 'aws',
      DATABASE_URL: 'postgres://app@db.example.com/app',
      RDS_CONNECT_TIMEOUT_MS: '3000',
      RDS_QUERY_TIMEOUT_MS: '40000',
    });
    expect(byUrl.problems).toEqual([]);
    expect(byUrl.plan.db.primary.options).toMatchObject(timeouts);
    const byFields = parseProvidersEnv({
      SWITCHYARD_DB: 'aws',
      AWS_REGION: 'us-east-1',
      RDS_HOST: 'db.internal',
      RDS_DATABASE: 'app',
      RDS_USER: 'iam_user',
      RDS_CONNECT_TIMEOUT_MS: '3000',
      RDS_QUERY_TIMEOUT_MS: '40000',
    });
    expect(byFields.plan.db.primary.options).toMatchObject(timeouts);
    const supabase = parseProvidersEnv({
      SWITCHYARD_DB: 'supabase',
      SUPABASE_DB_URL: 'postgres://postgres@db.abc.supabase.co:5432/postgres',
      SUPABASE_DB_CONNECT_TIMEOUT_MS: '3000',
      SUPABASE_DB_QUERY_TIMEOUT_MS: '40000',
    });
    expect(supabase.problems).toEqual([]);
    expect(supabase.plan.db.primary.options).toMatchObject(timeouts);
    expect(parseProvidersEnv({ SWITCHYARD_DB: 'aws', DATABASE_URL: 'postgres://h/db', RDS_QUERY_TIMEOUT_MS: '0' }).problems).toEqual([
      expect.objectContaining({ variable: 'RDS_QUERY_TIMEOUT_MS', problem: 'is "0"' }),
    ]);
  });

  it('verifies the Supabase database against SUPABASE_DB_CA when it is set', () => {
    const base = { SWITCHYARD_DB: 'supabase', SUPABASE_DB_URL: 'postgres://postgres@db.abc.supabase.co:5432/postgres' };
    expect(parseProvidersEnv(base).plan.db.primary.options).not.toHaveProperty('ssl');
    const { plan, problems } = parseProvidersEnv({ ...base, SUPABASE_DB_CA: CA });
    expect(problems).toEqual([]);
    expect(plan.db.primary.options).toMatchObject({ ssl: { ca: CA } });
    expect(parseProvidersEnv({ ...base, SUPABASE_DB_CA: '/etc/ca.pem' }).problems).toEqual([
      expect.objectContaining({ variable: 'SUPABASE_DB_CA', problem: 'is not a PEM certificate' }),
    ]);
  });

  it('passes the Redis and Supabase Realtime timeouts', () => {
    const redis = parseProvidersEnv({
      SWITCHYARD_PUBSUB: 'aws',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_CONNECT_TIMEOUT_MS: '4000',
      REDIS_COMMAND_TIMEOUT_MS: '2000',
    });
    expect(redis.problems).toEqual([]);
    expect(redis.plan.pubsub.primary.options).toMatchObject({ connectTimeoutMs: 4_000, commandTimeoutMs: 2_000 });
    const realtime = parseProvidersEnv({
      SWITCHYARD_PUBSUB: 'supabase',
      SUPABASE_URL: 'https://abc.supabase.co',
      SUPABASE_SERVICE_ROLE_KEY: 'service',
      SUPABASE_REALTIME_TIMEOUT_MS: '5000',
    });
    expect(realtime.problems).toEqual([]);
    expect(realtime.plan.pubsub.primary.options).toMatchObject({ timeoutMs: 5_000 });
    const unset = parseProvidersEnv({ SWITCHYARD_PUBSUB: 'aws', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(unset.plan.pubsub.primary.options).not.toHaveProperty('connectTimeoutMs');
  });
});
