import { sql } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, call, saveProfile, signIn } from './support/http.js';
import { startTestApp, type TestApp } from './support/server.js';

interface Member {
  displayName: string;
  sharedHobbies: string[];
  distanceKm: number;
}

describe('community-app profiles and members nearby', () => {
  let app: TestApp;
  const people: Record<string, Client> = {};

  async function members(client: Client, query = ''): Promise<Member[]> {
    const res = await call(app.url, `/members${query}`, { cookie: client.cookie });
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as { members: Member[] }).members;
  }

  beforeAll(async () => {
    app = await startTestApp();
    for (const name of ['alice', 'bob', 'cy', 'dee', 'eli', 'fin'])
      people[name] = await signIn(app.url, app.mailbox, `${name}@example.com`);
  }, 180_000);
  afterAll(() => app?.close());

  it('saves a profile with catalogue hobbies and an approximate place, and reads it back', async () => {
    const alice = people.alice!;
    const res = await call(app.url, '/me', {
      method: 'PUT',
      cookie: alice.cookie,
      json: {
        displayName: ' Alice ',
        bio: 'Chess on Sundays',
        hobbies: ['hiking', 'chess', 'chess'],
        location: { place: 'Lyon', lat: 45.76412, lng: 4.83566 },
      },
    });
    expect(res.status).toBe(200);
    expect(await (await call(app.url, '/me', { cookie: alice.cookie })).json()).toEqual({
      user: { id: alice.id, email: alice.email, provider: 'local' },
      profile: {
        displayName: 'Alice',
        bio: 'Chess on Sundays',
        hobbies: ['chess', 'hiking'],
        // Two decimals: about a kilometre. The exact position never reaches the database.
        location: { place: 'Lyon', lat: 45.76, lng: 4.84 },
        photo: null,
      },
    });
    const catalogue = (await (await call(app.url, '/hobbies', { cookie: alice.cookie })).json()) as { hobbies: { slug: string }[] };
    expect(catalogue.hobbies).toHaveLength(24);
    expect(catalogue.hobbies.map((h) => h.slug)).toContain('board-games');
  });

  it('refuses what is not in the catalogue or out of range with 400, never a stack trace', async () => {
    const bob = people.bob!;
    const bad = [
      { displayName: 'Bob', hobbies: ['underwater basket weaving'] },
      { displayName: '', hobbies: [] },
      { displayName: 'Bob', location: { place: 'Nowhere', lat: 91, lng: 0 } },
      { displayName: 'Bob', hobbies: 'chess' },
      { displayName: 'x'.repeat(20_000) },
    ];
    for (const json of bad) {
      const res = await call(app.url, '/me', { method: 'PUT', cookie: bob.cookie, json });
      expect(res.status, JSON.stringify(json).slice(0, 80)).toBe(400);
      const text = await res.text();
      expect(text).toMatch(/INVALID_INPUT/);
      expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
    }
    const unknown = await call(app.url, '/me', { method: 'PUT', cookie: bob.cookie, json: bad[0] });
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('underwater basket weaving');
  });

  it('lists members near you who share hobbies: most shared first, then nearest', async () => {
    const { alice, bob, cy, dee, eli } = people as Record<string, Client>;
    await saveProfile(app.url, bob!, { displayName: 'Bob', hobbies: ['chess', 'hiking'], place: 'Villeurbanne', lat: 45.77, lng: 4.88 });
    await saveProfile(app.url, cy!, { displayName: 'Cy', hobbies: ['chess'], place: 'Lyon', lat: 45.75, lng: 4.85 });
    await saveProfile(app.url, dee!, { displayName: 'Dee', hobbies: ['chess', 'hiking'], place: 'Paris', lat: 48.86, lng: 2.35 });
    await saveProfile(app.url, eli!, { displayName: 'Eli', hobbies: ['cooking'], place: 'Lyon', lat: 45.76, lng: 4.84 });

    const near = await members(alice!);
    expect(near).toEqual([
      expect.objectContaining({ displayName: 'Bob', sharedHobbies: ['chess', 'hiking'], distanceKm: 3 }),
      expect.objectContaining({ displayName: 'Cy', sharedHobbies: ['chess'], distanceKm: 1 }),
    ]);
    const wide = await members(alice!, '?radius=500');
    expect(wide.map((m) => m.displayName)).toEqual(['Bob', 'Dee', 'Cy']);
    expect(wide.find((m) => m.displayName === 'Dee')?.distanceKm).toBeGreaterThan(380);
    expect((await call(app.url, '/members?radius=0', { cookie: alice!.cookie })).status).toBe(400);
  });

  it('asks a member without a place to set one first', async () => {
    const res = await call(app.url, '/members', { cookie: people.fin!.cookie });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'CONFLICT', message: expect.stringMatching(/place/) } });
  });

  it('lets members read each other’s profiles but write only their own (row-level security)', async () => {
    const { alice, bob } = people as Record<string, Client>;
    const { db } = app.server;
    const changed = await db.asUser({ id: bob!.id }, (tx) =>
      tx.query(sql`update profiles set display_name = 'Mallory' where id = ${alice!.id}`),
    );
    expect(changed.rowCount).toBe(0);
    const read = await db.asUser({ id: bob!.id }, (tx) =>
      tx.one<{ display_name: string }>(sql`select display_name from profiles where id = ${alice!.id}`),
    );
    expect(read.display_name).toBe('Alice');
  });

  it('logged no server errors', () => {
    expect(app.errors).toEqual([]);
  });
});
