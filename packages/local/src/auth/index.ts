import type { AuthPort } from '@switchyard/core/adapter';
import { authPort } from '@switchyard/core/adapter';
import { LocalAuth, type LocalAuthOptions } from './local-auth.js';

export type { LocalAuthOptions } from './local-auth.js';
export { type DevMail, DevMailbox, type DevMailboxOptions } from './mailbox.js';

/** The local AuthPort, with its dev mailbox, its public keys and two helpers for tests. */
export type LocalAuthPort = AuthPort & Pick<LocalAuth, 'mailbox' | 'jwks' | 'expirePendingSignIn' | 'signTestToken'>;

/**
 * Opens local auth (reporting to `onEvent` when given). It holds the private key, session records
 * and (through the mailbox) sign-in codes, so it prints as its issuer and audience only.
 */
export async function createLocalAuth(options: LocalAuthOptions = {}): Promise<LocalAuthPort> {
  const driver = await LocalAuth.open(options);
  const { issuer, audience } = driver.settings;
  const port = authPort(driver, { provider: 'local', onEvent: options.onEvent, summary: { issuer, audience } });
  return Object.assign(port, {
    mailbox: driver.mailbox,
    jwks: () => driver.jwks(),
    expirePendingSignIn: (email: string) => driver.expirePendingSignIn(email),
    signTestToken: (userId: string, overrides: Record<string, unknown>) => driver.signTestToken(userId, overrides),
  });
}
