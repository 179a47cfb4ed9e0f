import { type AuthFixture, openKeySetAdapter, startKeySetServer } from '@switchyard/contract-tests';
import { FaultProxy } from '@switchyard/test-peers';
import { startFakeGoTrue } from '@switchyard/test-peers/supabase';
import { createSupabaseAuth } from '../src/auth/index.js';
import { ANON_KEY, SERVICE_ROLE_KEY } from './auth-fixture.js';

// The fixture's bounds: one Auth API call, one key-set download.
const REQUEST_TIMEOUT_MS = 1_500;
const KEY_SET_TIMEOUT_MS = 500;

/**
 * The fake GoTrue behind a FaultProxy (the admin fault cases), and a key-set server in front of the
 * fake's JWKS that adapters opened by `keySet.open()` download from (the key-set fault cases).
 */
export async function supabaseAuthContractFixture(): Promise<AuthFixture> {
  const fake = await startFakeGoTrue({
    anonKey: ANON_KEY,
    serviceRoleKey: SERVICE_ROLE_KEY,
    emailFrequencySeconds: 0,
    refreshTokenReuseInterval: 0,
  });
  const proxy = await FaultProxy.start({ port: Number(new URL(fake.url).port) });
  const url = proxy.url(fake.url).replace(/\/+$/, '');
  // Tokens name the URL the adapter knows the project by.
  fake.serveAs(url);
  const keySetServer = await startKeySetServer(async () => {
    const response = await fetch(`${fake.url}/auth/v1/.well-known/jwks.json`);
    return ((await response.json()) as { keys: object[] }).keys;
  });
  const settings = { url, anonKey: ANON_KEY, serviceRoleKey: SERVICE_ROLE_KEY, requestTimeoutMs: REQUEST_TIMEOUT_MS };
  const port = await createSupabaseAuth(settings);
  return {
    port,
    faults: Object.assign(proxy, { timeoutMs: REQUEST_TIMEOUT_MS }),
    teardown: async () => {
      await keySetServer.close();
      await proxy.close();
      await fake.close();
    },
    harness: {
      lastSignInEmail: async (email) => {
        const mail = fake.lastEmail(email);
        return mail && { code: mail.code, tokenHash: mail.tokenHash, link: mail.link };
      },
      expireSignIn: async (email) => fake.expireOtp(email),
      signAccessToken: (userId, overrides) => fake.signAccessToken({ sub: userId, ...overrides }),
      keySet: {
        set: (mode) => keySetServer.set(mode),
        fetches: () => keySetServer.fetches(),
        rotate: () => fake.rotateKey(),
        maxAgeMs: 600_000,
        staleIfErrorMs: 3_600_000,
        timeoutMs: KEY_SET_TIMEOUT_MS,
        recoveryMs: 30_000,
        open: () =>
          openKeySetAdapter((now, onEvent) =>
            createSupabaseAuth(
              { ...settings, keySet: { url: `${keySetServer.url}/jwks.json`, fetchTimeoutMs: KEY_SET_TIMEOUT_MS }, onEvent },
              { now },
            ),
          ),
      },
    },
  };
}
