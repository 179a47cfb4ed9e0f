import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AdapterContext,
  type AdapterDescriptor,
  type AuthPort,
  type DbPort,
  EnvReader,
  Extras,
  type OnEvent,
  type PubSubPort,
  readSettings,
  type StoragePort,
  sql,
} from '@switchyard/core/adapter';
import { LOCAL_AUTH_ISSUER, localAuthMailbox, localStorageHandler, type StorageRequestHandler } from '@switchyard/local';
import { adapters } from '@switchyard/local/adapters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Opens `descriptor` as createProviders does: settings from `env`, extras and events collected. */
async function open<Port>(descriptor: AdapterDescriptor, env: Record<string, string>) {
  const reader = new EnvReader(env);
  const options = descriptor.options(readSettings(descriptor.settings, reader), reader);
  expect(reader.problems).toEqual([]);
  const extras = new Extras();
  const events: Parameters<OnEvent>[0][] = [];
  const context: AdapterContext = { onEvent: (event) => events.push(event), provide: (key, value) => extras.provide(key, value) };
  const port = (await descriptor.create(options, context)) as Port;
  return { port, extras, events };
}

describe('local adapters: create', () => {
  let directory: string;
  let server: Server;
  let handler: StorageRequestHandler | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'sy-adapters-'));
    server = createServer((req, res) => {
      void (handler?.(req, res) ?? Promise.resolve(false)).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    env = { SWITCHYARD_LOCAL_DIR: directory, SWITCHYARD_LOCAL_BASE_URL: `http://127.0.0.1:${port}/_storage` };
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('opens storage in <dir>/storage and provides the handler that serves its URLs', async () => {
    const { port: storage, extras, events } = await open<StoragePort>(adapters.storage, env);
    handler = extras.get(localStorageHandler);
    expect(typeof handler).toBe('function');
    await storage.put('notes/a.txt', 'hello', { contentType: 'text/plain' });
    const { url } = await storage.createDownloadUrl('notes/a.txt');
    expect(await (await fetch(url)).text()).toBe('hello');
    const operations = events.flatMap((e) => (e.type === 'operation' ? [`${e.provider} ${e.port} ${e.operation}`] : []));
    expect(operations).toContain('local storage put');
    await storage.close();
  });

  it('opens auth on <dir>/auth.json, provides its mailbox and issues tokens with the local issuer', async () => {
    const { port: auth, extras } = await open<AuthPort>(adapters.auth, env);
    const mailbox = extras.get(localAuthMailbox);
    await auth.sendSignInEmail('ada@example.com');
    const code = mailbox?.last('ada@example.com')?.code ?? '';
    const session = await auth.verifySignIn({ email: 'ada@example.com', code });
    const claims = JSON.parse(Buffer.from(session.accessToken.split('.')[1] ?? '', 'base64url').toString()) as { iss: string };
    expect(claims.iss).toBe(LOCAL_AUTH_ISSUER);
    expect((await auth.verifyAccessToken(session.accessToken)).email).toBe('ada@example.com');
    await auth.close();
  });

  it('opens the database in <dir>/db', async () => {
    const { port: db } = await open<DbPort>(adapters.db, { ...env, SWITCHYARD_LOCAL_DB_ROLES: 'anon,authenticated' });
    expect(await db.one<{ n: number }>(sql`select 1 + 1 as n`)).toEqual({ n: 2 });
    await expect(db.asUser({ id: 'u', role: 'service_role' }, async () => 1)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await db.close();
    // Opening PGlite compiles its WebAssembly: slow on a busy machine.
  }, 120_000);

  it('opens pub/sub with the configured payload limit', async () => {
    const { port: pubsub } = await open<PubSubPort>(adapters.pubsub, { SWITCHYARD_LOCAL_PUBSUB_MAX_PAYLOAD_BYTES: '64' });
    expect(pubsub.capabilities.maxPayloadBytes).toBe(64);
    const received = new Promise((resolve) => void pubsub.subscribe('room', (message) => resolve(message.data)));
    await pubsub.publish('room', { text: 'hi' });
    expect(await received).toEqual({ text: 'hi' });
    await expect(pubsub.publish('room', { text: 'x'.repeat(100) })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await pubsub.close();
  });
});
