import { redactUrl, type StoragePort, storagePort } from '@switchyard/core/adapter/storage';
import { resolveStorageOptions, type SupabaseStorageOptions } from './options.js';
import { SupabaseStorageDriver } from './supabase-storage.js';

export type { SupabaseStorageOptions } from './options.js';
export { SupabaseStorageDriver } from './supabase-storage.js';

/**
 * Creates a StoragePort on a Supabase Storage bucket (reporting to `onEvent` when given). Makes no
 * request: the first call checks the key and the bucket, and reports either as `CONFIG`.
 */
export async function createSupabaseStorage(options: SupabaseStorageOptions): Promise<StoragePort> {
  const resolved = resolveStorageOptions(options);
  return storagePort(new SupabaseStorageDriver(resolved), {
    provider: 'supabase',
    onEvent: options.onEvent,
    summary: { url: redactUrl(resolved.url), bucket: resolved.bucket },
  });
}
