import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface PgPeer {
  url: string;
  drop(): Promise<void>;
}

/** Creates a throw-away database, with a 1,000-row table `items(id, name)`. */
export async function createBenchDatabase(): Promise<PgPeer> {
  const name = `switchyard_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query('create table items (id int primary key, name text not null)');
  await setup.query("insert into items select i, 'item ' || i from generate_series(1, 1000) i");
  await setup.end();
  return {
    url,
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
