import { printedForms } from '@switchyard/contract-tests';
import { type FakeGoTrue, startFakeGoTrue } from '@switchyard/test-peers/supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupabaseAuth } from '../src/auth/index.js';

describe('SupabaseAuth printing', () => {
  let fake: FakeGoTrue;
  beforeAll(async () => {
    fake = await startFakeGoTrue({ anonKey: 'SECRET-anon-key', serviceRoleKey: 'SECRET-service-role-key', emailFrequencySeconds: 0 });
  });
  afterAll(() => fake.close());

  for (const onEvent of [undefined, () => {}]) {
    it(`prints no service-role key, anon key, JWT secret or refresh token (${onEvent ? 'observed' : 'plain'})`, async () => {
      const auth = await createSupabaseAuth({
        url: fake.url,
        anonKey: 'SECRET-anon-key',
        serviceRoleKey: 'SECRET-service-role-key',
        jwtSecret: 'SECRET-jwt-secret-of-at-least-32-characters',
        onEvent,
      });
      const email = `print-${Math.random().toString(36).slice(2)}@example.com`;
      await auth.sendSignInEmail(email);
      const session = await auth.verifySignIn({ email, code: fake.lastEmail(email)!.code });
      await auth.refresh(session.refreshToken);
      const secrets = [session.refreshToken, 'SECRET-'];
      for (const text of [...printedForms(auth), ...printedForms(auth.admin)])
        for (const secret of secrets) expect(text).not.toContain(secret);
      expect(printedForms(auth)[0]).toContain(fake.url);
    });
  }
});
