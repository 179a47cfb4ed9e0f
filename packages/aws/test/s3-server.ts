import type { StoragePort } from '@switchyard/core/adapter';
import { type S3rver, startS3rver } from '@switchyard/test-peers/s3rver';
import { afterAll, beforeAll } from 'vitest';
import { createS3Storage, type S3StorageOptions } from '../src/s3/index.js';

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
