import { execFile } from 'node:child_process';
import { appendFile, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@switchyard/test-peers';
import pg from 'pg';

const run = promisify(execFile);
const BIN = process.env.PGBIN ?? '/usr/lib/postgresql/15/bin';

/** A throwaway PostgreSQL 15 cluster with `wal_level=logical`, so two of them can replicate logically. */
export interface Cluster {
  name: string;
  port: number;
  /** A connection URL (trust auth, no TLS) to `database`. */
  url(database?: string): string;
  /** Runs SQL as the superuser (setup and checks, not the app's path). */
  sql<Row = Record<string, unknown>>(text: string, params?: unknown[], database?: string): Promise<Row[]>;
  stop(): Promise<void>;
}

const asPostgres = (command: string, args: string[]) =>
  run('runuser', ['-u', 'postgres', '--', join(BIN, command), ...args], { timeout: 120_000 });

/**
 * initdb as the `postgres` user (PostgreSQL refuses to run as root) in a temporary folder that user
 * can enter, on a free port, then starts it. The machine's own cluster runs `wal_level=replica` and
 * cannot be switched without a restart, so the drill brings its own pair. Fails loudly: the tests
 * that need it never skip.
 */
export async function startCluster(name: string): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), `sy-pg-${name}-`));
  await chown(
    dir,
    Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  );
  const data = join(dir, 'data');
  let port = 0;
  try {
    await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    // Speed over durability (a test cluster); replication settings as a managed database would have them.
    await appendFile(
      join(data, 'postgresql.conf'),
      [
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'wal_level = logical',
        'max_replication_slots = 16',
        'max_wal_senders = 16',
        'max_logical_replication_workers = 8',
        'max_worker_processes = 16',
        'fsync = off',
        'full_page_writes = off',
        'shared_buffers = 32MB',
        '',
      ].join('\n'),
    );
    // A free port can be taken by another process (a peer, another cluster) before the server binds
    // it: CI once lost a run that way. Each try picks a new port; the last setting wins.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      await appendFile(join(data, 'postgresql.conf'), `port = ${port}\n`);
      try {
        await asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  } catch (error) {
    const log = await readFile(join(dir, 'log'), 'utf8').catch(() => '(no log)');
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw new Error(
      `could not start the ${name} PostgreSQL cluster in ${dir}: ${(error as { stderr?: string }).stderr ?? error}\nlog:\n${log.slice(-2000)}`,
      { cause: error },
    );
  }
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}?sslmode=disable`;
  return {
    name,
    port,
    url,
    async sql<Row>(text: string, params: unknown[] = [], database = 'postgres') {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        return (await client.query(text, params)).rows as Row[];
      } finally {
        await client.end();
      }
    },
    async stop() {
      await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
