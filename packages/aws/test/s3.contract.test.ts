import { describeStoragePort } from '@switchyard/contract-tests';
import { S3RVER_LIMITS, startS3rver } from '@switchyard/test-peers/s3rver';
import { faultFixture } from './s3-fault-fixture.js';

// s3rver ignores POST policies and conditional headers (S3RVER_LIMITS), so upload URLs are signed
// PUTs, whose expiry s3rver checks and whose signature the SigV4 gate checks. Every request goes
// through a fault proxy, which turns on the contract's fault cases. 2 s without a byte, not less:
// s3rver answers 50 concurrent puts one after another, and on a loaded machine the last waits over
// a second (1,000 ms failed the contract's concurrent-puts case when run beside s3.test.ts).
describeStoragePort('S3Storage on s3rver', async () => {
  const server = await startS3rver();
  return faultFixture(server.options({ limits: S3RVER_LIMITS }), { requestTimeoutMs: 2_000, maxAttempts: 2 }, () => server.stop());
});
