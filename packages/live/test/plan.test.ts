import { SwitchyardError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { describeTargets } from '../src/describe-targets.js';
import { planLiveRun } from '../src/plan.js';

const S3 = { AWS_REGION: 'eu-west-1', AWS_S3_BUCKET: 'switchyard-test-uploads' };
const COGNITO = { AWS_REGION: 'eu-west-1', COGNITO_USER_POOL_ID: 'eu-west-1_AbCdEf123', COGNITO_CLIENT_ID: 'client-1' };
const SUPABASE_AUTH = { SUPABASE_URL: 'https://abcdefgh.supabase.co', SUPABASE_ANON_KEY: 'anon', SUPABASE_SERVICE_ROLE_KEY: 'service' };
const RDS = { RDS_DATABASE: 'switchyard-test-db', RDS_USER: 'app', RDS_AUTH: 'password', RDS_PASSWORD: 'pw' };
const BASE = { SWITCHYARD_LIVE_PREFIX: 'switchyard-test-', SWITCHYARD_LIVE_TARGETS: 'aws-s3', ...S3 };

/** The refusal's message; fails when the plan is accepted or fails otherwise. */
function refusal(env: Record<string, string>): string {
  try {
    planLiveRun(env);
  } catch (error) {
    expect(SwitchyardError.isInstance(error), String(error)).toBe(true);
    expect((error as SwitchyardError).code).toBe('CONFIG');
    return (error as Error).message;
  }
  throw new Error('the plan was accepted');
}

describe('planLiveRun', () => {
  describe('target selection', () => {
    it('refuses an empty or missing target list, listing every target and what it needs', () => {
      for (const targets of [undefined, '', ' , ']) {
        const env: Record<string, string> = { ...BASE };
        if (targets === undefined) delete env.SWITCHYARD_LIVE_TARGETS;
        else env.SWITCHYARD_LIVE_TARGETS = targets;
        const message = refusal(env);
        expect(message).toContain('SWITCHYARD_LIVE_TARGETS names no target');
        for (const name of [
          'aws-s3',
          'supabase-storage',
          'aws-cognito',
          'supabase-auth',
          'aws-rds',
          'supabase-db',
          'aws-redis',
          'supabase-realtime',
        ]) {
          expect(message).toContain(name);
        }
        expect(message).toContain('needs AWS_REGION, AWS_S3_BUCKET');
        expect(message).toContain('needs SUPABASE_DB_URL');
      }
    });

    it('refuses an unknown target', () => {
      expect(refusal({ ...BASE, SWITCHYARD_LIVE_TARGETS: 'aws-s3,aws-s4' })).toContain('aws-s4 (unknown)');
    });

    it('names every missing variable of every listed target at once', () => {
      const message = refusal({ SWITCHYARD_LIVE_PREFIX: 'switchyard-test-', SWITCHYARD_LIVE_TARGETS: 'aws-s3,supabase-storage,aws-redis' });
      for (const variable of [
        'AWS_REGION',
        'AWS_S3_BUCKET',
        'SUPABASE_URL',
        'SUPABASE_SERVICE_ROLE_KEY',
        'SUPABASE_STORAGE_BUCKET',
        'REDIS_URL',
      ]) {
        expect(message).toContain(`${variable} is not set`);
      }
      expect(message).toContain('aws-s3: AWS_REGION is not set');
      expect(message).toContain('supabase-storage: SUPABASE_STORAGE_BUCKET is not set');
    });

    it('names every missing variable of the auth targets', () => {
      const message = refusal({ SWITCHYARD_LIVE_PREFIX: 'switchyard-test-', SWITCHYARD_LIVE_TARGETS: 'aws-cognito,supabase-auth' });
      for (const line of [
        'aws-cognito: AWS_REGION is not set',
        'aws-cognito: COGNITO_USER_POOL_ID is not set',
        'aws-cognito: COGNITO_CLIENT_ID is not set',
        'supabase-auth: SUPABASE_URL is not set',
        'supabase-auth: SUPABASE_ANON_KEY is not set',
        'supabase-auth: SUPABASE_SERVICE_ROLE_KEY is not set',
      ]) {
        expect(message).toContain(line);
      }
      const halfCredentials = refusal({ ...BASE, ...COGNITO, SWITCHYARD_LIVE_TARGETS: 'aws-cognito', AWS_ACCESS_KEY_ID: 'AKIA' });
      expect(halfCredentials).toContain('aws-cognito: AWS_SECRET_ACCESS_KEY is not set while its pair is');
      const badEndpoint = refusal({ ...BASE, ...COGNITO, SWITCHYARD_LIVE_TARGETS: 'aws-cognito', COGNITO_ENDPOINT: 'localhost:9229' });
      expect(badEndpoint).toContain('aws-cognito: COGNITO_ENDPOINT is not a valid URL;');
    });

    it('names the variables of the RDS auth mode chosen', () => {
      const message = refusal({
        ...BASE,
        SWITCHYARD_LIVE_TARGETS: 'aws-rds',
        RDS_HOST: 'db.example.com',
        RDS_DATABASE: 'switchyard-test-db',
        RDS_AUTH: 'secret',
      });
      expect(message).toContain('RDS_SECRET_ID is not set');
      expect(message).not.toContain('RDS_PASSWORD');
    });

    it('runs only the listed targets and reports the others as unlisted', () => {
      const plan = planLiveRun(BASE, 'abcd1234');
      expect(plan.targets.map((target) => target.name)).toEqual(['aws-s3']);
      expect(plan.unlisted).toEqual([
        'supabase-storage',
        'aws-cognito',
        'supabase-auth',
        'aws-rds',
        'supabase-db',
        'aws-redis',
        'supabase-realtime',
      ]);
      expect(plan.runPrefix).toBe('switchyard-test-abcd1234-');
      expect(plan.targets[0]?.options).toEqual({ region: 'eu-west-1', bucket: 'switchyard-test-uploads', forcePathStyle: false });
    });
  });

  describe("the adapters' descriptors", () => {
    const S3_AND_RDS = { ...BASE, ...RDS, SWITCHYARD_LIVE_TARGETS: 'aws-s3,aws-rds', RDS_HOST: '127.0.0.1' };

    it('hand the suites every setting createProviders reads, also those the live tier used to ignore', () => {
      const plan = planLiveRun({ ...S3_AND_RDS, RDS_POOL_MAX: '3', RDS_CONNECT_TIMEOUT_MS: '2500', AWS_S3_MAX_ATTEMPTS: '5' });
      expect(plan.targets.find((target) => target.name === 'aws-rds')?.options).toMatchObject({ max: 3, connectionTimeoutMs: 2500 });
      expect(plan.targets.find((target) => target.name === 'aws-s3')?.options).toMatchObject({ maxAttempts: 5 });
    });

    it("list their problems in the same refusal as the live tier's own", () => {
      const message = refusal({
        ...S3_AND_RDS,
        RDS_HOST: 'prod.rds.example.com',
        RDS_SSL: 'disable',
        RDS_POOL_MAX: '0',
        AWS_S3_BUCKET: 'uploads',
      });
      expect(message).toContain('aws-rds: RDS_POOL_MAX is "0"; expected connections per process');
      expect(message).toContain('aws-rds: RDS_SSL is "disable" for prod.rds.example.com');
      expect(message).toContain('aws-s3: AWS_S3_BUCKET names the bucket "uploads"');
    });

    it('refuse Redis cluster mode, whose keys the sweep of one server would miss', () => {
      const env = { ...BASE, SWITCHYARD_LIVE_TARGETS: 'aws-redis', REDIS_CLUSTER_NODES: 'switchyard-test-cache:6379' };
      expect(refusal(env)).toContain('aws-redis: REDIS_CLUSTER_NODES is set; expected it unset');
    });

    it('give the target list what each target needs and reads, and what only the live tier reads', () => {
      const list = describeTargets();
      const rds = list.slice(list.indexOf('aws-rds'), list.indexOf('supabase-db'));
      expect(rds).toContain('@switchyard/aws/rds (SWITCHYARD_DB=aws)');
      expect(rds).toContain('RDS_SECRET_ID (when RDS_AUTH=secret)');
      expect(rds).toContain('RDS_POOL_MAX');
      expect(rds).toContain('RDS_SSL (live tier only, loopback hosts only)');
      expect(list).toContain('refuses REDIS_CLUSTER_NODES');
    });
  });

  describe('the prefix', () => {
    it('refuses to run without SWITCHYARD_LIVE_PREFIX', () => {
      const { SWITCHYARD_LIVE_PREFIX: _, ...env } = BASE;
      expect(refusal(env)).toContain('SWITCHYARD_LIVE_PREFIX is not set');
    });

    it('refuses a prefix that does not say "test", does not end in "-", or cannot go into a bucket name', () => {
      for (const prefix of ['prod-', 'switchyard-test', 'Switchyard-Test-', 'sy_test-', 'a-']) {
        expect(refusal({ ...BASE, SWITCHYARD_LIVE_PREFIX: prefix })).toContain(`SWITCHYARD_LIVE_PREFIX is "${prefix}"`);
      }
    });
  });

  describe('the places written into', () => {
    it('refuses a bucket whose name does not carry the prefix', () => {
      const message = refusal({ ...BASE, AWS_S3_BUCKET: 'company-uploads' });
      expect(message).toContain('AWS_S3_BUCKET names the bucket "company-uploads", which does not start with "switchyard-test-"');
      expect(message).toContain('add "company-uploads" to SWITCHYARD_LIVE_ALLOW');
    });

    it('accepts a bucket without the prefix only when SWITCHYARD_LIVE_ALLOW lists it exactly', () => {
      expect(refusal({ ...BASE, AWS_S3_BUCKET: 'company-uploads', SWITCHYARD_LIVE_ALLOW: 'company-upload, uploads' })).toContain(
        'company-uploads',
      );
      const plan = planLiveRun({ ...BASE, AWS_S3_BUCKET: 'scratch', SWITCHYARD_LIVE_ALLOW: 'other, scratch' });
      expect(plan.targets[0]?.options).toMatchObject({ bucket: 'scratch' });
    });

    it('refuses a database whose name does not carry the prefix, naming host and database', () => {
      const message = refusal({
        ...BASE,
        SWITCHYARD_LIVE_TARGETS: 'supabase-db,aws-rds',
        SUPABASE_DB_URL: 'postgres://postgres:pw@db.abcdefgh.supabase.co:5432/postgres',
        DATABASE_URL: 'postgres://app:pw@prod.rds.example.com/app',
      });
      expect(message).toContain('supabase-db: SUPABASE_DB_URL names the database "db.abcdefgh.supabase.co/postgres"');
      expect(message).toContain('aws-rds: DATABASE_URL or RDS_DATABASE names the database "prod.rds.example.com/app"');
    });

    it('refuses a Redis server that is neither named with the prefix nor allowed, and a key prefix without it', () => {
      const env = { ...BASE, SWITCHYARD_LIVE_TARGETS: 'aws-redis', REDIS_URL: 'rediss://prod.abc123.cache.amazonaws.com:6379' };
      expect(refusal(env)).toContain('the Redis server "prod.abc123.cache.amazonaws.com:6379"');
      expect(refusal({ ...env, SWITCHYARD_LIVE_ALLOW: 'prod.abc123.cache.amazonaws.com:6379', REDIS_KEY_PREFIX: 'app:' })).toContain(
        'REDIS_KEY_PREFIX names the Redis key prefix "app:"',
      );
      const plan = planLiveRun({ ...env, REDIS_URL: 'redis://switchyard-test-cache.abc123.cache.amazonaws.com:6379' });
      expect(plan.targets[0]?.options).toMatchObject({ keyPrefix: 'switchyard-test-' });
    });

    it('refuses a Supabase project for Realtime unless SWITCHYARD_LIVE_ALLOW names its host, even a prefix-like ref', () => {
      const env = {
        ...BASE,
        SWITCHYARD_LIVE_TARGETS: 'supabase-realtime',
        SUPABASE_URL: 'https://abcdefgh.supabase.co',
        SUPABASE_SERVICE_ROLE_KEY: 'k',
      };
      expect(refusal(env)).toContain('SUPABASE_URL names the Supabase project "abcdefgh.supabase.co"');
      expect(refusal({ ...env, SUPABASE_URL: 'https://switchyard-test-x.example.com' })).toContain('"switchyard-test-x.example.com"');
      expect(planLiveRun({ ...env, SWITCHYARD_LIVE_ALLOW: 'abcdefgh.supabase.co' }).targets[0]?.name).toBe('supabase-realtime');
    });

    it('refuses a user pool unless SWITCHYARD_LIVE_ALLOW lists its id, since an id cannot carry the prefix', () => {
      const env = { ...BASE, ...COGNITO, SWITCHYARD_LIVE_TARGETS: 'aws-cognito' };
      const message = refusal(env);
      expect(message).toContain(
        'aws-cognito: COGNITO_USER_POOL_ID names the user pool "eu-west-1_AbCdEf123", and a user pool id cannot carry the prefix',
      );
      expect(message).toContain('add "eu-west-1_AbCdEf123" to SWITCHYARD_LIVE_ALLOW');
      expect(refusal({ ...env, SWITCHYARD_LIVE_ALLOW: 'eu-west-1_AbCdEf12' })).toContain('eu-west-1_AbCdEf123');
      const plan = planLiveRun({ ...env, SWITCHYARD_LIVE_ALLOW: 'eu-west-1_AbCdEf123', COGNITO_ENDPOINT: 'http://127.0.0.1:9229' });
      expect(plan.targets[0]?.options).toEqual({
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_AbCdEf123',
        clientId: 'client-1',
        signIn: 'email-otp',
        endpoint: 'http://127.0.0.1:9229',
      });
    });

    it('refuses a Supabase project for Auth unless SWITCHYARD_LIVE_ALLOW names its host, even a prefix-like ref', () => {
      const env = { ...BASE, ...SUPABASE_AUTH, SWITCHYARD_LIVE_TARGETS: 'supabase-auth' };
      expect(refusal(env)).toContain(
        'supabase-auth: SUPABASE_URL names the Supabase project "abcdefgh.supabase.co", and a project\'s host is its random ref',
      );
      const prefixLike = { ...env, SUPABASE_URL: 'https://switchyard-test-x.example.com' };
      expect(refusal(prefixLike)).toContain('"switchyard-test-x.example.com"');
      expect(planLiveRun({ ...env, SWITCHYARD_LIVE_ALLOW: 'abcdefgh.supabase.co' }).targets[0]?.name).toBe('supabase-auth');
    });

    it('lets only a loopback RDS host go without TLS', () => {
      const env = { ...BASE, ...RDS, SWITCHYARD_LIVE_TARGETS: 'aws-rds', RDS_SSL: 'disable' };
      expect(refusal({ ...env, RDS_HOST: 'prod.rds.example.com' })).toContain('RDS_SSL is "disable" for prod.rds.example.com');
      expect(planLiveRun({ ...env, RDS_HOST: '127.0.0.1' }).targets[0]?.options).toMatchObject({
        ssl: false,
        database: 'switchyard-test-db',
      });
    });
  });
});
