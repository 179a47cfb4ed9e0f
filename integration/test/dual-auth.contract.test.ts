import { describeAuthPort } from '@switchyard/contract-tests';
import { DualAuth } from '@switchyard/core';
import { createLocalAuth, DevMailbox } from '@switchyard/local';

const PRIMARY_ISSUER = 'http://primary.test/auth/v1';
const SHADOW_ISSUER = 'http://shadow.test/auth/v1';

describeAuthPort('DualAuth (local + local)', async () => {
  const mailbox = new DevMailbox();
  const primary = await createLocalAuth({ mailbox, minIntervalMs: 0, issuer: PRIMARY_ISSUER });
  const shadow = await createLocalAuth({ minIntervalMs: 0, issuer: SHADOW_ISSUER });
  const port = new DualAuth({ primary, shadow, issuers: { primary: PRIMARY_ISSUER, shadow: SHADOW_ISSUER }, reads: 'fallback' });
  return {
    port,
    teardown: () => port.close(),
    // Sign-in happens at the primary, so its mailbox and signing key are the ones that matter.
    harness: {
      lastSignInEmail: async (email) => {
        const mail = mailbox.last(email);
        return mail && { code: mail.code, tokenHash: mail.tokenHash, link: mail.link };
      },
      expireSignIn: async (email) => primary.expirePendingSignIn(email),
      signAccessToken: (userId, overrides) => primary.signTestToken(userId, overrides),
    },
  };
});
