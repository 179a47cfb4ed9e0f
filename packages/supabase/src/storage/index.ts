import { type OnEvent, observe, type StoragePort } from '@switchyard/core';
import { serverClient } from '../shared/client.js';
import { requireSettings } from '../shared/config.js';
import { loadSupabaseJs } from '../shared/peer.js';
import { rangeAwareFetch } from './ranged-fetch.js';
import { SupabaseStorage } from './supabase-storage.js';

export { SupabaseStorage } from './supabase-storage.js';

export interface SupabaseStorageOptions {
  /** The project URL, `https://<ref>.supabase.co` (SUPABASE_URL). */
  url: string;
  /** The service-role key (SUPABASE_SERVICE_ROLE_KEY): server-side only, it bypasses RLS. */
  serviceRoleKey: string;
  /** The bucket every key lives in (SUPABASE_STORAGE_BUCKET); it must already exist. */
  bucket: string;
  /** The bucket is public, so `publicUrl` works. Default false. */
  publicBucket?: boolean;
  /**
   * How long the server keeps a signed upload URL valid, in seconds. Storage decides this, not
   * the caller: hosted Supabase documents 2 hours (the default here); self-hosted storage-api
   * reads `UPLOAD_SIGNED_URL_EXPIRATION_TIME` (60 s when unset).
   */
  uploadUrlLifetimeSeconds?: number;
  /** A fetch for supabase-js to use (tests, proxies). */
  fetch?: typeof fetch;
  onEvent?: OnEvent;
}

/** Creates a StoragePort on a Supabase Storage bucket (reporting to `onEvent` when given). */
export async function createSupabaseStorage(options: SupabaseStorageOptions): Promise<StoragePort> {
  const url = requireSettings('storage', { ...options }, ['serviceRoleKey', 'bucket']);
  const client = serverClient(await loadSupabaseJs('storage', 'storage'), url, options.serviceRoleKey, rangeAwareFetch(options.fetch));
  const storage = new SupabaseStorage(client, {
    bucket: options.bucket,
    publicBucket: options.publicBucket === true,
    uploadUrlLifetimeSeconds: options.uploadUrlLifetimeSeconds ?? 7200,
  });
  return observe(storage, { port: 'storage', provider: 'supabase', onEvent: options.onEvent });
}
