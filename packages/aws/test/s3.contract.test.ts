import { describeStoragePort } from '@switchyard/contract-tests';
import { FaultProxy } from '@switchyard/test-peers';
import { createS3Storage } from '../src/s3/index.js';
import { S3RVER_LIMITS, startS3rver } from './s3-server.js';

// Short bounds so the fault cases settle quickly: one call waits at most about
// maxAttempts × requestTimeoutMs (plus the SDK's sub-second backoff). Not shorter: s3rver answers
// 50 concurrent puts one after another, and on a loaded machine the last waits over a second
// without a byte (1,000 ms failed the contract's concurrent-puts case when run beside s3.test.ts).
const REQUEST_TIMEOUT_MS = 2_000;
const MAX_ATTEMPTS = 2;

// s3rver ignores POST policies and conditional headers (S3RVER_LIMITS), so upload URLs are signed
// PUTs, whose expiry s3rver checks and whose signature the SigV4 gate checks. Every request goes
// through a fault proxy, which turns on the contract's fault cases.
describeStoragePort('S3Storage on s3rver', async () => {
  const server = await startS3rver();
  const proxy = await FaultProxy.start({ port: Number(new URL(server.endpoint).port) });
  const port = await createS3Storage(
    server.options({
      endpoint: proxy.url(server.endpoint),
      limits: S3RVER_LIMITS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      connectionTimeoutMs: REQUEST_TIMEOUT_MS,
      maxAttempts: MAX_ATTEMPTS,
    }),
  );
  return {
    port,
    harness: undefined,
    faults: Object.assign(proxy, { timeoutMs: MAX_ATTEMPTS * REQUEST_TIMEOUT_MS }),
    teardown: async () => {
      await port.close();
      await proxy.close();
      await server.stop();
    },
  };
});
