import { describeStoragePort } from '@switchyard/contract-tests';
import { FaultProxy } from '@switchyard/test-peers';
import { createS3Storage } from '../src/s3/index.js';
import { CEPH_LIMITS, createPeerBucket } from './s3-peers.js';

// Ceph RGW is the reference S3 peer: it verifies SigV4, enforces POST policies and signed content
// types, and checks conditional writes. The whole contract runs in both checksum modes: with the
// SDK's default (also the adapter's) through form POST uploads and a fault proxy, and with
// `when_required` through signed PUT uploads, so both kinds of upload URL meet a real verifier.
const REQUEST_TIMEOUT_MS = 1_000;
const MAX_ATTEMPTS = 2;

describeStoragePort('S3Storage on Ceph RGW (checksums: when_supported, form POST uploads)', async () => {
  const bucket = await createPeerBucket('ceph-rgw');
  const endpoint = bucket.options().endpoint ?? '';
  const proxy = await FaultProxy.start({ port: Number(new URL(endpoint).port) });
  const port = await createS3Storage(
    bucket.options({
      endpoint: proxy.url(endpoint),
      limits: CEPH_LIMITS,
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
      await bucket.remove();
    },
  };
});

describeStoragePort('S3Storage on Ceph RGW (checksums: when_required, signed PUT uploads)', async () => {
  const bucket = await createPeerBucket('ceph-rgw');
  const port = await createS3Storage(bucket.options({ checksums: 'when_required', presign: 'put', limits: CEPH_LIMITS }));
  return {
    port,
    harness: undefined,
    teardown: async () => {
      await port.close();
      await bucket.remove();
    },
  };
});
