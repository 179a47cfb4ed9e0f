import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedLocalDatabase } from 'community-app/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RUNNER = fileURLToPath(new URL('../dist/run.js', import.meta.url));

function run(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [RUNNER, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

// What `npm run match -w examples/matching-job` runs once the build is done.
describe('the local runner (node dist/run.js)', () => {
  let dir: string;

  beforeAll(async () => {
    expect(existsSync(RUNNER), 'build the example first (npm test builds every package)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'matching-run-'));
    await seedLocalDatabase(dir);
  }, 180_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  // One run: each start of the runner loads PGlite, and idempotency is the handler's (handler.test.ts).
  it('runs the handler on the app’s embedded data for the week of --time', { timeout: 120_000 }, async () => {
    const first = await run({ DATA_DIR: dir }, '--time', '2026-11-04T06:00:00Z');
    expect(first.output).toContain('Week of 2026-11-02: 0 members read, 0 new pairs, 0 in all.');
    expect(first.code).toBe(0);
  });

  it('refuses to open the embedded database while the app has it open', async () => {
    // This test process stands in for a running app.
    await writeFile(join(dir, 'app.pid'), String(process.pid));
    const refused = await run({ DATA_DIR: dir });
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/has the embedded database .* open\. Stop it first/);
  });
});
