import type { StorageFixture } from '@switchyard/contract-tests';
import { FaultProxy } from '@switchyard/test-peers';
import { createS3Storage, type S3StorageOptions } from '../src/s3/index.js';

/**
 * A contract fixture whose every request goes through a fault proxy in front of `options.endpoint`,
 * with short bounds so the fault cases settle quickly: one call waits at most about
 * maxAttempts × requestTimeoutMs (plus the SDK's sub-second backoff), which is the harness's timeout.
 */
export async function faultFixture(
  options: S3StorageOptions,
  bounds: { requestTimeoutMs: number; maxAttempts: number },
  teardown: () => Promise<void>,
): Promise<StorageFixture> {
  const endpoint = options.endpoint ?? '';
  const proxy = await FaultProxy.start({ port: Number(new URL(endpoint).port) });
  const port = await createS3Storage({
    ...options,
    ...bounds,
    endpoint: proxy.url(endpoint),
    connectionTimeoutMs: bounds.requestTimeoutMs,
  });
  return {
    port,
    harness: undefined,
    faults: Object.assign(proxy, { timeoutMs: bounds.maxAttempts * bounds.requestTimeoutMs }),
    teardown: async () => {
      await port.close();
      await proxy.close();
      await teardown();
    },
  };
}
