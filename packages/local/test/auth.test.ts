import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SwitchyardError } from '@switchyard/core/adapter';
import { createLocalAuth, DevMailbox } from '@switchyard/local';
import { describe, expect, it } from 'vitest';

async function signIn(auth: Awaited<ReturnType<typeof createLocalAuth>>, mailbox: DevMailbox, email: string) {
  await auth.sendSignInEmail(email);
  return auth.verifySignIn({ email, code: mailbox.last(email)!.code });
}

describe('LocalAuth', () => {
  it('limits sign-in emails per address', async () => {
    const auth = await createLocalAuth({ minIntervalMs: 60_000 });
    await auth.sendSignInEmail('rate@example.com');
    const error = await auth.sendSignInEmail('rate@example.com').catch((e: unknown) => e);
    expect(SwitchyardError.hasCode(error, 'RATE_LIMITED')).toBe(true);
    await auth.sendSignInEmail('other@example.com');
  });

  it('locks a pending code after five wrong attempts', async () => {
    const mailbox = new DevMailbox();
    const auth = await createLocalAuth({ mailbox, minIntervalMs: 0 });
    await auth.sendSignInEmail('lock@example.com');
    const { code } = mailbox.last('lock@example.com')!;
    for (let i = 0; i < 5; i++)
      await auth.verifySignIn({ email: 'lock@example.com', code: code === '000000' ? '111111' : '000000' }).catch(() => undefined);
    const error = await auth.verifySignIn({ email: 'lock@example.com', code }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'invalid' });
  });

  it('ends the whole session when a rotated refresh token comes back', async () => {
    const mailbox = new DevMailbox();
    const auth = await createLocalAuth({ mailbox, minIntervalMs: 0 });
    const first = await signIn(auth, mailbox, 'reuse@example.com');
    const second = await auth.refresh(first.refreshToken);
    await auth.refresh(first.refreshToken).catch(() => undefined);
    await expect(auth.refresh(second.refreshToken)).rejects.toMatchObject({ reason: 'revoked' });
    await expect(auth.verifyAccessToken(second.accessToken)).rejects.toMatchObject({ reason: 'revoked' });
  });

  it('refuses a token signed by another instance key', async () => {
    const mailbox = new DevMailbox();
    const issuer = await createLocalAuth({ mailbox });
    const session = await signIn(issuer, mailbox, 'keys@example.com');
    const stranger = await createLocalAuth();
    await expect(stranger.verifyAccessToken(session.accessToken)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason: 'invalid' });
  });

  it('keeps users, sessions and the key in dataFile across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sy-auth-'));
    try {
      const dataFile = join(dir, 'auth.json');
      const mailbox = new DevMailbox();
      const before = await createLocalAuth({ mailbox, dataFile });
      const session = await signIn(before, mailbox, 'kept@example.com');
      await before.close();
      const after = await createLocalAuth({ dataFile });
      expect((await after.verifyAccessToken(session.accessToken)).id).toBe(session.user.id);
      expect((await after.refresh(session.refreshToken)).user.id).toBe(session.user.id);
      expect((await after.admin.getUserByEmail('kept@example.com'))?.id).toBe(session.user.id);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints nothing unless the mailbox is asked to', async () => {
    const mailbox = new DevMailbox();
    const auth = await createLocalAuth({ mailbox });
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      await auth.sendSignInEmail('quiet@example.com');
    } finally {
      process.stdout.write = original;
    }
    expect(writes.join('')).not.toContain('quiet@example.com');
    expect(mailbox.last('QUIET@example.com')?.code).toMatch(/^\d{6}$/);
  });
});
