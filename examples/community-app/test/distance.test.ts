import { randomUUID } from 'node:crypto';
import { sql } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceMethod } from '../src/db/migrate.js';
import { addMembers, type MigratedDb, pgliteDb, postgisDb } from './support/databases.js';

/** Great-circle distance on the mean Earth sphere: the reference both SQL paths are held to. */
function haversineKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}

const lyon = { id: randomUUID(), name: 'Lyon', lat: 45.76, lng: 4.84, hobbies: ['chess'] };
const places = [
  lyon,
  { id: randomUUID(), name: 'Villeurbanne', lat: 45.77, lng: 4.88, hobbies: ['chess'] },
  { id: randomUUID(), name: 'Grenoble', lat: 45.19, lng: 5.72, hobbies: ['chess'] },
  { id: randomUUID(), name: 'Paris', lat: 48.86, lng: 2.35, hobbies: ['chess'] },
  // 49.8 km due north: inside a 50 km radius, right at the edge of the latitude band the fallback uses.
  { id: randomUUID(), name: 'North edge', lat: 45.76 + 49.8 / 111.2, lng: 4.84, hobbies: ['chess'] },
  // Same latitude, 0.9 degree east (~70 km): inside the band, outside the radius.
  { id: randomUUID(), name: 'East', lat: 45.76, lng: 5.74, hobbies: ['chess'] },
];

async function nearby(database: MigratedDb, radiusKm: number) {
  const { rows } = await database.db.query<{ id: string; distance_km: number }>(
    sql`select id, distance_km from nearby_profiles(${lyon.lat}, ${lyon.lng}, ${radiusKm}) order by distance_km`,
  );
  return rows.map((row) => ({ name: places.find((p) => p.id === row.id)?.name, km: row.distance_km }));
}

describe.each([
  ['PGlite (haversine in SQL)', pgliteDb, 'haversine', 0.0001],
  ['PostgreSQL with PostGIS (ST_DWithin on geography)', postgisDb, 'postgis', 0.005],
] as const)('nearby_profiles on %s', (_name, open, method, tolerance) => {
  let database: MigratedDb;

  beforeAll(async () => {
    database = await open();
    await addMembers(database.db, places);
  });
  afterAll(() => database?.drop());

  it(`is computed by ${method}`, async () => {
    expect(await distanceMethod(database.db)).toBe(method);
  });

  it('finds the members within the radius, nearest first, with distances on the sphere', async () => {
    const found = await nearby(database, 50);
    expect(found.map((f) => f.name)).toEqual(['Lyon', 'Villeurbanne', 'North edge']);
    for (const { name, km } of found) {
      const expected = haversineKm(lyon, places.find((p) => p.name === name) ?? lyon);
      // PostGIS measures on the WGS 84 spheroid, which differs from the sphere by up to 0.5 %.
      expect(Math.abs(km - expected)).toBeLessThanOrEqual(Math.max(0.01, expected * tolerance));
    }
  });

  it('widens with the radius and leaves out what is farther', async () => {
    expect((await nearby(database, 120)).map((f) => f.name)).toEqual(['Lyon', 'Villeurbanne', 'North edge', 'East', 'Grenoble']);
    expect((await nearby(database, 1)).map((f) => f.name)).toEqual(['Lyon']);
  });

  it('ignores members without a place', async () => {
    const id = randomUUID();
    await database.db.query(sql`insert into profiles (id, display_name, hobbies) values (${id}, 'Nowhere', '{chess}')`);
    expect((await nearby(database, 20000)).map((f) => f.name)).not.toContain(undefined);
  });
});
