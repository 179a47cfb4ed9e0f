import { sql } from '@switchyard/core';
import { createPostgresDb, installSupabaseCompat } from '@switchyard/postgres';
import { createTestDatabase } from '@switchyard/test-peers/postgres';
import pg from 'pg';
import { compare, runConcurrent, scale } from '../lib/measure.js';
import { type Row, ratioText, throughputRow } from '../lib/row.js';
import { startCountingProxy } from '../peers/pg-proxy.js';

const POOL = 10;
const USER = { id: '00000000-0000-4000-8000-000000000001', email: 'bench@example.com' };
const SELECT = 'select id, name from items where id = $1';
// What asUser sends (ASUSER_SETUP_SQL in core), so the hand-written anchors do the same work.
const SETUP = "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)";
const SETUP_VALUES = ['authenticated', JSON.stringify({ sub: USER.id, role: 'authenticated', email: USER.email })];
const id = (i: number) => (i % 1000) + 1;

/** The Supabase roles and a 1,000-row table `items(id, name)` that `authenticated` may read. */
async function prepare({ connectionString }: { connectionString: string }): Promise<void> {
  await installSupabaseCompat({ connectionString });
  const setup = new pg.Client({ connectionString });
  await setup.connect();
  try {
    await setup.query('create table items (id int primary key, name text not null)');
    await setup.query("insert into items select i, 'item ' || i from generate_series(1, 1000) i");
    await setup.query('grant select on items to authenticated');
  } finally {
    await setup.end();
  }
}

/** Row 4: DbPort round trips vs raw pg, asUser vs unscoped, and the round trips asUser costs. */
export async function benchDb(): Promise<Row[]> {
  // BENCH_PG_URL: the server to measure, when not the tests' one.
  const database = await createTestDatabase({ prefix: 'switchyard_bench_', adminUrl: process.env.BENCH_PG_URL, prepare });
  try {
    return [...(await measure(database.connectionString)), ...(await countRoundTrips(database.connectionString))];
  } finally {
    await database.drop();
  }
}

/** begin; set_config; select; commit — one statement after another, as asUser does. */
async function asUserByHand(pool: pg.Pool, i: number): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(SETUP, SETUP_VALUES);
    await client.query(SELECT, [id(i)]);
    await client.query('commit');
  } finally {
    client.release();
  }
}

/** The same on a `pipeline: true` pool: begin, set_config and the first query leave in one flight. */
async function asUserPipelined(pool: pg.Pool, i: number): Promise<void> {
  const client = await pool.connect();
  try {
    await Promise.all([client.query('begin'), client.query(SETUP, SETUP_VALUES), client.query(SELECT, [id(i)])]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function rawPool(url: string, pipeline = false): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: POOL, ...(pipeline ? { pipeline: true } : {}) });
  // As the adapter does: an idle connection killed by the server must not crash the process.
  pool.on('error', () => {});
  return pool;
}

async function measure(url: string): Promise<Row[]> {
  const port = await createPostgresDb({ connectionString: url, max: POOL });
  const raw = rawPool(url);
  const pipelined = rawPool(url, true);
  const ops = scale(2000, 600);
  const scopedOps = Math.round(ops / 2);
  const trials = scale(11, 5);
  const side = (count: number, call: (i: number) => Promise<unknown>) => ({ ops: count, run: () => runConcurrent(count, POOL, call) });
  const portSelect = (i: number) => port.query(sql`select id, name from items where id = ${id(i)}`);
  const asUser = (i: number) => port.asUser(USER, (tx) => tx.query(sql`select id, name from items where id = ${id(i)}`));
  try {
    // A trial is a tenth of a second, which the scheduling of ten server processes on two cores
    // swings by ±15 %: three times the trials of the slower rows, for a median that holds still.
    const select = await compare(
      side(ops, portSelect),
      side(ops, (i) => raw.query(SELECT, [id(i)])),
      { trials: trials * 3 },
    );
    const scopedVsRaw = await compare(
      side(scopedOps, asUser),
      side(scopedOps, (i) => asUserByHand(raw, i)),
      { trials },
    );
    const scopedVsUnscoped = await compare(side(scopedOps, asUser), side(scopedOps, portSelect), { trials });
    const scopedVsPipelined = await compare(
      side(scopedOps, asUser),
      side(scopedOps, (i) => asUserPipelined(pipelined, i)),
      { trials },
    );
    const informational = (rowId: string, what: string, result: { port: number; anchor: number; ratio: number }, note?: string): Row => ({
      id: rowId,
      what,
      port: `${Math.round(result.port).toLocaleString('en-US')}/s`,
      anchor: `${Math.round(result.anchor).toLocaleString('en-US')}/s`,
      ratio: ratioText(result.ratio),
      target: 'informational',
      met: 'n/a',
      ...(note ? { note } : {}),
    });
    return [
      throughputRow(
        { id: '4a', what: `DbPort.query parameterised select (pool ${POOL}, ${POOL} in flight) vs pg Pool.query` },
        select,
        0.9,
      ),
      throughputRow(
        {
          id: '4b',
          what: 'DbPort.asUser + 1 select vs the same 4 statements by hand on a pg PoolClient',
          note: 'anchor: begin; set_config(role, claims); select; commit, each awaited',
        },
        scopedVsRaw,
        0.9,
      ),
      informational('4c', 'DbPort.asUser + 1 select ÷ unscoped DbPort.query select', scopedVsUnscoped),
      informational(
        '4e',
        'DbPort.asUser + 1 select ÷ the same by hand on a pg `pipeline: true` pool (begin, set_config and select sent together, then commit)',
        scopedVsPipelined,
        'the `pipeline` client option of the installed pg (8.23): what asUser could cost with the fewest round trips; on localhost a round trip is cheap, over a network each saved one is a full RTT',
      ),
    ];
  } finally {
    await port.close();
    await raw.end();
    await pipelined.end();
  }
}

/** Request cycles and network round trips of one call each, counted at a TCP proxy. */
async function countRoundTrips(url: string): Promise<Row[]> {
  const parsed = new URL(url);
  const proxy = await startCountingProxy({ host: parsed.hostname, port: Number(parsed.port || 5432) });
  const proxied = new URL(url);
  proxied.host = `127.0.0.1:${proxy.port}`;
  const port = await createPostgresDb({ connectionString: proxied.toString(), max: 1 });
  const pipelined = new pg.Pool({ connectionString: proxied.toString(), max: 1, pipeline: true });
  try {
    // Open both connections first: startup has round trips of its own.
    await port.query(sql`select 1`);
    await pipelined.query('select 1');
    const count = async (call: () => Promise<unknown>) => {
      const before = { cycles: proxy.cycles, roundTrips: proxy.roundTrips };
      await call();
      return { cycles: proxy.cycles - before.cycles, roundTrips: proxy.roundTrips - before.roundTrips };
    };
    const query = await count(() => port.query(sql`select id from items where id = ${1}`));
    const asUser = await count(() => port.asUser(USER, (tx) => tx.query(sql`select id from items where id = ${1}`)));
    const minimal = await count(() => asUserPipelined(pipelined, 0));
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const text = (c: { cycles: number; roundTrips: number }) =>
      `${plural(c.roundTrips, 'round trip')} (${plural(c.cycles, 'request cycle')})`;
    return [
      {
        id: '4d',
        what: 'network round trips per call, counted at a TCP proxy: asUser + 1 query vs unscoped query',
        port: text(asUser),
        anchor: text(query),
        ratio: `+${asUser.roundTrips - query.roundTrips}`,
        target: `fewest the protocol allows: +${minimal.roundTrips - query.roundTrips}`,
        met: asUser.roundTrips <= minimal.roundTrips ? 'yes' : 'NO',
        note: `round trip = the client sending after it has received something; request cycle = ReadyForQuery. Fewest: begin + set_config + first query pipelined, then commit (measured by hand on pg pipeline mode: ${text(minimal)})`,
      },
    ];
  } finally {
    await port.close();
    await pipelined.end();
    await proxy.close();
  }
}
