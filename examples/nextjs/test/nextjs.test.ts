import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from '@switchyard/core';
import { createLocalStorage } from '@switchyard/local';
import { createPostgresDb } from '@switchyard/postgres';
import { createAppDatabase, type TestPostgres } from 'community-app/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const NEXT_BIN = fileURLToPath(new URL('../../../node_modules/next/dist/bin/next', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

// `next build` runs in the repository's build step (npm test builds every workspace first); this
// starts the built app with `next start` and talks to it over HTTP.
describe('the Next.js example, built and started (next start)', () => {
  let database: TestPostgres;
  let dataDir: string;
  let child: ChildProcess;
  let origin: string;
  let output = '';
  let cookie = '';
  let userId = '';

  beforeAll(async () => {
    expect(existsSync(join(APP_DIR, '.next', 'BUILD_ID')), 'build the example first: npm run build -w examples/nextjs').toBe(true);
    database = await createAppDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'nextjs-example-'));
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const url = new URL(database.connectionString);
    url.searchParams.set('sslmode', 'disable');
    child = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: APP_DIR,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        APP_ORIGIN: origin,
        SWITCHYARD_LOCAL_DIR: dataDir,
        // PostgreSQL, so this test can write the profile the app then reads.
        SWITCHYARD_DB: 'aws',
        DATABASE_URL: url.toString(),
      },
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    for (let attempt = 0; ; attempt++) {
      const up = await fetch(`${origin}/sign-in`).then(
        (res) => res.ok,
        () => false,
      );
      if (up) break;
      if (attempt > 600 || child.exitCode !== null) throw new Error(`next start did not come up:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 180_000);

  afterAll(async () => {
    child?.kill('SIGTERM');
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown) =>
    fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('sends a signed-out visitor to the sign-in page, and answers the API with 401 JSON', async () => {
    const home = await fetch(`${origin}/`, { redirect: 'manual' });
    expect(home.status).toBe(307);
    expect(home.headers.get('location')).toMatch(/\/sign-in$/);
    const me = await fetch(`${origin}/api/me`);
    expect(me.status).toBe(401);
    expect(await me.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } });
  });

  it('maps the ports’ refusals to HTTP statuses', async () => {
    const bad = await post('/api/auth/sign-in', { email: 42 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    await post('/api/auth/sign-in', { email: 'wrong@example.com' });
    const wrong = await post('/api/auth/verify', {
      email: 'wrong@example.com',
      code: '000000' === codeFor('wrong@example.com') ? '111111' : '000000',
    });
    expect(wrong.status, output).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED', reason: 'invalid' } });
  });

  function codeFor(email: string): string {
    const matches = [...output.matchAll(new RegExp(`Sign-in code for ${email.replace('.', '\\.')}: (\\d{6})`, 'g'))];
    return matches.at(-1)?.[1] ?? '';
  }

  it('signs in with the emailed code into an HttpOnly cookie', async () => {
    expect((await post('/api/auth/sign-in', { email: 'nia@example.com' })).status).toBe(202);
    const verified = await post('/api/auth/verify', { email: 'nia@example.com', code: codeFor('nia@example.com') });
    expect(verified.status).toBe(200);
    userId = ((await verified.json()) as { user: { id: string } }).user.id;
    const line = verified.headers.getSetCookie().find((l) => l.startsWith('sy_access='));
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=lax/i);
    cookie = line?.split(';')[0] ?? '';
  });

  it('shows the profile with a photo URL signed through the StoragePort, which serves the thumbnail', async () => {
    // The profile and thumbnail as the community app leaves them: a row, and a file under the user's folder.
    const name = `${randomUUID()}.jpg`;
    const thumbnail = new Uint8Array([82, 73, 70, 70, 1, 2, 3, 4]);
    const storage = await createLocalStorage({ directory: join(dataDir, 'storage') });
    await storage.put(`users/${userId}/thumbs/${name.replace('.jpg', '.webp')}`, thumbnail, { contentType: 'image/webp' });
    const db = await createPostgresDb({ connectionString: database.connectionString });
    await db.query(sql`insert into profiles (id, display_name, bio, hobbies, place, photo)
      values (${userId}, 'Nia', 'Board games and bread.', '{board-games,cooking}', 'Lyon', ${name})`);
    await db.close();

    const me = (await (await fetch(`${origin}/api/me`, { headers: { cookie } })).json()) as {
      profile: { displayName: string; photoUrl: string };
    };
    expect(me.profile).toMatchObject({ displayName: 'Nia', hobbies: ['board-games', 'cooking'], place: 'Lyon' });
    expect(me.profile.photoUrl.startsWith(`${origin}/storage/`)).toBe(true);
    const photo = await fetch(me.profile.photoUrl);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/webp');
    expect(new Uint8Array(await photo.arrayBuffer())).toEqual(thumbnail);
    expect((await fetch(me.profile.photoUrl.replace(/X-Sy-Signature=[^&]+/, 'X-Sy-Signature=forged'))).status).toBe(403);

    const page = await (await fetch(`${origin}/`, { headers: { cookie } })).text();
    expect(page).toContain('<h1 id="display-name">Nia</h1>');
    expect(page).toContain(`${origin}/storage/`);
  });
});
