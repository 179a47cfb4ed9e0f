import { planProviders } from '@switchyard/core';
import { formatVariables, phaseVariables, readMigration, runCommand } from '@switchyard/migrate';
import { describe, expect, it } from 'vitest';

const SETTINGS = {
  SUPABASE_URL: 'https://abcdefgh.supabase.co',
  SUPABASE_SERVICE_ROLE_KEY: 'service-role',
  SUPABASE_ANON_KEY: 'anon',
  SUPABASE_STORAGE_BUCKET: 'uploads',
  SUPABASE_DB_URL: 'postgres://postgres:pw@db.example.com:5432/postgres',
  AWS_REGION: 'eu-west-1',
  AWS_S3_BUCKET: 'uploads',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbCdEf123',
  COGNITO_CLIENT_ID: 'client',
  DATABASE_URL: 'postgres://app:pw@rds.example.com:5432/app',
  REDIS_URL: 'redis://cache.example.com:6379',
  SWITCHYARD_MIGRATE_FROM: 'supabase',
  SWITCHYARD_MIGRATE_TO: 'aws',
};

describe('readMigration', () => {
  it('reads each port’s phase from the same variables the app reads', async () => {
    const migration = await readMigration({
      ...SETTINGS,
      SWITCHYARD_STORAGE: 'supabase',
      SWITCHYARD_STORAGE_SHADOW: 'aws',
      SWITCHYARD_AUTH: 'aws',
      SWITCHYARD_AUTH_SHADOW: 'supabase',
      SWITCHYARD_DB: 'supabase',
      SWITCHYARD_PUBSUB: 'aws',
    });
    expect(migration.phases).toEqual({ storage: 2, auth: 3, db: 1, pubsub: 4 });
    expect(migration.env.SWITCHYARD_MIGRATE_FROM).toBeUndefined();
  });

  it('lists every problem in one CONFIG error: missing providers, a phase that is no phase, and both sides’ missing settings', async () => {
    let caught: unknown;
    try {
      await readMigration({ SWITCHYARD_MIGRATE_FROM: 'supabase', SWITCHYARD_STORAGE: 'local', SUPABASE_URL: 'https://x.supabase.co' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'CONFIG' });
    const variables = (caught as { details: { problems: { variable: string }[] } }).details.problems.map((p) => p.variable);
    expect(variables).toContain('SWITCHYARD_MIGRATE_TO');

    try {
      await readMigration({
        SWITCHYARD_MIGRATE_FROM: 'supabase',
        SWITCHYARD_MIGRATE_TO: 'aws',
        SWITCHYARD_STORAGE: 'local',
        SUPABASE_URL: 'https://x.supabase.co',
      });
    } catch (error) {
      caught = error;
    }
    const problems = (caught as { details: { problems: { variable: string; problem: string }[] } }).details.problems;
    expect(problems.find((p) => p.variable === 'SWITCHYARD_STORAGE')?.problem).toMatch(/no phase of a migration from supabase to aws/);
    // The settings of the provider the app does not use yet are needed too.
    expect(problems.map((p) => p.variable)).toEqual(
      expect.arrayContaining([
        'AWS_REGION',
        'AWS_S3_BUCKET',
        'COGNITO_USER_POOL_ID',
        'SUPABASE_SERVICE_ROLE_KEY',
        'DATABASE_URL',
        'REDIS_URL',
      ]),
    );
  });

  it('refuses the same provider on both sides and an unknown port', async () => {
    await expect(
      readMigration({ ...SETTINGS, SWITCHYARD_MIGRATE_TO: 'supabase', SWITCHYARD_MIGRATE_PORTS: 'storage,queue' }),
    ).rejects.toThrow(/SWITCHYARD_MIGRATE_TO is the same provider[\s\S]*SWITCHYARD_MIGRATE_PORTS names queue/);
  });
});

describe('phase variables (switchyard env --phase N)', () => {
  const migration = { from: 'supabase', to: 'aws', ports: ['storage', 'auth', 'db', 'pubsub'] } as const;

  it('describes each phase so that readMigration reads it back as that phase', async () => {
    for (const phase of [1, 2, 3, 4] as const) {
      const variables = phaseVariables({ ...migration, ports: [...migration.ports] }, phase);
      const read = await readMigration({ ...SETTINGS, ...variables });
      expect(Object.values(read.phases)).toEqual([phase, phase, phase, phase]);
    }
  });

  it('prints dotenv with blank values for variables to unset, which createProviders reads as unset', async () => {
    const text = formatVariables(phaseVariables({ ...migration, ports: ['storage'] }, 4), 'dotenv');
    expect(text).toBe('SWITCHYARD_STORAGE=aws\nSWITCHYARD_STORAGE_SHADOW=\nSWITCHYARD_STORAGE_READS=\nSWITCHYARD_STORAGE_COPY_FORWARD=');
    expect(formatVariables(phaseVariables({ ...migration, ports: ['storage'] }, 3), 'shell')).toContain(
      "export SWITCHYARD_STORAGE_COPY_FORWARD='true'",
    );
    // The app itself starts from a phase's variables plus the migrate ones without complaint.
    const env = Object.fromEntries(text.split('\n').map((line) => line.split('=') as [string, string]));
    const plan = await planProviders({ ...SETTINGS, ...env }, { ports: ['storage'] });
    expect(plan.ports.storage).toMatchObject({ primary: { name: 'aws' }, reads: 'primary' });
    expect(plan.ports.storage?.shadow).toBeUndefined();
  });
});

describe('switchyard env', () => {
  it('prints a phase’s variables even before the app has any (a fresh setup starts from phase 1)', async () => {
    let out = '';
    const code = await runCommand(['env', '--phase', '1', '--port', 'db'], {
      env: SETTINGS,
      stdout: (t) => {
        out += t;
      },
      stderr: { write: () => undefined },
    });
    expect(code).toBe(0);
    expect(out).toBe('SWITCHYARD_DB=supabase\nSWITCHYARD_DB_SHADOW=\nSWITCHYARD_DB_READS=');
  });

  it('fails with one CONFIG error (exit 2) when a phase is not one of the migration', async () => {
    let err = '';
    const code = await runCommand(['status'], {
      env: { ...SETTINGS, SWITCHYARD_DB: 'local' },
      stdout: () => undefined,
      stderr: {
        write: (t) => {
          err += t;
        },
      },
    });
    expect(code).toBe(2);
    expect(err).toMatch(/CONFIG: [\s\S]*SWITCHYARD_DB is "local"/);
  });
});
