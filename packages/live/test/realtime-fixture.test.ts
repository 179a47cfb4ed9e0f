import { describePubSubPort } from '@switchyard/contract-tests';
import type { Message } from '@switchyard/core';
import { FakeRealtime } from '@switchyard/test-peers/supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pubSubFixture } from '../src/fixtures.js';
import { planLiveRun } from '../src/plan.js';

// No Realtime peer runs here, so the supabase-realtime target's wiring (variables → adapter, the
// socket count its harness reports, close) is checked against the package's fake server.
let fake: FakeRealtime;
beforeAll(async () => {
  fake = await FakeRealtime.start();
});
afterAll(() => fake?.close());

function planFor(key: string) {
  const plan = planLiveRun({
    SWITCHYARD_LIVE_TARGETS: 'supabase-realtime',
    SWITCHYARD_LIVE_PREFIX: 'switchyard-test-',
    SWITCHYARD_LIVE_ALLOW: new URL(fake.url).host,
    SUPABASE_URL: fake.url,
    SUPABASE_SERVICE_ROLE_KEY: key,
  });
  const [target] = plan.targets;
  if (target?.port !== 'pubsub') throw new Error('planned no pub/sub target');
  return { target, namePrefix: plan.runPrefix };
}

// The whole contract through the live fixture, as `npm run test:live` would run it on a project.
describePubSubPort(
  'supabase-realtime live fixture on the fake server',
  () => {
    const { target, namePrefix } = planFor(fake.newKey());
    return pubSubFixture(target, namePrefix);
  },
  { namePrefix: 'switchyard-test-' },
);

describe('the supabase-realtime live fixture', () => {
  it('opens the adapter from the planned variables and counts the sockets each port holds', async () => {
    const key = fake.newKey();
    const { target, namePrefix } = planFor(key);
    const fixture = await pubSubFixture(target, namePrefix);
    const other = await fixture.harness.connect();
    const channel = `${namePrefix}ping`;
    let deliver!: (message: Message) => void;
    const received = new Promise<Message>((resolve) => {
      deliver = resolve;
    });
    await other.subscribe(channel, (message) => deliver(message));
    await fixture.port.publish(channel, { n: 1 });
    expect((await received).data).toEqual({ n: 1 });
    expect(await fixture.harness.openConnections(other)).toBe(1);
    await other.close();
    expect(await fixture.harness.openConnections(other)).toBe(0);
    await fixture.teardown?.();
    expect(fake.openSockets(key)).toBe(0);
  });
});
