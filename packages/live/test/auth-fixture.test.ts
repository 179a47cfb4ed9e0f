import { describeAuthAdmin } from '@switchyard/contract-tests';
import { type FakeGoTrue, startFakeGoTrue } from '@switchyard/test-peers/supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFixture } from '../src/fixtures.js';
import { planLiveRun } from '../src/plan.js';
import { sweep } from '../src/sweep.js';

// No GoTrue server runs here, so the supabase-auth target's wiring (variables → adapter, the
// teardown and the sweep deleting the prefixed users only) is checked against the package's fake.
const KEYS = { SUPABASE_ANON_KEY: 'anon-key', SUPABASE_SERVICE_ROLE_KEY: 'service-role-key' };
let fake: FakeGoTrue;
beforeAll(async () => {
  fake = await startFakeGoTrue({ anonKey: KEYS.SUPABASE_ANON_KEY, serviceRoleKey: KEYS.SUPABASE_SERVICE_ROLE_KEY });
});
afterAll(() => fake?.close());

function planned(runId: string) {
  const plan = planLiveRun(
    {
      SWITCHYARD_LIVE_TARGETS: 'supabase-auth',
      SWITCHYARD_LIVE_PREFIX: 'switchyard-test-',
      SWITCHYARD_LIVE_ALLOW: new URL(fake.url).host,
      SUPABASE_URL: fake.url,
      ...KEYS,
    },
    runId,
  );
  const [target] = plan.targets;
  if (target?.port !== 'auth') throw new Error('planned no auth target');
  return { target, namePrefix: `${plan.runPrefix}${target.name}-`, prefix: plan.prefix };
}

// The admin contract through the live fixture, as `npm run test:live` would run it on a project.
describeAuthAdmin(
  'supabase-auth live fixture on the fake GoTrue',
  () => {
    const { target, namePrefix } = planned('c0ffee00');
    return authFixture(target, namePrefix);
  },
  { namePrefix: 'switchyard-test-c0ffee00-supabase-auth-' },
);

describe('the supabase-auth live fixture', () => {
  it('deletes the users carrying its prefix when it ends, the sweep those carrying the live prefix, and no others', async () => {
    const { target, namePrefix, prefix } = planned('c0ffee01');
    const fixture = await authFixture(target, namePrefix);
    const admin = fixture.port.admin;
    const own = await admin.createUser({ email: `${namePrefix}a@example.com` });
    const earlier = await admin.createUser({ email: `${prefix}earlier-run@example.com` });
    const customer = await admin.createUser({ email: 'customer@example.com' });
    await fixture.teardown?.();

    const check = await authFixture(target, namePrefix);
    try {
      expect(await check.port.admin.getUser(own.id)).toBeNull();
      expect(await check.port.admin.getUser(earlier.id)).not.toBeNull();
      expect(await sweep(target, prefix)).toContain('supabase-auth: 1 leftover users');
      expect(await check.port.admin.getUser(earlier.id)).toBeNull();
      expect((await check.port.admin.getUser(customer.id))?.email).toBe('customer@example.com');
    } finally {
      await check.port.close();
    }
  });
});
