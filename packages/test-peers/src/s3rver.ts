import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SigV4Gate, startSigV4Gate } from './sigv4-gate.js';

export { type SigV4Gate, startSigV4Gate } from './sigv4-gate.js';

/** s3rver's built-in account: https://github.com/jamhall/s3rver#signed-urls */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * What s3rver 3.7.1 does not do that S3 does: it accepts any form POST (no policy check) and
 * ignores If-Match / If-None-Match on PUT. Signatures count as verified: the SigV4 gate checks them.
 */
export const S3RVER_LIMITS = { postPolicy: 'not-enforced', conditionalWrites: 'not-enforced' } as const;

/**
 * The client settings for this server, in the shape `createS3Storage` of `@switchyard/aws/s3`
 * takes (declared here, not imported: the adapters devDepend on this package).
 */
export interface S3rverClientOptions {
  bucket: string;
  region: string;
  endpoint: string;
  forcePathStyle: true;
  credentials: { accessKeyId: string; secretAccessKey: string };
  checksums: 'when_required';
  limits: typeof S3RVER_LIMITS;
}

export interface S3rver {
  /** The SigV4 gate in front of s3rver: give this to the adapter. */
  endpoint: string;
  bucket: string;
  /** Every request that reached the gate (`METHOD /path?query`). */
  requests: string[];
  /** Options for `createS3Storage` pointing at this server, with `extra` over them. */
  options<Extra extends object = object>(extra?: Extra): S3rverClientOptions & Extra;
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
 * Starts s3rver 3.7.1 as a child process (../s3rver-child.cjs, beside src/ and dist/ alike) on a free port with a fresh directory
 * and bucket, behind a SigV4 gate (see sigv4-gate.ts). Fails loudly when it cannot start: these tests never skip.
 */
export async function startS3rver(): Promise<S3rver> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const bucket = `sy-test-${randomBytes(4).toString('hex')}`;
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('../s3rver-child.cjs', import.meta.url)), directory, bucket],
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
    options: <Extra extends object = object>(extra = {} as Extra) => ({
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
