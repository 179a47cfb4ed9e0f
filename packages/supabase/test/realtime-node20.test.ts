import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { FakeRealtime } from '@switchyard/test-peers/supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

// The machine's Node 20 (the repo's own scripts run on Node 24, which has a global WebSocket).
const NODE_20 = process.env.SWITCHYARD_NODE20 ?? '/usr/bin/node';
// The built package, as an app installs it.
const REALTIME = pathToFileURL(resolve(dirname(fileURLToPath(import.meta.url)), '../dist/realtime/index.js')).href;

/** Subscribes and publishes once; prints the message it received, or the error's code and message. */
const SCRIPT = `
import { createSupabaseRealtime } from ${JSON.stringify(REALTIME)};
const [url, key] = process.argv.slice(2);
if (typeof globalThis.WebSocket !== 'undefined') throw new Error('this runtime has a global WebSocket: not the case under test');
setTimeout(() => { console.log(JSON.stringify({ code: 'HUNG' })); process.exit(3); }, 25000).unref();
try {
  const pubsub = await createSupabaseRealtime({ url, key, timeoutMs: 10000 });
  let deliver;
  const received = new Promise((resolve) => { deliver = resolve; });
  // Joined (over the socket, through ws) before publishing.
  await pubsub.subscribe('node20', deliver);
  await pubsub.publish('node20', { hello: process.version });
  const message = await received;
  console.log(JSON.stringify({ data: message.data }));
  await pubsub.close();
} catch (error) {
  console.log(JSON.stringify({ code: error.code, message: error.message }));
}
`;

// Makes \`ws\` look not installed, as in an app that never added it.
const HOOKS = `
export async function resolve(specifier, context, next) {
  if (specifier === 'ws') throw Object.assign(new Error("Cannot find package 'ws'"), { code: 'ERR_MODULE_NOT_FOUND' });
  return next(specifier, context);
}
`;

describe('SupabaseRealtime on Node 20 (no global WebSocket)', () => {
  let fake: FakeRealtime;
  let dir: string;

  beforeAll(async () => {
    fake = await FakeRealtime.start();
    dir = await mkdtemp(join(tmpdir(), 'sy-node20-'));
    await writeFile(join(dir, 'script.mjs'), SCRIPT);
    await writeFile(join(dir, 'hooks.mjs'), HOOKS);
    await writeFile(
      join(dir, 'no-ws.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
    );
    const { stdout } = await run(NODE_20, ['--version']);
    expect(stdout.trim()).toMatch(/^v20\./);
  });

  afterAll(async () => {
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('uses ws when it is installed', async () => {
    const { stdout } = await run(NODE_20, [join(dir, 'script.mjs'), fake.url, fake.newKey()], { timeout: 40_000 });
    expect(JSON.parse(stdout.trim())).toEqual({ data: { hello: expect.stringMatching(/^v20\./) } });
  }, 45_000);

  it('fails with CONFIG saying to install ws when it is not', async () => {
    const { stdout } = await run(NODE_20, ['--import', join(dir, 'no-ws.mjs'), join(dir, 'script.mjs'), fake.url, fake.newKey()], {
      timeout: 40_000,
    });
    const outcome = JSON.parse(stdout.trim()) as { code: string; message: string };
    expect(outcome.code).toBe('CONFIG');
    expect(outcome.message).toContain('npm install ws');
  }, 45_000);
});
