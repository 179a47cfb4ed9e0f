import type { OperationEvent, SwitchyardEvent } from '@switchyard/core';
import type { CountersSnapshot } from '@switchyard/otel/counters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, saveProfile, signIn } from './support/http.js';
import { startTestApp, type TestApp } from './support/server.js';

describe('community-app GET /metrics', () => {
  let app: TestApp;
  const events: SwitchyardEvent[] = [];

  beforeAll(async () => {
    app = await startTestApp({}, { onEvent: (event) => events.push(event) });
  });
  afterAll(() => app?.close());

  async function metrics(): Promise<CountersSnapshot> {
    const res = await call(app.url, '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return (await res.json()) as CountersSnapshot;
  }

  it('counts the port calls a few requests made, per port, operation and provider, as the hook saw them', async () => {
    const alice = await signIn(app.url, app.mailbox, 'alice@example.com');
    await signIn(app.url, app.mailbox, 'bob@example.com');
    await call(app.url, '/auth/sign-in', { json: { email: 'carol@example.com' } });
    const code = app.mailbox.last('carol@example.com')?.code === '000000' ? '111111' : '000000';
    expect((await call(app.url, '/auth/verify', { json: { email: 'carol@example.com', code } })).status).toBe(401);
    await saveProfile(app.url, alice, { displayName: 'Alice', hobbies: ['chess'], place: 'Lyon', lat: 45.76, lng: 4.84 });

    const snapshot = await metrics();
    const idle = { divergences: 0, shadowFailures: 0 };
    expect(snapshot.ports.auth?.operations.sendSignInEmail).toEqual({
      calls: 3,
      errors: 0,
      ...idle,
      providers: { local: { calls: 3, errors: 0 } },
    });
    expect(snapshot.ports.auth?.operations.verifySignIn).toEqual({
      calls: 3,
      errors: 1,
      ...idle,
      providers: { local: { calls: 3, errors: 1 } },
    });
    // Every count is what the app's own hook received (no dual-run here: nothing diverges).
    const operations = events.filter((e): e is OperationEvent => e.type === 'operation');
    for (const [port, counters] of Object.entries(snapshot.ports)) {
      for (const [operation, found] of Object.entries(counters.operations)) {
        const seen = operations.filter((e) => e.port === port && e.operation === operation);
        expect(found, `${port} ${operation}`).toEqual({
          calls: seen.length,
          errors: seen.filter((e) => e.error).length,
          ...idle,
          providers: { local: { calls: seen.length, errors: seen.filter((e) => e.error).length } },
        });
      }
    }
    // The profile save: one session check, one transaction as the member.
    expect(snapshot.ports.auth?.operations.verifyAccessToken).toMatchObject({ calls: 1, errors: 0 });
    expect(snapshot.ports.db?.operations.asUser).toMatchObject({ calls: 1, errors: 0 });
    expect(snapshot.keysets).toEqual({});

    // Later requests move the counters; the snapshot served before does not change.
    await call(app.url, '/auth/sign-in', { json: { email: 'dan@example.com' } });
    expect((await metrics()).ports.auth?.operations.sendSignInEmail?.calls).toBe(4);
    expect(snapshot.ports.auth?.operations.sendSignInEmail?.calls).toBe(3);
    expect(app.errors).toEqual([]);
  });
});
