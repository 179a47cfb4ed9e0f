import { describeAuthPort } from '@switchyard/contract-tests';
import { startSupabaseAuth } from './auth-fixture.js';

describeAuthPort('SupabaseAuth (supabase-js against the fake GoTrue)', async () => {
  const { auth, fake, stop } = await startSupabaseAuth();
  return {
    port: auth,
    teardown: stop,
    harness: {
      lastSignInEmail: async (email) => {
        const mail = fake.lastEmail(email);
        return mail && { code: mail.code, tokenHash: mail.tokenHash, link: mail.link };
      },
      expireSignIn: async (email) => fake.expireOtp(email),
      signAccessToken: (userId, overrides) => fake.signAccessToken({ sub: userId, ...overrides }),
    },
  };
});
