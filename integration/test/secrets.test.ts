import { inspect } from 'node:util';
import { createProviders, type Providers, sql } from '@switchyard/core';
import { installSupabaseCompat } from '@switchyard/postgres';
import { createTestDatabase, type TestDatabase } from '@switchyard/test-peers/postgres';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Nothing createProviders returns may print a secret (issue 10): every secret below is recognisable,
 * and everything printed — inspect at any depth, JSON, String — is searched for it.
 */
const SECRETS = {
  SUPABASE_SERVICE_ROLE_KEY: 'svc-role-SECRET-0001',
  SUPABASE_ANON_KEY: 'anon-SECRET-0002',
  SUPABASE_JWT_SECRET: 'jwt-secret-SECRET-0003-at-least-32-characters-long',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-SECRET-0004',
  SWITCHYARD_LOCAL_SECRET: 'local-signing-SECRET-0005-0123456789abcdef',
  DB_PASSWORD: 'db-password-SECRET-0006',
};

function everyWayOfPrinting(value: unknown): string[] {
  return [
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: false, getters: true }),
    inspect(value),
    JSON.stringify(value) ?? '',
    String(value),
    `${value}`,
  ];
}

describe('printing what createProviders returns', () => {
  let database: TestDatabase | undefined;
  let providers: Providers | undefined;
  afterAll(async () => {
    await providers?.close();
    await database?.drop();
  });

  it('never shows a key, password or signing secret', async () => {
    database = await createTestDatabase({ prepare: installSupabaseCompat });
    const url = new URL(database.connectionString);
    // Trust auth accepts any password, so the connection works with a recognisable one.
    url.password = SECRETS.DB_PASSWORD;
    url.searchParams.set('sslmode', 'disable');
    providers = await createProviders({
      env: {
        SWITCHYARD_STORAGE: 'supabase',
        SWITCHYARD_STORAGE_SHADOW: 'local',
        SWITCHYARD_AUTH: 'supabase',
        SWITCHYARD_DB: 'aws',
        SWITCHYARD_PUBSUB: 'supabase',
        SUPABASE_URL: 'http://127.0.0.1:9',
        SUPABASE_SERVICE_ROLE_KEY: SECRETS.SUPABASE_SERVICE_ROLE_KEY,
        SUPABASE_ANON_KEY: SECRETS.SUPABASE_ANON_KEY,
        SUPABASE_JWT_SECRET: SECRETS.SUPABASE_JWT_SECRET,
        SUPABASE_STORAGE_BUCKET: 'photos',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        AWS_SECRET_ACCESS_KEY: SECRETS.AWS_SECRET_ACCESS_KEY,
        DATABASE_URL: url.toString(),
        SWITCHYARD_LOCAL_DIR: `/tmp/switchyard-secrets-${process.pid}`,
        SWITCHYARD_LOCAL_SECRET: SECRETS.SWITCHYARD_LOCAL_SECRET,
      },
    });
    const printed = [
      providers,
      providers.plan,
      providers.plan.ports,
      providers.plan.ports.storage,
      providers.plan.ports.storage?.primary,
      providers.plan.ports.storage?.primary.settings,
      providers.plan.ports.db?.primary,
      providers.storage,
      providers.auth,
      providers.auth.admin,
      providers.db,
      providers.pubsub,
    ].flatMap(everyWayOfPrinting);
    for (const [name, secret] of Object.entries(SECRETS)) {
      const leaks = printed.filter((text) => text.includes(secret));
      expect(leaks, `${name} was printed`).toEqual([]);
    }
    // The settings themselves still work: the database answers with the password it was given.
    expect(await providers.db.one<{ ok: number }>(sql`select 1 as ok`)).toEqual({ ok: 1 });
  });
});
