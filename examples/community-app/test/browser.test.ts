import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, snap } from './support/browser.js';
import { phonePhoto } from './support/images.js';
import { createAppDatabase, type TestPostgres } from './support/postgres-template.js';
import { startTestApp, type TestApp } from './support/server.js';

const MATCH_JOB = fileURLToPath(new URL('../../matching-job/dist/run.js', import.meta.url));

/** `npm run match -w examples/matching-job` against the app's database: the job is a process of its own. */
function runMatchJob(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MATCH_JOB], { env: { PATH: process.env.PATH ?? '', ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`the match job exited with ${code}:\n${output}`))));
  });
}

describe('community-app in Chromium: two people sign in, match and chat', () => {
  let database: TestPostgres;
  let app: TestApp;
  let env: Record<string, string>;
  let closeBrowser: () => Promise<void>;
  let alice: Page;
  let bob: Page;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    expect(existsSync(MATCH_JOB), 'build examples/matching-job first (npm test builds every package)').toBe(true);
    database = await createAppDatabase();
    const url = new URL(database.connectionString);
    url.searchParams.set('sslmode', 'disable');
    // PostgreSQL (with PostGIS), so the match job, another process, can share the app's database.
    env = { SWITCHYARD_DB: 'aws', DATABASE_URL: url.toString() };
    app = await startTestApp(env);
    const launched = await launchChromium();
    closeBrowser = launched.close;
    const desktop = await launched.browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Bob is on a phone and lets the page read his position (Villeurbanne, next to Lyon).
    const phone = await launched.browser.newContext({
      viewport: { width: 390, height: 844 },
      geolocation: { latitude: 45.7712, longitude: 4.8795 },
      permissions: ['geolocation'],
    });
    contexts.push(desktop, phone);
    alice = await desktop.newPage();
    bob = await phone.newPage();
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await closeBrowser?.();
    await app?.close();
    await database?.drop();
  });

  async function signIn(page: Page, email: string, who: string): Promise<void> {
    await page.goto(app.url);
    await page.locator('#email').waitFor();
    await snap(page, '01-sign-in', who);
    await page.fill('#email', email);
    await page.click('#email-form button');
    await page.locator('#code-form').waitFor({ state: 'visible' });
    await page.fill('#code', app.mailbox.last(email)?.code ?? '');
    await snap(page, '02-code', who);
    await page.click('#code-form button');
    // A new member lands on their profile: nothing can be matched without it.
    await page.locator('#view-profile').waitFor({ state: 'visible' });
  }

  async function fillProfile(page: Page, name: string, bio: string, hobbies: string[]): Promise<void> {
    await page.fill('#name', name);
    await page.fill('#bio', bio);
    for (const hobby of hobbies) await page.locator('#hobbies label', { hasText: hobby }).click();
    await page.click('#save-profile');
    await page.locator('#status', { hasText: 'Profile saved.' }).waitFor();
  }

  async function uploadPhoto(page: Page, who: string): Promise<void> {
    await page.setInputFiles('#file', { name: `${who}.jpg`, mimeType: 'image/jpeg', buffer: Buffer.from(await phonePhoto(900, 600)) });
    await page.locator('#my-photo[src*="/thumbs/"]').waitFor({ state: 'visible' });
    const size = await page.locator('#my-photo').evaluate((img: HTMLImageElement) => img.naturalWidth);
    expect(size).toBe(320);
  }

  it('sign-in, profile, photo, matches, accepting and chatting in real time; a reload keeps the history', {
    timeout: 300_000,
  }, async () => {
    await signIn(alice, 'alice@example.com', 'alice');
    await signIn(bob, 'bob@example.com', 'bob');

    await alice.locator('#place').selectOption({ label: 'Lyon' });
    await fillProfile(alice, 'Alice', 'Chess on Sundays, films on Fridays.', ['Chess', 'Hiking', 'Film']);
    await bob.click('#locate');
    await expect.poll(() => bob.locator('#place option:checked').textContent()).toBe('Near Villeurbanne');
    await fillProfile(bob, 'Bob', 'New in town, looking for hiking partners.', ['Chess', 'Hiking']);
    await uploadPhoto(alice, 'alice');
    await uploadPhoto(bob, 'bob');
    await snap(alice, '03-profile-and-photo', 'alice');
    await snap(bob, '03-profile-and-photo', 'bob');

    expect(await runMatchJob({ ...env, SWITCHYARD_LOCAL_DIR: `${app.dataDir}/job` })).toMatch(/2 members read, 1 new pairs/);

    for (const [page, other] of [
      [alice, 'Bob'],
      [bob, 'Alice'],
    ] as const) {
      await page.goto(`${app.url}/#matches`);
      const card = page.locator('article.match', { hasText: other });
      await card.waitFor();
      await expect.poll(() => card.locator('.tags').textContent()).toBe('ChessHiking');
      await expect.poll(() => card.locator('img.avatar').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
      expect(await card.textContent()).toMatch(/3 km away/);
    }
    await snap(alice, '04-matches', 'alice');
    await snap(bob, '04-matches', 'bob');

    await alice.locator('article.match', { hasText: 'Bob' }).getByRole('button', { name: 'Accept' }).click();
    await alice.locator('article.match', { hasText: 'Waiting for Bob to accept' }).waitFor();
    // Bob's open page hears about it through his socket and shows it without a reload.
    await bob.locator('article.match', { hasText: 'Alice accepted' }).waitFor();
    await bob.locator('#status', { hasText: 'Alice accepted your match.' }).waitFor();
    await snap(alice, '05-accepted', 'alice');
    await snap(bob, '05-accepted', 'bob');
    await bob.locator('article.match', { hasText: 'Alice' }).getByRole('button', { name: 'Accept' }).click();
    await bob.locator('#thread-title', { hasText: 'Alice' }).waitFor();
    await alice.locator('article.match', { hasText: 'You both accepted' }).getByRole('link', { name: 'Open chat' }).click();
    await alice.locator('#thread-title', { hasText: 'Bob' }).waitFor();
    for (const page of [alice, bob]) await page.locator('#connection', { hasText: 'live' }).waitFor();

    async function say(page: Page, text: string): Promise<void> {
      await page.fill('#text', text);
      await page.press('#text', 'Enter');
    }
    const bubbles = (page: Page, text: string) => page.locator('#messages .bubble', { hasText: text });
    await say(alice, 'Hi Bob! Chess on Sunday?');
    await bubbles(bob, 'Hi Bob! Chess on Sunday?').waitFor();
    await say(bob, 'Yes! The park by the river?');
    await bubbles(alice, 'The park by the river?').waitFor();
    await expect.poll(() => bob.locator('#messages .message:not(.mine) .author').first().textContent()).toMatch(/^Alice · /);
    await snap(alice, '06-chat', 'alice');
    await snap(bob, '06-chat', 'bob');

    // Alice's connection drops (the instance restarts her socket); Bob writes meanwhile.
    const aliceId = (await app.server.auth.admin.getUserByEmail('alice@example.com'))?.id;
    const dropped = [...app.server.chatConnections].filter((connection) => connection.userId === aliceId);
    expect(dropped).toHaveLength(1);
    for (const connection of dropped) connection.restart();
    await say(bob, 'See you at 10?');
    await alice.locator('#connection', { hasText: 'live' }).waitFor();
    await bubbles(alice, 'See you at 10?').waitFor();
    for (const text of ['Chess on Sunday?', 'The park by the river?', 'See you at 10?']) {
      expect(await bubbles(alice, text).count(), text).toBe(1);
      expect(await bubbles(bob, text).count(), text).toBe(1);
    }

    await bob.reload();
    await bob.locator('#thread-title', { hasText: 'Alice' }).waitFor();
    await bubbles(bob, 'See you at 10?').waitFor();
    expect(await bob.locator('#messages .bubble').allTextContents()).toEqual([
      'Hi Bob! Chess on Sunday?',
      'Yes! The park by the river?',
      'See you at 10?',
    ]);
    await snap(bob, '07-after-reload', 'bob');
    expect(await bob.locator('#matches-badge').isHidden()).toBe(true);

    // Alice signed in with the code, which also used up the emailed link: opening it now shows a
    // page that offers a new one, not JSON.
    await alice.goto(app.mailbox.last('alice@example.com')?.link ?? '');
    await alice.locator('#confirm-sign-in').waitFor();
    await snap(alice, '08-magic-link', 'alice');
    await alice.click('#confirm-sign-in');
    await alice.locator('h1', { hasText: 'This sign-in link was already used' }).waitFor();
    await snap(alice, '09-magic-link-used', 'alice');
    expect(app.errors).toEqual([]);
  });
});
