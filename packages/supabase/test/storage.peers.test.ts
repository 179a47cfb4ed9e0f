import { describeStoragePort } from '@switchyard/contract-tests';
import { FaultProxy } from '@switchyard/test-peers';
import { createSupabaseStorage } from '../src/storage/index.js';
import { createBucket, storagePeer } from './storage-peer.js';

/**
 * Short enough for the fault cases to run quickly, long enough for the real server on 2 busy cores
 * (50 concurrent uploads there went 2 s without an answer).
 */
const TIMEOUT_MS = 5_000;

/** The StoragePort contract against the real Storage API server, through a fault proxy. */
async function realStorage(settings: { public: boolean }) {
  const peer = storagePeer();
  const bucket = await createBucket(peer, { public: settings.public });
  const proxy = await FaultProxy.start({ port: Number(new URL(peer.url).port) });
  const storage = await createSupabaseStorage({
    url: proxy.url(peer.url),
    serviceRoleKey: peer.serviceRoleKey,
    bucket: bucket.bucket,
    publicBucket: settings.public,
    // The peer stores objects on its file backend, whose file names hold at most 255 bytes.
    maxKeySegmentBytes: 255,
    timeoutMs: TIMEOUT_MS,
  });
  return {
    port: storage,
    harness: undefined,
    faults: Object.assign(proxy, { timeoutMs: TIMEOUT_MS }),
    async teardown() {
      await proxy.close();
      await bucket.drop();
    },
  };
}

describeStoragePort('SupabaseStorage (real Storage API server)', () => realStorage({ public: false }));

describeStoragePort('SupabaseStorage on a public bucket (real Storage API server)', () => realStorage({ public: true }));
