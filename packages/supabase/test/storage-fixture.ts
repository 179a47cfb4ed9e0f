import type { StoragePort } from '@switchyard/core';
import { createSupabaseStorage, type SupabaseStorageOptions } from '../src/storage/index.js';
import { type FakeStorage, startFakeStorage } from './fakes/storage-api.js';

export const SERVICE_ROLE_KEY = 'fake-service-role-key';
export const BUCKET = 'uploads';

/** The real supabase-js client, through the adapter, against the fake Storage API. */
export async function startSupabaseStorage(
  options: Partial<SupabaseStorageOptions> = {},
): Promise<{ storage: StoragePort; fake: FakeStorage; stop(): Promise<void> }> {
  const fake = await startFakeStorage({ serviceRoleKey: SERVICE_ROLE_KEY, bucket: BUCKET, publicBucket: options.publicBucket === true });
  const storage = await createSupabaseStorage({ url: fake.url, serviceRoleKey: SERVICE_ROLE_KEY, bucket: BUCKET, ...options });
  return { storage, fake, stop: () => fake.close() };
}
