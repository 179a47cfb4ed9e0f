import { describeStoragePort } from '@switchyard/contract-tests';
import { startSupabaseStorage } from './storage-fixture.js';

describeStoragePort('SupabaseStorage (supabase-js against the fake Storage API)', async () => {
  const { storage, stop } = await startSupabaseStorage();
  return { port: storage, harness: undefined, teardown: stop };
});

describeStoragePort('SupabaseStorage on a public bucket', async () => {
  const { storage, stop } = await startSupabaseStorage({ publicBucket: true });
  return { port: storage, harness: undefined, teardown: stop };
});
