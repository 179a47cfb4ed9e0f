import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalDb } from '@switchyard/local';
import { migrate } from '../../src/db/migrate.js';
import { schemaKey } from './schema-key.js';

const WAIT_MS = 240_000;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Whether the worker that started building `dir` is still running (a killed run leaves its folder behind). */
async function builderAlive(dir: string): Promise<boolean> {
  const pid = Number(await readFile(join(dir, 'BUILDER'), 'utf8').catch(() => ''));
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A migrated PGlite data folder, made once per schema and copied for each test. A fresh PGlite
 * runs initdb, which takes 5 s on a quiet 2-core machine and over 40 s on a busy one; opening a
 * copied folder takes a second or two. The first worker to get here builds it (mkdir is the lock);
 * the others wait for its READY mark.
 */
async function template(): Promise<string> {
  const dir = join(tmpdir(), `community-app-pglite-${schemaKey()}`);
  const ready = join(dir, 'READY');
  if (await exists(ready)) return dir;
  try {
    await mkdir(dir);
  } catch {
    const deadline = Date.now() + WAIT_MS;
    while (!(await exists(ready))) {
      if (!(await builderAlive(dir))) {
        await rm(dir, { recursive: true, force: true });
        return template();
      }
      if (Date.now() > deadline) throw new Error(`Gave up waiting for another worker to build ${dir}; remove it and run again.`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return dir;
  }
  try {
    await writeFile(join(dir, 'BUILDER'), String(process.pid));
    const db = await createLocalDb({ dataDir: join(dir, 'db') });
    await migrate(db);
    await db.close();
    await writeFile(ready, new Date().toISOString());
    return dir;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Puts a migrated database where the embedded providers look for it: `<dataDir>/db`. */
export async function seedLocalDatabase(dataDir: string): Promise<void> {
  await cp(join(await template(), 'db'), join(dataDir, 'db'), { recursive: true });
}
