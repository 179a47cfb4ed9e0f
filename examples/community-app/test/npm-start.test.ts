import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitOf, waitForOutput } from './support/http.js';

// What `npm start` runs, built by the root `npm test` before vitest starts.
describe('npm start (node dist/main.js)', () => {
  // A fresh data folder: PGlite runs initdb and the migrations, which takes long on a busy machine.
  it('prints its URL, answers /healthz and stops cleanly on SIGTERM', { timeout: 180_000 }, async () => {
    const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    expect(existsSync(main), 'build the example first (npm test builds every package)').toBe(true);
    const dataDir = await mkdtemp(join(tmpdir(), 'community-app-start-'));
    const child = spawn(process.execPath, [main], {
      // A data folder that does not exist yet, as on a fresh checkout.
      env: { ...process.env, PORT: '0', DATA_DIR: join(dataDir, 'fresh', '.data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const [, printed] = await waitForOutput(child, /Community app listening on (http:\/\/127\.0\.0\.1:\d+)/);
      const health = await fetch(`${printed}/healthz`);
      expect(health.status).toBe(200);
      expect(await (await fetch(`${printed}/`)).text()).toContain('<title>Community app</title>');
      child.kill('SIGTERM');
      expect(await exitOf(child)).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
