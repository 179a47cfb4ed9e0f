import { observe, type StoragePort } from '@switchyard/core';
import { resolveStorageOptions, type SupabaseStorageOptions } from './options.js';
import { SupabaseStorage } from './supabase-storage.js';

export type { SupabaseStorageOptions } from './options.js';
export { SupabaseStorage } from './supabase-storage.js';

/**
 * Creates a StoragePort on a Supabase Storage bucket (reporting to `onEvent` when given). Makes no
 * request: the first call checks the key and the bucket, and reports either as `CONFIG`.
 */
export async function createSupabaseStorage(options: SupabaseStorageOptions): Promise<StoragePort> {
  const storage = new SupabaseStorage(resolveStorageOptions(options));
  return observe(storage, { port: 'storage', provider: 'supabase', onEvent: options.onEvent });
}
