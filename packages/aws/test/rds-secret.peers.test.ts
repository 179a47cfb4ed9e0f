import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, DeleteSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createRdsDb, type RdsDbOptions } from '@switchyard/aws/rds';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import { type DbPort, sql } from '@switchyard/core/adapter';
import { FaultProxy, peerEnv } from '@switchyard/test-peers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PasswordServer, startPasswordServer } from './rds-password-server.js';

// The RDS adapter's `RDS_AUTH=secret` path with the real @aws-sdk/client-secrets-manager against
// moto's Secrets Manager, and a PostgreSQL that checks passwords, so a rotation really bites.
const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

describe('RdsDb with a Secrets Manager secret (moto)', () => {
  let server: PasswordServer;
  let admin: pg.Client;
  let secrets: SecretsManagerClient;
  let endpoint: string;
  const role = `sy_rotate_${randomBytes(4).toString('hex')}`;
  const secretId = `switchyard/test/${role}`;
  const opened: DbPort[] = [];

  const secretValue = (password: string) =>
    JSON.stringify({ engine: 'postgres', username: role, password, host: server.host, port: server.port, dbname: 'postgres' });

  const open = async (auth: Partial<Extract<RdsDbOptions['auth'], { type: 'secret' }>> = {}) => {
    const db = await createRdsDb({
      host: server.host,
      port: server.port,
      database: 'postgres',
      auth: { type: 'secret', secretId, region: REGION, endpoint, credentials: CREDENTIALS, ...auth },
      ssl: false,
      max: 4,
      connectionTimeoutMs: 5_000,
    });
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    endpoint = peerEnv('moto').MOTO_ENDPOINT!;
    server = await startPasswordServer();
    admin = await server.admin();
    await admin.query(`create role ${role} login password 'first-password'`);
    secrets = new SecretsManagerClient({ region: REGION, endpoint, credentials: CREDENTIALS });
    await secrets.send(new CreateSecretCommand({ Name: secretId, SecretString: secretValue('first-password') }));
  });

  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await secrets?.send(new DeleteSecretCommand({ SecretId: secretId, ForceDeleteWithoutRecovery: true })).catch(() => undefined);
    await admin?.end();
    await server?.stop();
  });

  it('connects as the user and with the password the secret holds', async () => {
    const db = await open();
    expect(await db.one<{ user: string }>(sql`select current_user::text as user`)).toEqual({ user: role });
  });

  it("reads the secret through a SecretsManagerClient of the app's, not one built from region/endpoint", async () => {
    // An endpoint where nothing listens: only the app's client (pointed at moto) can read the secret.
    const db = await open({ client: secrets, endpoint: 'http://127.0.0.1:1' });
    expect(await db.one<{ user: string }>(sql`select current_user::text as user`)).toEqual({ user: role });
  });

  it('after a rotation, opens new connections with the new password while open ones keep working', async () => {
    const db = await open();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let heldStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      heldStarted = resolve;
    });
    // A connection authenticated with the old password, busy in a transaction across the rotation.
    const held = db.transaction(async (tx) => {
      const before = await tx.one<{ pid: number }>(sql`select pg_backend_pid() as pid where ${1} = 1`);
      heldStarted();
      await gate;
      const after = await tx.one<{ pid: number }>(sql`select pg_backend_pid() as pid`);
      return { before: before.pid, after: after.pid };
    });
    await started;

    // Rotation as Secrets Manager's rotation function does it: a new secret version, then the role's password.
    await secrets.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: secretValue('second-password') }));
    await admin.query(`alter role ${role} password 'second-password'`);
    const stale = new pg.Client({ host: server.host, port: server.port, user: role, password: 'first-password', database: 'postgres' });
    await expect(stale.connect()).rejects.toMatchObject({ code: '28P01' });

    // Four at once: the pool must open new connections, which read the new secret version.
    const pids = await Promise.all(
      Array.from({ length: 3 }, () => db.transaction((tx) => tx.one<{ pid: number }>(sql`select pg_backend_pid() as pid, pg_sleep(0.2)`))),
    );
    expect(new Set(pids.map((row) => row.pid)).size).toBe(3);

    release();
    const { before, after } = await held;
    expect(after).toBe(before);
  });

  it('reports a secret that does not exist as CONFIG, naming it', async () => {
    const error = await expectSwitchyardError(open({ secretId: `${secretId}-missing` }), 'CONFIG');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`${secretId}-missing`);
  });

  it('reports Secrets Manager out of reach as a retryable UNAVAILABLE', async () => {
    const proxy = await FaultProxy.start({ port: Number(new URL(endpoint).port) });
    try {
      await proxy.set('refuse');
      const error = await expectSwitchyardError(open({ endpoint: proxy.url(endpoint) }), 'UNAVAILABLE');
      expect(error.retryable).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
