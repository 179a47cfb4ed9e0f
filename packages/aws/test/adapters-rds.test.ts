import { rdsAdapter } from '@switchyard/aws/adapters';
import { describe, expect, it } from 'vitest';
import { plan, secrets } from './adapters-plan.js';

const iam = { AWS_REGION: 'us-east-1', RDS_HOST: 'db.internal', RDS_DATABASE: 'app', RDS_USER: 'iam_user' };
const secretAuth = { AWS_REGION: 'us-east-1', RDS_HOST: 'h', RDS_DATABASE: 'app', RDS_AUTH: 'secret', RDS_SECRET_ID: 's' };
const POSTGRES = ['@switchyard/postgres', 'pg'];

describe('rdsAdapter (SWITCHYARD_DB=aws)', () => {
  it('describes itself for createProviders, secrets marked', () => {
    expect(rdsAdapter).toMatchObject({ name: 'aws', port: 'db', module: '@switchyard/aws/rds' });
    expect(secrets(rdsAdapter)).toEqual(['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'DATABASE_URL', 'RDS_PASSWORD']);
  });

  it('reads DATABASE_URL as password auth; only sslmode=disable turns TLS off', () => {
    const { options, problems, peers } = plan(rdsAdapter, {
      DATABASE_URL: 'postgres://app:p%40ss@db.example.com:6543/app?sslmode=disable',
    });
    expect(problems).toEqual([]);
    expect(options).toEqual({
      host: 'db.example.com',
      port: 6543,
      database: 'app',
      user: 'app',
      auth: { type: 'password', password: 'p@ss' },
      ssl: false,
    });
    expect(peers).toEqual(POSTGRES);
    expect(plan(rdsAdapter, { DATABASE_URL: 'postgresql://app@db/app' }).options).not.toHaveProperty('ssl');
  });

  it('asks for DATABASE_URL or RDS_HOST, never echoing a URL', () => {
    expect(plan(rdsAdapter, {}).problems).toEqual([
      {
        variable: 'DATABASE_URL',
        problem: 'is not set',
        expected: 'postgres://user:password@host:5432/database, or RDS_HOST, RDS_DATABASE, RDS_USER and RDS_AUTH',
      },
    ]);
    const { problems } = plan(rdsAdapter, { DATABASE_URL: 'mysql://user:hunter2@host/db' });
    expect(problems).toEqual([expect.objectContaining({ variable: 'DATABASE_URL', problem: 'is not a valid URL' })]);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });

  it('builds IAM auth from RDS_* variables (the default), which needs the signer', () => {
    const { options, problems, peers } = plan(rdsAdapter, { ...iam, RDS_AUTH: 'iam' });
    expect(problems).toEqual([]);
    expect(options).toEqual({
      host: 'db.internal',
      port: 5432,
      database: 'app',
      user: 'iam_user',
      auth: { type: 'iam', region: 'us-east-1' },
    });
    expect(peers).toEqual([...POSTGRES, '@aws-sdk/rds-signer']);
    expect(plan(rdsAdapter, { RDS_HOST: 'h', RDS_PORT: '70000' }).problems).toEqual([
      { variable: 'RDS_PORT', problem: 'is "70000"', expected: 'a TCP port such as 5432' },
      { variable: 'RDS_DATABASE', problem: 'is not set', expected: 'the database name' },
      { variable: 'RDS_USER', problem: 'is not set', expected: 'the database user granted rds_iam' },
      { variable: 'AWS_REGION', problem: 'is not set', expected: 'an AWS region such as eu-west-1' },
    ]);
  });

  it('passes a Secrets Manager endpoint and the AWS credentials to secret auth, which needs its client', () => {
    const { options, problems, peers } = plan(rdsAdapter, {
      ...secretAuth,
      RDS_SECRET_ID: 'app/db',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SECRETS_MANAGER_ENDPOINT: 'http://127.0.0.1:5000',
    });
    expect(problems).toEqual([]);
    expect(options.auth).toEqual({
      type: 'secret',
      secretId: 'app/db',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:5000',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    expect(options).not.toHaveProperty('user');
    expect(peers).toEqual([...POSTGRES, '@aws-sdk/client-secrets-manager']);
    expect(plan(rdsAdapter, { ...secretAuth, AWS_SECRETS_MANAGER_ENDPOINT: 'x' }).problems).toEqual([
      expect.objectContaining({ variable: 'AWS_SECRETS_MANAGER_ENDPOINT', problem: 'is not a valid URL' }),
    ]);
    expect(plan(rdsAdapter, { ...secretAuth, RDS_SECRET_ID: '' }).problems).toEqual([
      { variable: 'RDS_SECRET_ID', problem: 'is not set', expected: 'the Secrets Manager secret id or ARN' },
    ]);
  });

  it('builds password auth from RDS_USER and RDS_PASSWORD', () => {
    const password = { RDS_HOST: 'h', RDS_DATABASE: 'app', RDS_AUTH: 'password' };
    expect(plan(rdsAdapter, { ...password, RDS_USER: 'app', RDS_PASSWORD: 'pw' }).options.auth).toEqual({
      type: 'password',
      password: 'pw',
    });
    expect(plan(rdsAdapter, password).problems).toEqual([
      { variable: 'RDS_USER', problem: 'is not set', expected: 'the database user' },
      { variable: 'RDS_PASSWORD', problem: 'is not set', expected: 'the database password' },
    ]);
  });

  it('passes the timeouts and pool size for either form, leaving them out when unset', () => {
    const tuning = { RDS_CONNECT_TIMEOUT_MS: '3000', RDS_QUERY_TIMEOUT_MS: '40000', RDS_STATEMENT_TIMEOUT_MS: '0', RDS_POOL_MAX: '4' };
    const expected = { connectionTimeoutMs: 3_000, queryTimeoutMs: 40_000, statementTimeoutMs: 0, max: 4 };
    const byUrl = plan(rdsAdapter, { DATABASE_URL: 'postgres://app@db.example.com/app', ...tuning });
    expect(byUrl.problems).toEqual([]);
    expect(byUrl.options).toMatchObject(expected);
    expect(plan(rdsAdapter, { ...iam, ...tuning }).options).toMatchObject(expected);
    const unset = plan(rdsAdapter, { DATABASE_URL: 'postgres://h/db' }).options;
    for (const option of ['connectionTimeoutMs', 'queryTimeoutMs', 'statementTimeoutMs', 'max']) expect(unset).not.toHaveProperty(option);
    expect(plan(rdsAdapter, { DATABASE_URL: 'postgres://h/db', RDS_QUERY_TIMEOUT_MS: '0' }).problems).toEqual([
      { variable: 'RDS_QUERY_TIMEOUT_MS', problem: 'is "0"', expected: 'a positive whole number of milliseconds' },
    ]);
  });
});
