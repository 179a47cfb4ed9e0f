import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Module URLs under @electric-sql/pglite that a fresh process loads while running `body`. */
async function pgliteModulesLoadedBy(body: string): Promise<string[]> {
  const script = `
    import { registerHooks } from 'node:module';
    const loaded = [];
    registerHooks({
      load(url, context, next) {
        if (url.includes('@electric-sql/pglite')) loaded.push(url);
        return next(url, context);
      },
    });
    ${body}
    console.log(JSON.stringify(loaded));
    process.exit(0);`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as string[];
}

describe('@switchyard/local import cost', () => {
  it('does not load PGlite until a database is opened', async () => {
    expect(await pgliteModulesLoadedBy("const local = await import('@switchyard/local'); local.createLocalPubSub();")).toEqual([]);
    const opened = await pgliteModulesLoadedBy(
      "const local = await import('@switchyard/local'); const db = await local.createLocalDb(); await db.close();",
    );
    expect(opened.length).toBeGreaterThan(0);
  });
});
