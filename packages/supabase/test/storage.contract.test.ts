import { describeStoragePort } from '@switchyard/contract-tests';
import { startFaultedSupabaseStorage } from './storage-fixture.js';

/** The fake answers at once, but 50 concurrent uploads on 2 shared cores can take a second; 2 s keeps the fault cases quick. */
const TIMEOUT_MS = 2_000;

describeStoragePort('SupabaseStorage (fake Storage API, file backend: 255-byte segments)', async () => {
  const { storage, proxy, stop } = await startFaultedSupabaseStorage(TIMEOUT_MS, { maxKeySegmentBytes: 255 });
  return { port: storage, harness: undefined, faults: Object.assign(proxy, { timeoutMs: TIMEOUT_MS }), teardown: stop };
});

describeStoragePort('SupabaseStorage on a public bucket (fake Storage API, no segment limit as on hosted S3)', async () => {
  const { storage, proxy, stop } = await startFaultedSupabaseStorage(TIMEOUT_MS, { publicBucket: true }, { maxKeySegmentBytes: 1024 });
  return { port: storage, harness: undefined, faults: Object.assign(proxy, { timeoutMs: TIMEOUT_MS }), teardown: stop };
});
