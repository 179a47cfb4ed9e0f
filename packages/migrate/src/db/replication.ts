import { type DbPort, sql } from '@switchyard/core';
import { listTables, type TableRef, tableName } from './catalog.js';

/** The names the command gives its publications, subscriptions and slots (one per direction). */
export const REPLICATION = {
  publication: 'switchyard_migrate',
  forward: 'switchyard_migrate',
  reverse: 'switchyard_migrate_reverse',
} as const;

/** The repair journal's table: each database keeps its own rows, so it must never be published. */
export const JOURNAL_TABLE: TableRef = { schema: 'switchyard', name: 'repair_journal' };

export interface PublicationCoverage {
  exists: boolean;
  /** App tables the publication does not carry (their rows never reach the other side). */
  missing: string[];
  /** Publications that carry the repair journal (FOR ALL TABLES does): replicated, its entries clash or come back. */
  journalPublishedBy: string[];
}

export async function publicationCoverage(
  db: DbPort,
  schemas: readonly string[],
  publication: string = REPLICATION.publication,
): Promise<PublicationCoverage> {
  const tables = await listTables(db, schemas);
  const exists = (await db.maybeOne(sql`select 1 from pg_publication where pubname = ${publication}`)) !== null;
  const { rows } = await db.query<{ schema: string; name: string }>(
    sql`select schemaname as schema, tablename as name from pg_publication_tables where pubname = ${publication}`,
  );
  const published = new Set(rows.map(tableName));
  const { rows: journal } = await db.query<{ pubname: string }>(sql`
    select pubname from pg_publication_tables where schemaname = ${JOURNAL_TABLE.schema} and tablename = ${JOURNAL_TABLE.name}
    union select pubname from pg_publication where puballtables`);
  return { exists, missing: tables.map(tableName).filter((t) => !published.has(t)), journalPublishedBy: journal.map((r) => r.pubname) };
}

export interface SubscriptionState {
  exists: boolean;
  enabled: boolean;
  /** Tables not yet in the `r` (ready) state: still copying their initial data or catching up. */
  syncing: string[];
  /** The apply worker is running (pg_stat_subscription has its pid). */
  running: boolean;
}

export async function subscriptionState(db: DbPort, name: string): Promise<SubscriptionState> {
  const sub = await db.maybeOne<{ enabled: boolean; running: boolean }>(sql`
    select s.subenabled as enabled, exists (select 1 from pg_stat_subscription st where st.subid = s.oid and st.pid is not null and st.relid is null) as running
    from pg_subscription s join pg_database d on d.oid = s.subdbid
    where s.subname = ${name} and d.datname = current_database()`);
  if (!sub) return { exists: false, enabled: false, syncing: [], running: false };
  const { rows } = await db.query<{ name: string }>(sql`
    select r.srrelid::regclass::text as name from pg_subscription_rel r join pg_subscription s on s.oid = r.srsubid
    where s.subname = ${name} and r.srsubstate <> 'r'`);
  return { exists: true, enabled: sub.enabled, running: sub.running, syncing: rows.map((r) => r.name) };
}

/** Bytes of WAL the subscriber of `slot` has not confirmed yet, or null when there is no such slot. */
export async function slotLag(publisher: DbPort, slot: string): Promise<{ lagBytes: number; active: boolean } | null> {
  const row = await publisher.maybeOne<{ lag: string; active: boolean }>(sql`
    select pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::text as lag, active
    from pg_replication_slots where slot_name = ${slot} and database = current_database()`);
  return row ? { lagBytes: Math.max(Number(row.lag), 0), active: row.active } : null;
}

/** Both directions at once: forward from `from` to `to`, and reverse (after the switch) from `to` back to `from`. */
export async function replicationState(from: DbPort, to: DbPort, schemas: readonly string[]) {
  const [publication, reversePublication, subscription, reverseSubscription, lag, reverseLag] = await Promise.all([
    publicationCoverage(from, schemas),
    publicationCoverage(to, schemas),
    subscriptionState(to, REPLICATION.forward),
    subscriptionState(from, REPLICATION.reverse),
    slotLag(from, REPLICATION.forward),
    slotLag(to, REPLICATION.reverse),
  ]);
  const lagBytes = lag?.lagBytes ?? null;
  const reverseLagBytes = reverseLag?.lagBytes ?? null;
  return { publication, reversePublication, subscription, reverseSubscription, lagBytes, reverseLagBytes };
}

/**
 * Creates the publication of the app's tables (see `listTables`: the journal's own schema and
 * extension tables stay out), or adds the tables created since; true when it changed anything.
 * A table list rather than FOR TABLES IN SCHEMA, which would carry extension tables too.
 */
export async function ensurePublication(db: DbPort, schemas: readonly string[]): Promise<boolean> {
  const publication = REPLICATION.publication;
  const tables = await listTables(db, schemas);
  const list = (refs: TableRef[]) => sql.join(refs.map((t) => sql`${sql.ident(t.schema, t.name)}`));
  if (!(await db.maybeOne(sql`select 1 from pg_publication where pubname = ${publication}`))) {
    await db.query(sql`create publication ${sql.ident(publication)}${tables.length > 0 ? sql` for table ${list(tables)}` : sql.empty}`);
    return true;
  }
  const { missing } = await publicationCoverage(db, schemas, publication);
  const added = tables.filter((t) => missing.includes(tableName(t)));
  if (added.length > 0) await db.query(sql`alter publication ${sql.ident(publication)} add table ${list(added)}`);
  return added.length > 0;
}

/** Makes an existing subscription pick up tables added to its publication (their rows are copied). */
export async function refreshSubscription(subscriber: DbPort, name: string): Promise<void> {
  await subscriber.query(sql`alter subscription ${sql.ident(name)} refresh publication`);
}

/**
 * Subscribes `subscriber` to the publication of `publisher`. The slot is made first with a plain
 * function call, so the subscription can be created with `create_slot = false` in one statement
 * that takes the connection string as a value (never spliced into SQL text).
 */
export async function ensureSubscription(options: {
  subscriber: DbPort;
  publisher: DbPort;
  name: string;
  conninfo: string;
  copyData: boolean;
  publication?: string;
}): Promise<boolean> {
  const { subscriber, publisher, name } = options;
  if ((await subscriptionState(subscriber, name)).exists) return false;
  const slot = await publisher.maybeOne(sql`select 1 from pg_replication_slots where slot_name = ${name}`);
  if (!slot) await publisher.query(sql`select pg_create_logical_replication_slot(${name}, 'pgoutput')`);
  await subscriber.transaction(async (tx) => {
    // The subscriber may be the frozen old primary (reverse replication): this session writes anyway.
    await tx.query(sql`set transaction read write`);
    await tx.query(
      sql`create function pg_temp.switchyard_execute(statement text) returns void language plpgsql as $$ begin execute statement; end $$`,
    );
    await tx.query(sql`select pg_temp.switchyard_execute(format(
      'create subscription %I connection %L publication %I with (create_slot = false, slot_name = %L, copy_data = %s)',
      ${name}::text, ${options.conninfo}::text, ${options.publication ?? REPLICATION.publication}::text, ${name}::text, ${options.copyData ? 'true' : 'false'}::text))`);
  });
  return true;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Drops the subscription and its slot at the publisher (if reachable); nothing when it does not exist. */
export async function dropSubscription(subscriber: DbPort, publisher: DbPort | undefined, name: string): Promise<boolean> {
  const existed = (await subscriptionState(subscriber, name)).exists;
  if (existed) {
    const sub = sql.ident(name);
    // One transaction that may write even at a frozen database; without a slot the drop may run inside it.
    await subscriber.transaction(async (tx) => {
      await tx.query(sql`set transaction read write`);
      await tx.query(sql`alter subscription ${sub} disable`);
      await tx.query(sql`alter subscription ${sub} set (slot_name = none)`);
      await tx.query(sql`drop subscription ${sub}`);
    });
  }
  if (publisher) {
    // The walsender leaves a moment after the subscription is disabled; until then the slot is active.
    for (let attempt = 0; attempt < 50; attempt++) {
      const slot = await publisher.maybeOne<{ active: boolean }>(sql`select active from pg_replication_slots where slot_name = ${name}`);
      if (!slot) break;
      if (!slot.active) {
        await publisher.query(sql`select pg_drop_replication_slot(${name})`);
        break;
      }
      await pause(200);
    }
  }
  return existed;
}
