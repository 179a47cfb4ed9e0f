import type { DbPort } from '../db/port.js';
import { type SqlFragment, type SqlIdentifier, sql } from '../db/sql.js';
import type { PortName } from '../errors.js';
import type { RepairEntry, RepairJournal, RepairRecord } from './journal.js';

interface JournalRow {
  port: PortName;
  key: string;
  operation: string;
  reason: string;
  recorded_at: Date | string;
  attempts: number;
  version: number | string;
  keep_until: Date | string | null;
  primary_side: string;
}

function toEntry(row: JournalRow): RepairEntry {
  return {
    port: row.port,
    key: row.key,
    operation: row.operation,
    reason: row.reason,
    recordedAt: new Date(row.recorded_at),
    attempts: row.attempts,
    version: Number(row.version),
    keepUntil: row.keep_until === null ? undefined : new Date(row.keep_until),
    primary: row.primary_side,
  };
}

/** A DualDb, seen without importing it: the journal reads both of its databases. */
function sidesOf(db: DbPort): DbPort[] {
  const dual = db as DbPort & { primary?: DbPort; shadow?: DbPort };
  return dual.primary && dual.shadow ? [dual.primary, dual.shadow] : [db];
}

/** One database's journal table, created on first use. */
class JournalTable {
  private ready: Promise<void> | undefined;

  constructor(
    readonly db: DbPort,
    readonly identifier: SqlIdentifier,
    private readonly schema: SqlIdentifier | undefined,
  ) {}

  ensure(): Promise<void> {
    this.ready ??= this.create().then(
      () => undefined,
      (error: unknown) => {
        // Let the next call try again rather than caching the failure forever.
        this.ready = undefined;
        throw error;
      },
    );
    return this.ready;
  }

  private async create(): Promise<void> {
    // An existing table is used as is: DDL, even `if not exists`, fails in a database frozen for the
    // switch (read-only), and the previous phase's entries there must still be read.
    const found = await this.db.maybeOne<{ t: string | null }>(sql`select to_regclass(${this.identifier.quoted}) as t`);
    if (found?.t) return;
    if (this.schema) await this.db.query(sql`create schema if not exists ${this.schema}`);
    await this.db.query(sql`
        create table if not exists ${this.identifier} (
          port text not null,
          key text not null,
          operation text not null,
          reason text not null,
          recorded_at timestamptz not null default now(),
          attempts integer not null default 0,
          version bigint not null default 1,
          keep_until timestamptz,
          primary_side text not null,
          primary key (port, key)
        )`);
  }
}

/**
 * A repair journal in a table of the app's database, so pending repairs survive restarts and are
 * shared by every instance. Entries are written to the primary database; when `db` is a DualDb
 * (both databases during their own migration) they are read from both, so rows an instance of the
 * previous phase wrote to the old primary during a rolling redeploy are still repaired. Keep the
 * table out of logical replication (each database holds its own rows; `switchyard check` says so):
 * replicated, an entry resolved at one side would come back, or stall the subscription on a key clash.
 */
export class DbJournal implements RepairJournal {
  private readonly tables: JournalTable[];
  /** Which table each entry handed out by `pending` came from. */
  private readonly origin = new WeakMap<RepairEntry, JournalTable>();

  /**
   * `table` defaults to `switchyard.repair_journal`: a schema of its own, so a publication of the
   * app's schemas (`for tables in schema public`) leaves it out. Give one name for a table in the
   * search path.
   */
  constructor(db: DbPort, table: readonly string[] = ['switchyard', 'repair_journal']) {
    const identifier = sql.ident(...table);
    const schema = table.length > 1 ? sql.ident(table[0] as string) : undefined;
    this.tables = sidesOf(db).map((side) => new JournalTable(side, identifier, schema));
  }

  /** Creates the table in every database the journal uses (the runbook runs it before replication is set up). */
  async install(): Promise<void> {
    const [own, ...others] = this.tables;
    await Promise.all([own?.ensure(), ...others.map((table) => table.ensure().catch(() => undefined))]);
  }

  private get primary(): JournalTable {
    return this.tables[0] as JournalTable;
  }

  /**
   * Written to the primary database; if it refuses (down, or made read-only for the switch while
   * this instance of the previous phase still runs), to the other one, where `pending` finds it too.
   */
  async record(entry: RepairRecord): Promise<void> {
    let first: unknown;
    for (const table of this.tables) {
      try {
        await table.ensure();
        await table.db.query(sql`
          insert into ${this.identifier} as j (port, key, operation, reason, keep_until, primary_side)
          values (${entry.port}, ${entry.key}, ${entry.operation}, ${entry.reason}, ${entry.keepUntil ?? null}, ${entry.primary})
          on conflict (port, key) do update set
            operation = excluded.operation,
            reason = excluded.reason,
            primary_side = excluded.primary_side,
            keep_until = greatest(j.keep_until, excluded.keep_until),
            recorded_at = now(),
            version = j.version + 1`);
        return;
      } catch (error) {
        first ??= error;
      }
    }
    throw first;
  }

  /** Oldest first across both databases; the old primary's rows are skipped while it cannot be read. */
  async pending(port: PortName, limit: number): Promise<RepairEntry[]> {
    const read = async (table: JournalTable, required: boolean): Promise<RepairEntry[]> => {
      try {
        await table.ensure();
        const { rows } = await table.db.query<JournalRow>(
          sql`select * from ${this.identifier} where port = ${port} order by recorded_at, key limit ${limit}`,
        );
        return rows.map((row) => {
          const entry = toEntry(row);
          this.origin.set(entry, table);
          return entry;
        });
      } catch (error) {
        if (required) throw error;
        return [];
      }
    };
    const [own, ...others] = this.tables;
    const lists = await Promise.all([read(own as JournalTable, true), ...others.map((table) => read(table, false))]);
    return lists
      .flat()
      .sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, limit);
  }

  async resolve(entry: RepairEntry): Promise<void> {
    await this.bookkeeping(
      entry,
      sql`delete from ${this.identifier} where port = ${entry.port} and key = ${entry.key} and version = ${entry.version}`,
    );
  }

  async failed(entry: RepairEntry, reason: string): Promise<void> {
    await this.bookkeeping(
      entry,
      sql`update ${this.identifier} set attempts = attempts + 1, reason = ${reason} where port = ${entry.port} and key = ${entry.key}`,
    );
  }

  /**
   * Changes an entry where it was read. The old primary may be frozen for the switch (new sessions
   * read-only): the journal is that database's own bookkeeping, never replicated, so it is written
   * anyway (a hot standby still refuses, as it must).
   */
  private async bookkeeping(entry: RepairEntry, statement: SqlFragment): Promise<void> {
    const { db } = this.tableOf(entry);
    await db.transaction(async (tx) => {
      await tx.query(sql`set transaction read write`);
      await tx.query(statement);
    });
  }

  private tableOf(entry: RepairEntry): JournalTable {
    return this.origin.get(entry) ?? this.primary;
  }

  private get identifier(): SqlIdentifier {
    return this.primary.identifier;
  }
}
