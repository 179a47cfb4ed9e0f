import { createS3Storage } from '@switchyard/aws/s3';
import { describeStoragePort } from '@switchyard/contract-tests';
import { DualStorage, type ReadMode } from '@switchyard/core';
import { startS3rver } from '@switchyard/test-peers/s3rver';
import { startLocalStorage } from './support/local-storage.js';

for (const reads of ['fallback', 'compare'] as ReadMode[]) {
  describeStoragePort(`DualStorage (local + local, reads ${reads})`, async () => {
    const primary = await startLocalStorage();
    const shadow = await startLocalStorage();
    const port = new DualStorage({ primary: primary.storage, shadow: shadow.storage, reads, copyForward: true });
    return {
      port,
      harness: undefined,
      teardown: async () => {
        await port.close();
        await Promise.all([primary.stop(), shadow.stop()]);
      },
    };
  });
}

describeStoragePort('DualStorage (S3 on s3rver + local, reads fallback)', async () => {
  const server = await startS3rver();
  const primary = await createS3Storage(server.options({ presign: 'put' }));
  const shadow = await startLocalStorage();
  const port = new DualStorage({ primary, shadow: shadow.storage, reads: 'fallback', copyForward: true, shadowTimeoutMs: 5_000 });
  return {
    port,
    harness: undefined,
    teardown: async () => {
      await port.close();
      await Promise.all([server.stop(), shadow.stop()]);
    },
  };
});

describeStoragePort('DualStorage (local + S3 on s3rver, reads compare)', async () => {
  const server = await startS3rver();
  const primary = await startLocalStorage();
  const shadow = await createS3Storage(server.options({ presign: 'put' }));
  const port = new DualStorage({ primary: primary.storage, shadow, reads: 'compare', shadowTimeoutMs: 5_000 });
  return {
    port,
    harness: undefined,
    teardown: async () => {
      await port.close();
      await Promise.all([server.stop(), primary.stop()]);
    },
  };
});
