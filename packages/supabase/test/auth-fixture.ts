import type { AuthPort } from '@switchyard/core/adapter';
import { type FakeGoTrue, type FakeGoTrueOptions, startFakeGoTrue } from '@switchyard/test-peers/supabase';
import { createSupabaseAuth, type SupabaseAuthDependencies, type SupabaseAuthOptions } from '../src/auth/index.js';

export const ANON_KEY = 'fake-anon-key';
export const SERVICE_ROLE_KEY = 'fake-service-role-key';

/** The real supabase-js client, through the adapter, against the fake GoTrue. */
export async function startSupabaseAuth(
  fakeOptions: Partial<FakeGoTrueOptions> = {},
  options: Partial<SupabaseAuthOptions> = {},
  dependencies: SupabaseAuthDependencies = {},
): Promise<{ auth: AuthPort; fake: FakeGoTrue; stop(): Promise<void> }> {
  // A project configured with no resend delay and no refresh-token reuse window, so tests need not wait.
  const fake = await startFakeGoTrue({
    anonKey: ANON_KEY,
    serviceRoleKey: SERVICE_ROLE_KEY,
    emailFrequencySeconds: 0,
    refreshTokenReuseInterval: 0,
    ...fakeOptions,
  });
  const auth = await createSupabaseAuth({ url: fake.url, anonKey: ANON_KEY, serviceRoleKey: SERVICE_ROLE_KEY, ...options }, dependencies);
  return { auth, fake, stop: () => fake.close() };
}
