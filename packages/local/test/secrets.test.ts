import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createLocalAuth, createLocalDb, createLocalPubSub, createLocalStorage } from '@switchyard/local';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const STORAGE_SECRET = 'RECOGNISABLE-storage-signing-secret-0123456789';

/** Every way an app or its logger might print a value. */
function printed(value: unknown): string[] {
  return [
    inspect(value),
    inspect(value, { depth: Number.POSITIVE_INFINITY }),
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    JSON.stringify(value) ?? '',
    String(value),
    `${value}`,
  ];
}

/** The spellings a secret takes when printed: as text, and its bytes as a Buffer, hex or base64. */
function spellings(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const hexPairs = [...bytes.subarray(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return [secret, bytes.toString('hex'), hexPairs, bytes.toString('base64'), bytes.toString('base64url')];
}

function expectNoSecret(label: string, value: unknown, secrets: Record<string, string>) {
  for (const text of printed(value)) {
    // Bounded too: printing a port must never dump its internals (a PGlite instance is 140 MB of text).
    expect(text.length, `${label} printed ${text.length} characters`).toBeLessThan(2000);
    for (const [name, secret] of Object.entries(secrets)) {
      for (const spelling of spellings(secret)) expect(text, `${label} printed the ${name}`).not.toContain(spelling);
    }
  }
}

// A port object ends up in logs (console.log(providers), an error reporter walking objects):
// it must print what it is, never the keys and tokens it holds.
describe('@switchyard/local factories print no secret', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'sy-secrets-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('createLocalStorage, with or without onEvent, after signing', async () => {
    for (const onEvent of [undefined, () => undefined]) {
      const storage = await createLocalStorage({ directory, secret: STORAGE_SECRET, baseUrl: 'http://127.0.0.1:1/_storage', onEvent });
      await storage.createUploadUrl('a/b.png', { contentType: 'image/png' });
      expectNoSecret('storage', storage, { 'signing secret': STORAGE_SECRET });
      expect(JSON.parse(JSON.stringify(storage))).toEqual({
        provider: 'local',
        port: 'storage',
        directory,
        baseUrl: 'http://127.0.0.1:1/_storage',
        publicRead: false,
      });
    }
  });

  it('createLocalAuth, its admin and mailbox, with a session open', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const auth = await createLocalAuth({ privateJwk, dataFile: join(directory, 'auth.json'), onEvent: () => undefined });
    await auth.sendSignInEmail('ada@example.com');
    const mail = auth.mailbox.last('ada@example.com');
    const session = await auth.verifySignIn({ email: 'ada@example.com', code: mail?.code ?? '' });
    await auth.sendSignInEmail('bob@example.com');
    const link = new URL(auth.mailbox.last('bob@example.com')?.link ?? '');
    const secrets = {
      'private key': privateJwk.d ?? 'missing',
      'refresh token': session.refreshToken,
      'access token': session.accessToken,
      'magic link token': link.searchParams.get('token_hash') ?? 'missing',
    };
    for (const [label, value, summary] of [
      ['auth', auth, { provider: 'local', port: 'auth', issuer: 'http://localhost/auth/v1', audience: 'authenticated' }],
      ['auth.admin', auth.admin, { provider: 'local', port: 'auth.admin' }],
      ['auth.mailbox', auth.mailbox, { messages: 2 }],
    ] as const) {
      expectNoSecret(label, value, secrets);
      expect(JSON.parse(JSON.stringify(value)), label).toEqual(summary);
    }
  });

  it('createLocalDb', async () => {
    const db = await createLocalDb();
    try {
      expectNoSecret('db', db, {});
      expect(JSON.parse(JSON.stringify(db))).toEqual({ provider: 'local', port: 'db', dataDir: 'memory' });
    } finally {
      await db.close();
    }
    // Opening PGlite compiles its WebAssembly: slow on a busy machine.
  }, 120_000);

  it('createLocalPubSub, with messages waiting for a slow subscriber', async () => {
    const pubsub = await createLocalPubSub();
    await pubsub.subscribe('chat', () => new Promise(() => undefined));
    await pubsub.publish('chat', { token: 'pubsub-secret-in-flight-0001' });
    await pubsub.publish('chat', { token: 'pubsub-secret-in-flight-0002' });
    expectNoSecret('pubsub', pubsub, { 'message in flight': 'pubsub-secret-in-flight' });
    expect(JSON.parse(JSON.stringify(pubsub))).toEqual({ provider: 'local', port: 'pubsub' });
    await pubsub.close();
  });
});
