import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createLocalStorage } from '@switchyard/local';
import { peerEnv } from '@switchyard/test-peers';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `switchyard` bin; `interrupt` is called with the child once it runs, to send it signals. */
function switchyard(env: Record<string, string>, args: string[], interrupt?: (child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    interrupt?.(child);
  });
}

/**
 * The bin against real S3 (Ceph RGW): local storage → S3, a Ctrl-C (SIGINT) mid-copy stops at a
 * checkpoint and the next run resumes there; two shards verify the whole bucket between them.
 */
describe('switchyard (the bin) copying to Ceph RGW', () => {
  let env: Record<string, string>;
  let stateDir: string;
  const COUNT = 240;

  beforeAll(async () => {
    const ceph = peerEnv('ceph-rgw');
    const dir = await mkdtemp(join(tmpdir(), 'sy-migrate-cli-'));
    stateDir = join(dir, 'state');
    const bucket = `sy-cli-${Date.now()}`;
    const s3 = new S3Client({
      endpoint: ceph.S3_ENDPOINT,
      region: ceph.S3_REGION ?? 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: ceph.S3_ACCESS_KEY_ID as string, secretAccessKey: ceph.S3_SECRET_ACCESS_KEY as string },
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    s3.destroy();
    const local = await createLocalStorage({ directory: join(dir, 'local', 'storage') });
    for (let i = 0; i < COUNT; i++)
      await local.put(`photos/${String(i).padStart(4, '0')}.jpg`, `photo ${i} `.repeat(200), { contentType: 'image/jpeg' });
    await local.close();
    env = {
      SWITCHYARD_MIGRATE_FROM: 'local',
      SWITCHYARD_MIGRATE_TO: 'aws',
      SWITCHYARD_MIGRATE_PORTS: 'storage',
      SWITCHYARD_MIGRATE_DIR: stateDir,
      SWITCHYARD_LOCAL_DIR: join(dir, 'local'),
      SWITCHYARD_STORAGE: 'local',
      AWS_REGION: ceph.S3_REGION ?? 'us-east-1',
      AWS_S3_BUCKET: bucket,
      AWS_S3_ENDPOINT: ceph.S3_ENDPOINT as string,
      AWS_S3_FORCE_PATH_STYLE: 'true',
      AWS_S3_CHECKSUMS: 'when_required',
      AWS_ACCESS_KEY_ID: ceph.S3_ACCESS_KEY_ID as string,
      AWS_SECRET_ACCESS_KEY: ceph.S3_SECRET_ACCESS_KEY as string,
    };
  }, 120_000);

  it('stops cleanly at a checkpoint on SIGINT and resumes there without copying anything twice', async () => {
    const checkpoint = join(stateDir, 'copy-objects.json');
    const stopped = await switchyard(env, ['copy', 'objects', '--page-size', '20', '--concurrency', '2', '--json'], (child) => {
      const poll = setInterval(() => {
        if (existsSync(checkpoint) && JSON.parse(readFileSync(checkpoint, 'utf8')).cursor) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 20);
      child.on('close', () => clearInterval(poll));
    });
    expect(stopped.stderr).toContain('stopping at the next checkpoint');
    expect(stopped.code).toBe(130);
    const first = JSON.parse(stopped.stdout) as { counts: { copied: number }; done: boolean; stopped: boolean };
    expect(first).toMatchObject({ done: false, stopped: true });
    expect(first.counts.copied).toBeGreaterThan(0);
    expect(first.counts.copied).toBeLessThan(COUNT);

    const resumed = await switchyard(env, ['copy', 'objects', '--page-size', '20', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const second = JSON.parse(resumed.stdout) as { counts: { copied: number; unchanged: number; failed: number }; done: boolean };
    // Counts carry over from the checkpoint; items of the interrupted page are looked at again, never copied twice.
    expect(second).toMatchObject({ done: true, counts: { failed: 0 } });
    expect(second.counts.copied + second.counts.unchanged).toBe(COUNT);
  }, 180_000);

  it('verifies in two shards that split the bucket between them, each with its own checkpoint', async () => {
    const shards = await Promise.all(['1/2', '2/2'].map((shard) => switchyard(env, ['verify', 'objects', '--shard', shard, '--json'])));
    const counts = shards.map((run) => (JSON.parse(run.stdout) as { counts: { same: number; missing: number } }).counts);
    expect(shards.map((run) => run.code)).toEqual([0, 0]);
    expect(counts[0]!.same + counts[1]!.same).toBe(COUNT);
    expect(counts[0]!.same * counts[1]!.same).toBeGreaterThan(0);
    const status = await switchyard(env, ['status', '--json']);
    expect(JSON.parse(status.stdout).ports[0]).toMatchObject({
      port: 'storage',
      phase: 1,
      verify: { done: true, shards: { seen: 2, of: 2 }, counts: { same: COUNT } },
    });
  }, 120_000);
});
