import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const PGBIN = process.env.PGBIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A throwaway PostgreSQL cluster that checks passwords (SCRAM over TCP), which the machine's
 * shared server does not (it trusts local connections), so a password rotation can be observed.
 * Administration goes over its Unix socket, trusted for `postgres` only.
 */
export interface PasswordServer {
  host: string;
  port: number;
  /** A superuser client over the Unix socket. */
  admin(): Promise<pg.Client>;
  stop(): Promise<void>;
}

/** Runs `command` as the `postgres` user when this process is root (initdb refuses root). */
async function asPostgres(command: string, args: string[]): Promise<void> {
  const asRoot = userInfo().uid === 0;
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  try {
    await run(file, argv, { timeout: 60_000 });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${command} failed: ${e.stderr?.trim() || e.message}`, { cause: error });
  }
}

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

export async function startPasswordServer(): Promise<PasswordServer> {
  const port = await freePort();
  const owner = userInfo().uid === 0 ? await postgresUser() : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'sy-rds-pg-'));
  const data = join(dir, 'data');
  if (owner) await chown(dir, owner.uid, owner.gid);
  await chmod(dir, 0o700);
  const stop = async () => {
    await asPostgres(`${PGBIN}/pg_ctl`, ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await asPostgres(`${PGBIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync']);
    const hba = join(data, 'pg_hba.conf');
    await writeFile(hba, 'local all postgres trust\nhost all all 127.0.0.1/32 scram-sha-256\n');
    if (owner) await chown(hba, owner.uid, owner.gid);
    await asPostgres(`${PGBIN}/pg_ctl`, [
      '-D',
      data,
      '-w',
      '-t',
      '60',
      '-l',
      join(dir, 'postgres.log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
  } catch (error) {
    await stop();
    throw new Error(`Could not start a PostgreSQL cluster with password authentication (PGBIN=${PGBIN})`, { cause: error });
  }
  return {
    host: '127.0.0.1',
    port,
    admin: async () => {
      const client = new pg.Client({ host: dir, port, user: 'postgres', database: 'postgres' });
      await client.connect();
      return client;
    },
    stop,
  };
}
