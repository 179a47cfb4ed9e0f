import { type DbClient, type SqlIdentifier, sql } from '@switchyard/core';

/** A table of the migrated schemas. */
export interface TableRef {
  schema: string;
  name: string;
}

export const tableName = (t: TableRef) => `${t.schema}.${t.name}`;
export const tableIdent = (t: TableRef): SqlIdentifier => sql.ident(t.schema, t.name);
const regclass = (t: TableRef) => sql`(quote_ident(${t.schema}) || '.' || quote_ident(${t.name}))::regclass`;

/**
 * The app's tables in `schemas`: ordinary and partitioned (partitions are covered by their parent),
 * without tables that belong to an extension (PostGIS keeps `spatial_ref_sys` in `public`; `create
 * extension` fills it at both sides, so replicating it would stop the subscription on a duplicate key).
 */
export async function listTables(db: DbClient, schemas: readonly string[]): Promise<TableRef[]> {
  const { rows } = await db.query<TableRef>(sql`
    select n.nspname as schema, c.relname as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and not c.relispartition and n.nspname = any(${[...schemas]}::text[])
      and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
    order by 1, 2`);
  return rows;
}

/** A column with the type to cast its text form back to (`"pg_catalog"."int8"`). */
export interface Column {
  name: string;
  typeSchema: string;
  typeName: string;
}

/** The table's columns, by name. */
export async function listColumns(db: DbClient, table: TableRef): Promise<Column[]> {
  const { rows } = await db.query<Column>(sql`
    select a.attname as name, tn.nspname as "typeSchema", t.typname as "typeName"
    from pg_attribute a join pg_type t on t.oid = a.atttypid join pg_namespace tn on tn.oid = t.typnamespace
    where a.attrelid = ${regclass(table)} and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    order by a.attname`);
  return rows;
}

/** The primary key's columns in key order; empty when the table has none. */
export async function primaryKey(db: DbClient, table: TableRef): Promise<Column[]> {
  const { rows } = await db.query<Column>(sql`
    select a.attname as name, tn.nspname as "typeSchema", t.typname as "typeName"
    from pg_index i
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    join pg_type t on t.oid = a.atttypid join pg_namespace tn on tn.oid = t.typnamespace
    where i.indrelid = ${regclass(table)} and i.indisprimary
    order by array_position(i.indkey, a.attnum)`);
  return rows;
}

/** A sequence and its last value (null before its first use). */
export interface SequenceState {
  schema: string;
  name: string;
  lastValue: string | null;
}

export async function listSequences(db: DbClient, schemas: readonly string[]): Promise<SequenceState[]> {
  const { rows } = await db.query<{ schema: string; name: string; last_value: string | null }>(sql`
    select schemaname as schema, sequencename as name, last_value::text as last_value
    from pg_sequences where schemaname = any(${[...schemas]}::text[]) order by 1, 2`);
  return rows.map((r) => ({ schema: r.schema, name: r.name, lastValue: r.last_value }));
}

/** Installed extensions by name → version. */
export async function installedExtensions(db: DbClient): Promise<Map<string, string>> {
  const { rows } = await db.query<{ name: string; version: string }>(sql`select extname as name, extversion as version from pg_extension`);
  return new Map(rows.map((r) => [r.name, r.version]));
}

/** Extensions the server could install (`create extension`). */
export async function availableExtensions(db: DbClient): Promise<Set<string>> {
  const { rows } = await db.query<{ name: string }>(sql`select name from pg_available_extensions`);
  return new Set(rows.map((r) => r.name));
}

/** The connected database's name. */
export async function databaseName(db: DbClient): Promise<string> {
  return (await db.one<{ name: string }>(sql`select current_database() as name`)).name;
}
