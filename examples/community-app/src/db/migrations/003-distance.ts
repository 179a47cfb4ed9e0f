import { type DbClient, SwitchyardError, sql } from '@switchyard/core';
import type { Migration } from '../migrate.js';

/**
 * PostGIS where the database offers it (RDS, Supabase and Debian's PostgreSQL with
 * postgresql-15-postgis-3): the seed's stored functions use `ST_DWithin`/`ST_Distance` on
 * geography, which a GiST index serves. PGlite, the embedded default, has no PostGIS.
 */
async function tryPostgis(tx: DbClient): Promise<boolean> {
  const offered = await tx.one<{ offered: boolean }>(
    sql`select exists (select 1 from pg_available_extensions where name = 'postgis') as offered`,
  );
  if (!offered.offered) return false;
  try {
    // A savepoint: a role without CREATE on the database must not abort the whole migration.
    await tx.transaction((inner) => inner.query(sql`create extension if not exists postgis`));
    return true;
  } catch (error) {
    if (SwitchyardError.isInstance(error) && error.code !== 'UNAVAILABLE') return false;
    throw error;
  }
}

async function withPostgis(tx: DbClient): Promise<void> {
  await tx.query(sql`alter table profiles add column location geography(Point, 4326)
    generated always as (case when lat is null then null else ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography end) stored`);
  await tx.query(sql`create index profiles_location on profiles using gist (location)`);
  await tx.query(sql`create function nearby_profiles(origin_lat double precision, origin_lng double precision, radius_km double precision)
    returns table (id uuid, distance_km double precision) language sql stable as $$
      select p.id, ST_Distance(p.location, o.point) / 1000
      from profiles p, (select ST_SetSRID(ST_MakePoint(origin_lng, origin_lat), 4326)::geography as point) o
      where ST_DWithin(p.location, o.point, radius_km * 1000)
    $$`);
  await tx.query(sql`create function app_distance_method() returns text language sql immutable as $$ select 'postgis' $$`);
}

async function withHaversine(tx: DbClient): Promise<void> {
  await tx.query(sql`create index profiles_lat on profiles (lat)`);
  // 6371.0088 km: the mean Earth radius (IUGG). 110.5 km per degree of latitude, rounded down so
  // the latitude band, which the index serves, never cuts a member the formula would keep. DDL
  // takes no bound parameters, so the constants are written into the text.
  await tx.query(sql`create function nearby_profiles(origin_lat double precision, origin_lng double precision, radius_km double precision)
    returns table (id uuid, distance_km double precision) language sql stable as $$
      select p.id, d.km
      from profiles p
      cross join lateral (select 2 * 6371.0088 * asin(least(1, sqrt(
        sin(radians(p.lat - origin_lat) / 2) ^ 2
        + cos(radians(origin_lat)) * cos(radians(p.lat)) * sin(radians(p.lng - origin_lng) / 2) ^ 2))) as km) d
      where p.lat between origin_lat - radius_km / 110.5 and origin_lat + radius_km / 110.5
        and d.km <= radius_km
    $$`);
  await tx.query(sql`create function app_distance_method() returns text language sql immutable as $$ select 'haversine' $$`);
}

/**
 * `nearby_profiles(lat, lng, radius_km)`: the members within a radius and how far they are, with
 * one signature on every database, so the members page and the match job share one query. Which
 * body it gets is decided once, here; `app_distance_method()` says which.
 */
export const distance: Migration = {
  version: 3,
  name: 'distance',
  async up(tx) {
    if (await tryPostgis(tx)) await withPostgis(tx);
    else await withHaversine(tx);
  },
};
