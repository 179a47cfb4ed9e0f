import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Module URLs whose path contains one of `needles` that a fresh process loads while running `body`. */
async function modulesLoadedBy(body: string, needles: readonly string[] = ['@electric-sql/pglite']): Promise<string[]> {
  const script = `
    import { registerHooks } from 'node:module';
    const needles = ${JSON.stringify(needles)};
    const loaded = [];
    registerHooks({
      load(url, context, next) {
        if (needles.some((needle) => url.includes(needle))) loaded.push(url);
        return next(url, context);
      },
    });
    ${body}
    console.log(JSON.stringify(loaded));
    process.exit(0);`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    timeout: 110_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as string[];
}

describe('@switchyard/local import cost', () => {
  it('does not load PGlite until a database is opened', async () => {
    expect(await modulesLoadedBy("const local = await import('@switchyard/local'); await local.createLocalPubSub();")).toEqual([]);
    const opened = await modulesLoadedBy(
      "const local = await import('@switchyard/local'); const db = await local.createLocalDb(); await db.close();",
    );
    expect(opened.length).toBeGreaterThan(0);
  }, 120_000);

  it('plans from ./adapters without loading PGlite, jose or any adapter', async () => {
    const plan = `
      const { EnvReader, readSettings } = await import('@switchyard/core/adapter');
      const { adapters } = await import('@switchyard/local/adapters');
      for (const d of Object.values(adapters)) { const env = new EnvReader({}); d.options(readSettings(d.settings, env), env); }`;
    const loaded = await modulesLoadedBy(plan, ['@electric-sql/pglite', '/jose/', '/local/dist/']);
    expect(loaded.filter((url) => !url.includes('/local/dist/'))).toEqual([]);
    // The descriptors and the extras keys, nothing that opens a port.
    const code = (await Promise.all(loaded.map((url) => readFile(new URL(url), 'utf8')))).join('\n');
    expect(code).toContain('describeAdapter');
    expect(code).not.toMatch(/class Local(Storage|Auth|Db|PubSub)\b|storageRequestHandler|from "jose"/);
  });
});
