import { type OnEvent, observe } from '@switchyard/core';
import { LocalAuth, type LocalAuthOptions } from './local-auth.js';

export { LocalAuth, type LocalAuthOptions } from './local-auth.js';
export { type DevMail, DevMailbox, type DevMailboxOptions } from './mailbox.js';

/** Opens local auth (reporting to `onEvent` when given). */
export async function createLocalAuth(options: LocalAuthOptions & { onEvent?: OnEvent } = {}): Promise<LocalAuth> {
  return observe(await LocalAuth.open(options), { port: 'auth', provider: 'local', onEvent: options.onEvent, nested: ['admin'] });
}
