import type { DbPort } from '../db/port.js';
import { type SqlIdentifier, sql } from '../db/sql.js';
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
  /** Null in rows recorded before the column existed. */
  primary_side: string | null;
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
    primary: row.primary_side ?? undefined,
  };
}

/**
 * A repair journal in a table of a DbPort (usually the primary database), so pending repairs
 * survive restarts and are shared by every instance of the app. Creates its table on first use.
 */
export class DbJournal implements RepairJournal {
  private ready: Promise<void> | undefined;
  private readonly table: SqlIdentifier;

  /** `table` defaults to `switchyard_repair_journal`; give `schema.table` parts to place it elsewhere. */
  constructor(
    private readonly db: DbPort,
    table: readonly string[] = ['switchyard_repair_journal'],
  ) {
    this.table = sql.ident(...table);
  }

  private ensureTable(): Promise<void> {
    this.ready ??= this.createTable().then(
      () => undefined,
      (error: unknown) => {
        // Let the next call try again rather than caching the failure forever.
        this.ready = undefined;
        throw error;
      },
    );
    return this.ready;
  }

  private async createTable(): Promise<void> {
    await this.db.query(sql`
      create table if not exists ${this.table} (
        port text not null,
        key text not null,
        operation text not null,
        reason text not null,
        recorded_at timestamptz not null default now(),
        attempts integer not null default 0,
        version bigint not null default 1,
        keep_until timestamptz,
        primary key (port, key)
      )`);
    // Added after the first release: tables created earlier gain it, and their rows stay null.
    await this.db.query(sql`alter table ${this.table} add column if not exists primary_side text`);
  }

  async record(entry: RepairRecord): Promise<void> {
    await this.ensureTable();
    await this.db.query(sql`
      insert into ${this.table} as j (port, key, operation, reason, keep_until, primary_side)
      values (${entry.port}, ${entry.key}, ${entry.operation}, ${entry.reason}, ${entry.keepUntil ?? null}, ${entry.primary ?? null})
      on conflict (port, key) do update set
        operation = excluded.operation,
        reason = excluded.reason,
        primary_side = excluded.primary_side,
        keep_until = greatest(j.keep_until, excluded.keep_until),
        recorded_at = now(),
        version = j.version + 1`);
  }

  async pending(port: PortName, limit: number): Promise<RepairEntry[]> {
    await this.ensureTable();
    const { rows } = await this.db.query<JournalRow>(
      sql`select * from ${this.table} where port = ${port} order by recorded_at, key limit ${limit}`,
    );
    return rows.map(toEntry);
  }

  async resolve(entry: RepairEntry): Promise<void> {
    await this.ensureTable();
    await this.db.query(sql`delete from ${this.table} where port = ${entry.port} and key = ${entry.key} and version = ${entry.version}`);
  }

  async failed(entry: RepairEntry, reason: string): Promise<void> {
    await this.ensureTable();
    await this.db.query(
      sql`update ${this.table} set attempts = attempts + 1, reason = ${reason} where port = ${entry.port} and key = ${entry.key}`,
    );
  }
}
