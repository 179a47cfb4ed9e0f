import { describeAuthPort } from '@switchyard/contract-tests';
import { createLocalAuth, DevMailbox } from '@switchyard/local';

describeAuthPort('LocalAuth', async () => {
  const mailbox = new DevMailbox();
  const port = await createLocalAuth({ mailbox, minIntervalMs: 0 });
  return {
    port,
    teardown: () => port.close(),
    harness: {
      lastSignInEmail: async (email) => {
        const mail = mailbox.last(email);
        return mail && { code: mail.code, tokenHash: mail.tokenHash, link: mail.link };
      },
      expireSignIn: async (email) => port.expirePendingSignIn(email),
      signAccessToken: (userId, overrides) => port.signTestToken(userId, overrides),
    },
  };
});
