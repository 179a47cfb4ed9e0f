import { type DbPort, type SqlFragment, sql } from '@switchyard/core';
import { withRetries } from '../retry.js';
import { databaseName } from './catalog.js';
import { REPLICATION, slotLag, subscriptionState } from './replication.js';

/** Runs `statement` in a read-write transaction: once frozen, every new session (this command's too) starts read-only. */
async function asWriter(db: DbPort, statement: SqlFragment): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(sql`set transaction read write`);
    await tx.query(statement);
  });
}

/** True when the database refuses the app's writes (`default_transaction_read_only` set on it by `freeze`). */
export async function isFrozen(db: DbPort): Promise<boolean> {
  const row = await db.maybeOne(sql`
    select 1 from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase
    where d.datname = current_database() and s.setrole = 0 and 'default_transaction_read_only=on' = any(s.setconfig)`);
  return row !== null;
}

/**
 * Makes the old primary refuse the app's writes before the switch: every new session of the
 * database starts read-only, and the sessions already open (pooled connections of the running app)
 * are ended so their next connection is read-only too. An app write then fails with SQLSTATE
 * 25006, which the DbPort reports as a retryable UNAVAILABLE; repair journal rows fall back to the
 * other database. Replication is untouched: walsenders are not ended, and the apply worker of a
 * subscription at this database still writes (it does not go through the read-only check; the
 * drill proves it on a real cluster). Returns the number of sessions ended.
 */
export async function freeze(db: DbPort): Promise<{ ended: number }> {
  const name = await databaseName(db);
  await asWriter(db, sql`alter database ${sql.ident(name)} set default_transaction_read_only = on`);
  const { rows } = await db.query<{ ended: boolean }>(sql`
    select pg_terminate_backend(pid) as ended from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`);
  return { ended: rows.filter((r) => r.ended).length };
}

/** Lets the database take writes again (a rollback of the switch). */
export async function unfreeze(db: DbPort): Promise<void> {
  const name = await databaseName(db);
  await asWriter(db, sql`alter database ${sql.ident(name)} reset default_transaction_read_only`);
}

export interface CatchUp {
  /** WAL bytes the subscriber had not confirmed at the last look. */
  lagBytes: number;
  /** Tables still copying their initial data. */
  syncing: string[];
  caughtUp: boolean;
  waitedMs: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the subscriber has confirmed every WAL byte the publisher had written when the wait
 * began, and every table finished its initial copy (run after `freeze`: nothing new comes then).
 */
export async function catchUp(options: {
  publisher: DbPort;
  subscriber: DbPort;
  name?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}): Promise<CatchUp> {
  const name = options.name ?? REPLICATION.forward;
  const started = Date.now();
  const { lsn } = await withRetries(() => options.publisher.one<{ lsn: string }>(sql`select pg_current_wal_lsn()::text as lsn`));
  for (;;) {
    // Retried: freeze has just ended the sessions this command had pooled too.
    const [slot, sub, behind] = await withRetries(() =>
      Promise.all([
        slotLag(options.publisher, name),
        subscriptionState(options.subscriber, name),
        options.publisher.maybeOne<{ lag: string }>(sql`
        select pg_wal_lsn_diff(${lsn}::pg_lsn, confirmed_flush_lsn)::text as lag from pg_replication_slots where slot_name = ${name}`),
      ]),
    );
    const lagBytes = Math.max(Number(behind?.lag ?? Number.NaN), 0);
    const caughtUp = slot !== null && sub.exists && sub.syncing.length === 0 && behind !== null && Number(behind.lag) <= 0;
    const waitedMs = Date.now() - started;
    if (caughtUp || waitedMs > (options.timeoutMs ?? 120_000) || options.signal?.aborted) {
      return { lagBytes: slot === null ? Number.NaN : lagBytes, syncing: sub.syncing, caughtUp, waitedMs };
    }
    await pause(250);
  }
}
