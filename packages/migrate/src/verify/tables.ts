import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DbClient, type DbPort, type SqlFragment, sql } from '@switchyard/core';
import { type Column, listColumns, listTables, primaryKey, type TableRef, tableIdent, tableName } from '../db/catalog.js';
import { Progress, type ProgressSink } from '../progress.js';

export interface VerifyTablesOptions {
  from: DbPort;
  to: DbPort;
  schemas: readonly string[];
  stateDir: string;
  /** Rows per checksummed range of the primary key. Default 50,000. */
  chunkRows?: number | undefined;
  /** Ranges compared at once. Default 2. */
  concurrency?: number | undefined;
  /** A differing range is compared again this many times, a second apart, before it counts (replication lag). Default 2. */
  recheck?: number | undefined;
  signal?: AbortSignal | undefined;
  progress?: ProgressSink | undefined;
}

/** One table's comparison. */
export interface TableVerdict {
  table: string;
  rows: { source: number; target: number };
  chunks: number;
  differingChunks: number;
  /** Primary keys (as text) of rows the target lacks, has in excess, or holds with other values; at most 100 of each are listed. */
  missing: number;
  extra: number;
  changed: number;
  examples: { missing: string[][]; extra: string[][]; changed: string[][] };
  /** Why the table could not be compared range by range (missing at the target, no primary key, other columns). */
  problem?: string | undefined;
}

export interface VerifyTablesResult {
  tables: TableVerdict[];
  /** Tables that differ in any way. */
  differing: number;
  done: boolean;
  report: string;
}

type Key = string[];

/** Text output of every type the same at both servers, whatever their defaults. */
async function stable<T>(db: DbPort, fn: (tx: DbClient) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(sql`select set_config('timezone', 'UTC', true), set_config('datestyle', 'ISO, MDY', true),
      set_config('intervalstyle', 'postgres', true), set_config('extra_float_digits', '1', true), set_config('bytea_output', 'hex', true)`);
    return fn(tx);
  });
}

class RangeQueries {
  readonly pkList: SqlFragment;
  readonly row: SqlFragment;
  readonly ident;

  constructor(
    table: TableRef,
    private readonly pk: Column[],
    columns: Column[],
  ) {
    this.ident = tableIdent(table);
    this.pkList = sql.join(pk.map((c) => sql`${sql.ident(c.name)}`));
    // Columns by name: replication matches columns by name, so their order may differ between the sides.
    this.row = sql`row(${sql.join(columns.map((c) => sql`${sql.ident(c.name)}`))})::text`;
  }

  private key(values: Key): SqlFragment {
    return sql.join(this.pk.map((c, i) => sql`${values[i]}::${sql.ident(c.typeSchema, c.typeName)}`));
  }

  where(after: Key | undefined, upTo: Key | undefined): SqlFragment {
    const lower = after ? sql`(${this.pkList}) > (${this.key(after)})` : sql`true`;
    const upper = upTo ? sql`(${this.pkList}) <= (${this.key(upTo)})` : sql`true`;
    return sql`${lower} and ${upper}`;
  }

  keyText(): SqlFragment {
    return sql`array[${sql.join(this.pk.map((c) => sql`${sql.ident(c.name)}::text`))}]`;
  }
}

async function boundary(db: DbPort, q: RangeQueries, after: Key | undefined, rows: number): Promise<Key | undefined> {
  const row = await stable(db, (tx) =>
    tx.maybeOne<{ key: Key }>(
      sql`select ${q.keyText()} as key from ${q.ident} where ${q.where(after, undefined)} order by ${q.pkList} limit 1 offset ${rows - 1}`,
    ),
  );
  return row?.key;
}

/** Row count and an order-free 64-bit checksum of the range, computed by the server (nothing but two numbers crosses the wire). */
async function rangeSum(db: DbPort, q: RangeQueries, after: Key | undefined, upTo: Key | undefined): Promise<{ n: number; h: string }> {
  const row = await stable(db, (tx) =>
    tx.one<{ n: string; h: string }>(
      sql`select count(*)::text as n, coalesce(bit_xor(hashtextextended(${q.row}, 0)), 0)::text as h from ${q.ident} where ${q.where(after, upTo)}`,
    ),
  );
  return { n: Number(row.n), h: row.h };
}

async function rowHashes(db: DbPort, q: RangeQueries, after: Key | undefined, upTo: Key | undefined): Promise<Map<string, string>> {
  const rows = await stable(db, (tx) =>
    tx.query<{ key: Key; h: string }>(sql`select ${q.keyText()} as key, md5(${q.row}) as h from ${q.ident} where ${q.where(after, upTo)}`),
  );
  return new Map(rows.rows.map((r) => [JSON.stringify(r.key), r.h]));
}

async function describeRange(
  verdict: TableVerdict,
  from: DbPort,
  to: DbPort,
  q: RangeQueries,
  after: Key | undefined,
  upTo: Key | undefined,
) {
  const [source, target] = await Promise.all([rowHashes(from, q, after, upTo), rowHashes(to, q, after, upTo)]);
  const note = (kind: 'missing' | 'extra' | 'changed', key: string) => {
    verdict[kind]++;
    if (verdict.examples[kind].length < 100) verdict.examples[kind].push(JSON.parse(key) as string[]);
  };
  for (const [key, hash] of source) {
    const other = target.get(key);
    if (other === undefined) note('missing', key);
    else if (other !== hash) note('changed', key);
  }
  for (const key of target.keys()) if (!source.has(key)) note('extra', key);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function verifyTable(options: VerifyTablesOptions, table: TableRef, progress: Progress): Promise<TableVerdict> {
  const { from, to } = options;
  const verdict: TableVerdict = {
    table: tableName(table),
    rows: { source: 0, target: 0 },
    chunks: 0,
    differingChunks: 0,
    missing: 0,
    extra: 0,
    changed: 0,
    examples: { missing: [], extra: [], changed: [] },
  };
  const [columns, targetColumns, pk] = await Promise.all([
    listColumns(from, table),
    listColumns(to, table).catch(() => []),
    primaryKey(from, table),
  ]);
  if (targetColumns.length === 0) return { ...verdict, problem: 'missing at the target (create the schema there before replication)' };
  const names = (cs: Column[]) => cs.map((c) => c.name).join(',');
  if (names(columns) !== names(targetColumns))
    return { ...verdict, problem: `columns differ: ${names(columns)} vs ${names(targetColumns)}` };
  const q = new RangeQueries(table, pk, columns);
  if (pk.length === 0)
    verdict.problem = 'no primary key: compared as one range (logical replication of updates and deletes needs a key too)';
  const ranges: [Key | undefined, Key | undefined][] = [];
  for (let after: Key | undefined, first = true; first || after; first = false) {
    const upTo = pk.length === 0 ? undefined : await boundary(from, q, after, options.chunkRows ?? 50_000);
    ranges.push([after, upTo]);
    after = upTo;
  }
  verdict.chunks = ranges.length;
  let next = 0;
  const worker = async () => {
    while (next < ranges.length && !options.signal?.aborted) {
      const [after, upTo] = ranges[next++] as [Key | undefined, Key | undefined];
      let sums = await Promise.all([rangeSum(from, q, after, upTo), rangeSum(to, q, after, upTo)]);
      for (let again = options.recheck ?? 2; again > 0 && (sums[0].n !== sums[1].n || sums[0].h !== sums[1].h); again--) {
        await pause(1000);
        sums = await Promise.all([rangeSum(from, q, after, upTo), rangeSum(to, q, after, upTo)]);
      }
      verdict.rows.source += sums[0].n;
      verdict.rows.target += sums[1].n;
      if (sums[0].n !== sums[1].n || sums[0].h !== sums[1].h) {
        verdict.differingChunks++;
        if (pk.length > 0) await describeRange(verdict, from, to, q, after, upTo);
      }
      progress.tick(sums[0].n, tableName(table));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  return verdict;
}

const differs = (v: TableVerdict) => v.differingChunks > 0 || (v.problem !== undefined && v.problem.startsWith('no primary key') === false);

/**
 * Compares every table of `schemas` at both databases: row counts and a checksum per range of the
 * primary key, computed by each server (`bit_xor(hashtextextended(row::text))` over the columns by
 * name, with the same text settings), so only numbers cross the wire. A differing range is checked
 * again (replication may be catching up), then listed row by row. The JSON report
 * (`verify-tables.json` in the state folder) holds every difference.
 */
export async function verifyTables(options: VerifyTablesOptions): Promise<VerifyTablesResult> {
  const progress = new Progress({ label: 'verify tables', sink: options.progress, total: undefined });
  const tables = await listTables(options.from, options.schemas);
  const verdicts: TableVerdict[] = [];
  for (const table of tables) {
    if (options.signal?.aborted) break;
    verdicts.push(await verifyTable(options, table, progress));
  }
  const done = !options.signal?.aborted;
  progress.finish(done ? '' : ' — stopped; run again');
  const report = join(options.stateDir, 'verify-tables.json');
  const differing = verdicts.filter(differs).length;
  await mkdir(options.stateDir, { recursive: true });
  await writeFile(report, `${JSON.stringify({ at: new Date().toISOString(), done, differing, tables: verdicts }, null, 2)}\n`);
  return { tables: verdicts, differing, done, report };
}
