import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoragePort } from '@switchyard/core/adapter';
import { afterAll, beforeAll } from 'vitest';
import { createS3Storage, type S3StorageOptions } from '../src/s3/index.js';
import { type SigV4Gate, startSigV4Gate } from './s3-sigv4-gate.js';

/** s3rver's built-in account: https://github.com/jamhall/s3rver#signed-urls */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * What s3rver 3.7.1 does not do that S3 does: it accepts any form POST (no policy check) and
 * ignores If-Match / If-None-Match on PUT. Signatures count as verified: the SigV4 gate checks them.
 */
export const S3RVER_LIMITS: NonNullable<S3StorageOptions['limits']> = { postPolicy: 'not-enforced', conditionalWrites: 'not-enforced' };

export interface S3rver {
  /** The SigV4 gate in front of s3rver: give this to the adapter. */
  endpoint: string;
  bucket: string;
  /** Every request that reached the gate (`METHOD /path?query`). */
  requests: string[];
  /** Options for `createS3Storage` pointing at this server. */
  options(extra?: Partial<S3StorageOptions>): S3StorageOptions;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 20_000;

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`s3rver did not start within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}; output:\n${output}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /S3rver listening on [\d.]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`s3rver exited (code ${code}, signal ${signal}) before listening`)));
  });
}

/**
 * Starts s3rver 3.7.1 as a child process (s3rver-child.cjs) on a free port with a fresh directory
 * and bucket, behind a SigV4 gate (see s3-sigv4-gate.ts). Fails loudly when it cannot start: these tests never skip.
 */
export async function startS3rver(): Promise<S3rver> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const bucket = `sy-test-${randomBytes(4).toString('hex')}`;
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./s3rver-child.cjs', import.meta.url)), directory, bucket],
    // s3rver encrypts continuation tokens with DES, which OpenSSL 3 only offers from its legacy provider.
    { env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let gate: SigV4Gate | undefined;
  try {
    const port = await waitForPort(child);
    child.removeAllListeners('exit');
    gate = await startSigV4Gate(new URL(`http://127.0.0.1:${port}`), {
      [S3RVER_CREDENTIALS.accessKeyId]: S3RVER_CREDENTIALS.secretAccessKey,
    });
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const { endpoint, requests } = gate;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    endpoint,
    bucket,
    requests,
    options: (extra = {}) => ({
      bucket,
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
      checksums: 'when_required',
      // What s3rver does not enforce, so the adapter declares only what holds here.
      limits: S3RVER_LIMITS,
      ...extra,
    }),
    async stop() {
      await gate?.close();
      child.kill('SIGTERM');
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * One s3rver for the enclosing `describe` block, and adapters opened on it; all are closed after
 * the block. `server()` is defined once the block's tests run.
 */
export function s3rverForSuite(): { server(): S3rver; open(extra?: Partial<S3StorageOptions>): Promise<StoragePort> } {
  let server: S3rver | undefined;
  const opened: StoragePort[] = [];
  beforeAll(async () => {
    server = await startS3rver();
  });
  afterAll(async () => {
    await Promise.all(opened.map((storage) => storage.close()));
    await server?.stop();
  });
  const running = (): S3rver => {
    if (!server) throw new Error('s3rver failed to start; see the beforeAll error');
    return server;
  };
  return {
    server: running,
    async open(extra = {}) {
      const storage = await createS3Storage(running().options(extra));
      opened.push(storage);
      return storage;
    },
  };
}
