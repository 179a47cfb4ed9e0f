import { sql } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeWeekMatches } from '../src/matching/compute-matches.js';
import { weekOf } from '../src/matching/week.js';
import { type ChatClient, openChat } from './support/chat-client.js';
import { type Client, call, saveProfile, signIn } from './support/http.js';
import { startTestApp, type TestApp } from './support/server.js';

interface Match {
  id: string;
  member: { displayName: string };
  sharedHobbies: string[];
  distanceKm: number;
  youAccepted: boolean;
  theyAccepted: boolean;
  conversationId: string | null;
}

describe('community-app weekly matches', () => {
  let app: TestApp;
  const people: Record<string, Client> = {};
  const sockets: ChatClient[] = [];
  const week = weekOf(new Date());

  async function matchesOf(client: Client): Promise<Match[]> {
    const res = await call(app.url, '/matches', { cookie: client.cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { week: string; matches: Match[] };
    expect(body.week).toBe(week);
    return body.matches;
  }

  async function matchRows() {
    const { rows } = await app.server.db.query(
      sql`select user_a, user_b, shared_hobbies, distance_km from matches where week = ${week}::date order by user_a, user_b`,
    );
    return rows;
  }

  beforeAll(async () => {
    app = await startTestApp();
    const profiles = [
      ['ann', 'Ann', ['chess', 'climbing', 'film'], 45.76, 4.84],
      ['ben', 'Ben', ['chess', 'climbing'], 45.77, 4.88],
      ['cat', 'Cat', ['film'], 45.75, 4.85],
      ['dan', 'Dan', ['chess', 'climbing', 'film'], 48.86, 2.35],
      ['eve', 'Eve', ['yoga'], 45.76, 4.84],
    ] as const;
    for (const [key, displayName, hobbies, lat, lng] of profiles) {
      people[key] = await signIn(app.url, app.mailbox, `${key}@example.com`);
      await saveProfile(app.url, people[key]!, { displayName, hobbies: [...hobbies], place: displayName, lat, lng });
    }
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await app?.close();
  });

  it('pairs members near each other who share hobbies, once per pair, and a second run changes nothing', async () => {
    expect(await matchesOf(people.ann!)).toEqual([]);
    const first = await computeWeekMatches(app.server.db, { week, pageSize: 2 });
    expect(first).toMatchObject({ week, alreadyDone: false, members: 5, pairsAdded: 2, pairs: 2 });
    const rows = await matchRows();

    const again = await computeWeekMatches(app.server.db, { week, pageSize: 2 });
    expect(again).toEqual({ week, alreadyDone: true, members: 5, pairsAdded: 0, pairs: 2 });
    expect(await matchRows()).toEqual(rows);

    const ann = await matchesOf(people.ann!);
    expect(ann.map((m) => [m.member.displayName, m.sharedHobbies, m.distanceKm])).toEqual([
      ['Ben', ['chess', 'climbing'], 3],
      ['Cat', ['film'], 1],
    ]);
    // Dan shares everything but lives in Paris; Eve shares nothing.
    expect(await matchesOf(people.dan!)).toEqual([]);
    expect(await matchesOf(people.eve!)).toEqual([]);
  });

  it('adds each pair once when two runs of another week race, whatever the page size', async () => {
    const other = '2020-01-06';
    const [a, b] = await Promise.all([
      computeWeekMatches(app.server.db, { week: other, pageSize: 1 }),
      computeWeekMatches(app.server.db, { week: other, pageSize: 200 }),
    ]);
    expect(a.pairsAdded + b.pairsAdded).toBe(2);
    const count = await app.server.db.one<{ n: number }>(sql`select count(*)::int as n from matches where week = ${other}::date`);
    expect(count.n).toBe(2);
  });

  it('opens a direct conversation once both accept, and tells the other member live', async () => {
    const ann = people.ann!;
    const ben = people.ben!;
    const benSocket = await openChat(app.url, ben);
    const annSocket = await openChat(app.url, ann);
    sockets.push(benSocket, annSocket);
    const match = (await matchesOf(ann)).find((m) => m.member.displayName === 'Ben')!;

    const first = await call(app.url, `/matches/${match.id}/accept`, { method: 'POST', cookie: ann.cookie });
    expect(await first.json()).toEqual({ matchId: match.id, conversationId: null, waitingForOther: true });
    expect(await benSocket.next((f) => f.type === 'notice')).toMatchObject({
      notice: { type: 'match-accepted', matchId: match.id, name: 'Ann' },
    });
    expect((await matchesOf(ben)).find((m) => m.id === match.id)).toMatchObject({ youAccepted: false, theyAccepted: true });

    const second = await call(app.url, `/matches/${match.id}/accept`, { method: 'POST', cookie: ben.cookie });
    const { conversationId } = (await second.json()) as { conversationId: string };
    expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await annSocket.next((f) => f.type === 'notice')).toMatchObject({
      notice: { type: 'conversation-opened', conversationId, name: 'Ben' },
    });
    expect((await matchesOf(ann)).find((m) => m.id === match.id)).toMatchObject({ conversationId, youAccepted: true, theyAccepted: true });

    expect(await annSocket.join(conversationId)).toMatchObject({ type: 'history', messages: [] });
    const eve = await openChat(app.url, people.eve!);
    sockets.push(eve);
    expect(await eve.join(conversationId)).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
    const listed = (await (await call(app.url, '/conversations', { cookie: ben.cookie })).json()) as {
      conversations: { id: string; title: string }[];
    };
    expect(listed.conversations.find((c) => c.id === conversationId)).toMatchObject({ kind: 'direct', title: 'Ann' });
  });

  it('opens one conversation when both accept at the same moment', async () => {
    const ann = people.ann!;
    const cat = people.cat!;
    const match = (await matchesOf(ann)).find((m) => m.member.displayName === 'Cat')!;
    const results = await Promise.all(
      [ann, cat].map(async (client) =>
        (await call(app.url, `/matches/${match.id}/accept`, { method: 'POST', cookie: client.cookie })).json(),
      ),
    );
    const opened = results.map((r) => (r as { conversationId: string | null }).conversationId).filter(Boolean);
    expect(opened).toHaveLength(1);
    const count = await app.server.db.one<{ n: number }>(sql`select count(*)::int as n from conversations where kind = 'direct'`);
    expect(count.n).toBe(2);
  });

  it('refuses to accept someone else’s match', async () => {
    const match = (await matchesOf(people.ann!))[0]!;
    const res = await call(app.url, `/matches/${match.id}/accept`, { method: 'POST', cookie: people.eve!.cookie });
    expect(res.status).toBe(404);
    expect((await call(app.url, '/matches/not-an-id/accept', { method: 'POST', cookie: people.eve!.cookie })).status).toBe(404);
  });

  it('logged no server errors', () => {
    expect(app.errors).toEqual([]);
  });
});
