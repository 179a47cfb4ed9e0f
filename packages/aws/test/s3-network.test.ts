import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import { SwitchyardError } from '@switchyard/core/adapter';
import { afterAll, describe, expect, it } from 'vitest';
import { createS3Storage, type S3StorageOptions } from '../src/s3/index.js';
import { resolveS3Options } from '../src/s3/options.js';

const base: S3StorageOptions = {
  bucket: 'net-bucket',
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  checksums: 'when_required',
};

function listen<T extends Server | HttpServer>(server: T): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

/** Accepts connections and never answers, counting them. */
async function silentServer(): Promise<{ port: number; accepted: () => number; close: () => void }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  const port = await listen(server);
  return {
    port,
    accepted: () => accepted,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** Answers a GET with headers and the first bytes of a 1,000-byte body, then stalls or drops the connection. */
async function brokenBodyServer(after: 'stall' | 'reset'): Promise<{ port: number; close: () => void }> {
  const server = createHttpServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-length': '1000', 'content-type': 'text/plain', etag: '"e"' });
    response.write('x'.repeat(100));
    if (after === 'reset') setTimeout(() => response.socket?.resetAndDestroy(), 50);
  });
  const port = await listen(server);
  return {
    port,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('S3Storage timeouts and attempts', () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('has production defaults: 5 s to connect, 30 s without a byte, 3 attempts', () => {
    expect(resolveS3Options({ bucket: 'b-1', region: 'us-east-1' })).toMatchObject({
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 30_000,
      maxAttempts: 3,
    });
  });

  it('refuses timeouts and attempts out of range in one CONFIG error', async () => {
    const error = await expectSwitchyardError(
      createS3Storage({ ...base, connectionTimeoutMs: 0, requestTimeoutMs: -1, maxAttempts: 0 }),
      'CONFIG',
    );
    for (const name of ['connectionTimeoutMs', 'requestTimeoutMs', 'maxAttempts']) expect(error.message).toContain(name);
  });

  it('gives up on a server that never answers after maxAttempts × requestTimeoutMs, with a retryable UNAVAILABLE', async () => {
    const silent = await silentServer();
    cleanups.push(silent.close);
    const storage = await createS3Storage({
      ...base,
      endpoint: `http://127.0.0.1:${silent.port}`,
      requestTimeoutMs: 300,
      maxAttempts: 2,
    });
    cleanups.push(() => storage.close());
    const started = Date.now();
    const error = await expectSwitchyardError(storage.head('a.txt'), 'UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(2 * 2 * 300 + 1_000);
    expect(silent.accepted()).toBe(2);
  });

  for (const after of ['stall', 'reset'] as const) {
    it(`turns a body that ${after === 'stall' ? 'stops arriving' : 'is cut off'} into a SwitchyardError when read`, async () => {
      const server = await brokenBodyServer(after);
      cleanups.push(server.close);
      const storage = await createS3Storage({ ...base, endpoint: `http://127.0.0.1:${server.port}`, requestTimeoutMs: 300 });
      cleanups.push(() => storage.close());
      const object = await storage.get('a.txt');
      const error = await object.bytes().catch((e: unknown) => e);
      expect(SwitchyardError.isInstance(error), `raw error: ${String(error)}`).toBe(true);
      expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true, operation: 'get' });
    });
  }
});
