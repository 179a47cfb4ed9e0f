import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLocalStorage } from '@switchyard/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsErrorCode } from '../src/storage/fs-errors.js';

const run = promisify(execFile);
const SECRET = 'delete-errors-test-secret-0123456789abcdef';

function shardOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 2);
}

/**
 * Runs `delete(keys)` in another process without the right to write `blockedShard`: as an
 * unprivileged user when the tests run as root (root ignores directory modes), else as ourselves.
 */
async function deleteAsAnotherProcess(directory: string, keys: string[]): Promise<{ error?: Record<string, unknown> }> {
  const script = `
    import { createLocalStorage } from '@switchyard/local';
    const storage = await createLocalStorage({ directory: ${JSON.stringify(directory)}, secret: ${JSON.stringify(SECRET)} });
    try {
      await storage.delete(${JSON.stringify(keys)});
      console.log(JSON.stringify({}));
    } catch (error) {
      console.log(JSON.stringify({ error: { ...error.toJSON(), cause: error.cause?.code } }));
    }`;
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    timeout: 30_000,
    ...asNobody,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
}

describe('LocalStorage delete failures', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'sy-delete-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reports a key it may not remove as FORBIDDEN in details.failed, not retryable, and removes the others', async () => {
    const storage = await createLocalStorage({ directory, secret: SECRET });
    const blocked = 'locked/photo.png';
    let free = 'free/0';
    for (let i = 1; shardOf(free) === shardOf(blocked); i++) free = `free/${i}`;
    await storage.put(blocked, 'kept');
    await storage.put(free, 'removed');
    // Readable and searchable for the other user, and it may take key locks; only the blocked
    // object's folder is not writable.
    await chmod(directory, 0o755);
    await chmod(join(directory, 'locks'), 0o777);
    await chmod(join(directory, 'objects'), 0o755);
    await chmod(join(directory, 'objects', shardOf(blocked)), 0o555);
    await chmod(join(directory, 'objects', shardOf(free)), 0o777);
    try {
      const { error } = await deleteAsAnotherProcess(directory, [blocked, free]);
      expect(error).toMatchObject({
        code: 'FORBIDDEN',
        retryable: false,
        port: 'storage',
        provider: 'local',
        operation: 'delete',
        cause: 'EACCES',
        // toMatchObject holds arrays to their length: only the blocked key is listed.
        details: { failed: [{ key: blocked, code: 'FORBIDDEN' }] },
      });
      expect(await (await storage.get(blocked)).text()).toBe('kept');
      expect(await storage.head(free)).toBeNull();
    } finally {
      await chmod(join(directory, 'objects', shardOf(blocked)), 0o755);
    }
  });

  it('maps filesystem error codes to what a caller can do about them', () => {
    const code = (errno: string) => fsErrorCode(Object.assign(new Error(errno), { code: errno }));
    expect(code('EACCES')).toBe('FORBIDDEN');
    expect(code('EPERM')).toBe('FORBIDDEN');
    // A read-only mount is the deployment's doing: no retry and no permission on a key fixes it.
    expect(code('EROFS')).toBe('CONFIG');
    for (const transient of ['EBUSY', 'EAGAIN', 'EMFILE', 'ENFILE', 'EINTR', 'EIO', 'ETIMEDOUT', 'ENOSPC']) {
      expect(code(transient), transient).toBe('UNAVAILABLE');
    }
    expect(fsErrorCode(new Error('no code at all'))).toBe('UNAVAILABLE');
  });
});
