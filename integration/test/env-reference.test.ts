import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe("the README's adapter settings", () => {
  it('are what the descriptors say (run node scripts/env-reference.mjs after changing a setting)', async () => {
    const run = await promisify(execFile)(process.execPath, ['scripts/env-reference.mjs', '--check'], { cwd: root }).catch(
      (error: { stdout: string; stderr: string }) => error,
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('match the descriptors');
  });

  it('list every variable of every built-in adapter, secrets marked', async () => {
    const readme = await readFile(new URL('README.md', `file://${root}`), 'utf8');
    for (const variable of ['AWS_S3_BUCKET', 'COGNITO_USER_POOL_ID', 'SUPABASE_DB_CA', 'SWITCHYARD_LOCAL_DIR', 'REDIS_URL']) {
      expect(readme).toContain(`\`${variable}\``);
    }
    expect(readme).toMatch(/`SUPABASE_SERVICE_ROLE_KEY` \(secret\)/);
  });
});
