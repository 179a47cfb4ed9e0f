import { inspect } from 'node:util';
import { createRdsDb } from '@switchyard/aws/rds';
import { type DbPort, SwitchyardError, sql } from '@switchyard/core/adapter';
import { installSupabaseCompat } from '@switchyard/postgres';
import { createTestDatabase, type TestDatabase } from '@switchyard/test-peers/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('RdsDb', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ prepare: installSupabaseCompat });
  });

  afterAll(async () => {
    await database?.drop();
  });

  const target = () => {
    const url = new URL(database.connectionString);
    return { host: url.hostname, port: Number(url.port || 5432), database: url.pathname.slice(1) };
  };

  it('names @switchyard/postgres and pg when they are not installed (optional peers)', async () => {
    const missing = Object.assign(new Error("Cannot find package '@switchyard/postgres'"), { code: 'ERR_MODULE_NOT_FOUND' });
    const options = { ...target(), user: 'postgres', auth: { type: 'password' as const, password: 'x' }, ssl: false as const };
    const error = await createRdsDb(options, { importPostgres: () => Promise.reject(missing) }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(SwitchyardError.hasCode(error, 'CONFIG')).toBe(true);
    expect((error as SwitchyardError).message).toBe(
      '@switchyard/aws/rds needs @switchyard/postgres, pg: run npm install @switchyard/postgres pg',
    );
  });

  it('connects with IAM auth configured and stays within the pool size', async () => {
    // The machine's PostgreSQL trusts local connections, so it never asks for the token; the
    // signing and caching themselves are covered in rds-token.test.ts.
    const signer = { getAuthToken: async () => 'token' };
    const db = await createRdsDb({ ...target(), user: 'postgres', auth: { type: 'iam', region: 'us-east-1', signer }, ssl: false, max: 4 });
    try {
      const rows = await Promise.all(
        Array.from({ length: 4 }, () => db.transaction((tx) => tx.one<{ n: number }>(sql`select 1::int as n`))),
      );
      expect(rows).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }, { n: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('reads user and password from the secret', async () => {
    let fetched = 0;
    const fetchSecret = async () => {
      fetched++;
      return JSON.stringify({ username: 'postgres', password: 'rotating', engine: 'postgres' });
    };
    // The user comes from the secret (no `user` option); the password would be sent on demand.
    const db = await createRdsDb({
      ...target(),
      auth: { type: 'secret', secretId: 'app/db', region: 'us-east-1', fetchSecret },
      ssl: false,
    });
    try {
      expect((await db.one<{ u: string }>(sql`select current_user::text as u`)).u).toBe('postgres');
      expect(fetched).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('never prints the password, whether given or read from the secret', async () => {
    const secret = 'sy-secret-rds-password';
    const ports = [
      await createRdsDb({ ...target(), user: 'postgres', auth: { type: 'password', password: secret }, ssl: false }),
      await createRdsDb({
        ...target(),
        auth: {
          type: 'secret',
          secretId: 'app/db',
          region: 'us-east-1',
          fetchSecret: async () => JSON.stringify({ username: 'postgres', password: secret }),
        },
        ssl: false,
      }),
    ];
    try {
      for (const db of ports) {
        await db.query(sql`select 1`);
        const printed = [inspect(db, { depth: 10, showHidden: true }), JSON.stringify(db), String(db)].join('\n');
        expect(printed).not.toContain(secret);
        expect(printed).toContain(target().database);
      }
    } finally {
      await Promise.all(ports.map((db) => db.close()));
    }
  });

  it('maps a secret that cannot be read to CONFIG or a retryable UNAVAILABLE, never a raw SDK error', async () => {
    const failing = (name: string) => async () => {
      throw Object.assign(new Error(`${name} from Secrets Manager`), { name });
    };
    const open = (name: string) =>
      createRdsDb({
        ...target(),
        auth: { type: 'secret', secretId: 'app/db', region: 'us-east-1', fetchSecret: failing(name) },
        ssl: false,
      }).catch((e: unknown) => e);
    expect(await open('ResourceNotFoundException')).toMatchObject({ code: 'CONFIG', retryable: false });
    expect(await open('AccessDeniedException')).toMatchObject({ code: 'CONFIG', retryable: false });
    expect(await open('ThrottlingException')).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
    const down = await open('TimeoutError');
    expect(SwitchyardError.isInstance(down)).toBe(true);
    expect(down).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
  });

  it('refuses a secret without username and password with CONFIG', async () => {
    const error = await createRdsDb({
      ...target(),
      auth: { type: 'secret', secretId: 'x', region: 'us-east-1', fetchSecret: async () => '{"user":"x"}' },
      ssl: false,
    }).catch((e: unknown) => e);
    expect(SwitchyardError.hasCode(error, 'CONFIG')).toBe(true);
  });

  it('fails with CONFIG, not a hang, when TLS is required and the server has none', async () => {
    let db: DbPort | undefined;
    try {
      db = await createRdsDb({ ...target(), user: 'postgres', auth: { type: 'password', password: 'x' } });
      const error = await db.query(sql`select 1`).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'CONFIG', retryable: false, provider: 'aws' });
    } finally {
      await db?.close();
    }
  });
});
