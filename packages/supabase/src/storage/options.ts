import type { OnEvent } from '@switchyard/core/adapter/storage';
import { unverifiedJwtPayload } from '@switchyard/core/adapter/storage';
import { requireSettings } from '../shared/config.js';
import { errors } from './errors.js';

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
   * The signed upload URL lifetime to declare (`capabilities.uploadUrlExpiry`) until the server has
   * signed one: the server decides it (`UPLOAD_SIGNED_URL_EXPIRATION_TIME`; hosted Supabase documents
   * 2 hours, the default here; self-hosted storage-api defaults to 60 s), and from the first signed
   * URL on the adapter declares what the server's token says. `expiresAt` always comes from the token.
   */
  uploadUrlLifetimeSeconds?: number;
  /**
   * The most UTF-8 bytes a key segment (between two `/`) may hold (SUPABASE_STORAGE_MAX_KEY_SEGMENT_BYTES).
   * Self-hosted storage-api on its file backend stores each segment as a file name: set 255 there, and
   * longer segments are refused before any request. Hosted Supabase (S3 backend) has no such limit:
   * leave it unset.
   */
  maxKeySegmentBytes?: number;
  /**
   * The project's upload size limit in bytes (Storage settings; SUPABASE_STORAGE_FILE_SIZE_LIMIT).
   * storage-api checks sizes only from `Content-Length`, so the adapter enforces this, and the
   * bucket's own `file_size_limit`, on streamed bodies of unknown size.
   */
  fileSizeLimit?: number;
  /**
   * The longest one request may go without progress (no byte sent or received), in milliseconds
   * (SUPABASE_STORAGE_TIMEOUT_MS); then it fails with a retryable `UNAVAILABLE`. Default 30,000.
   */
  timeoutMs?: number;
  /** A fetch to use (tests, proxies, tracing); the global fetch by default. */
  fetch?: typeof fetch;
  onEvent?: OnEvent;
}

export interface ResolvedStorageOptions {
  url: string;
  serviceRoleKey: string;
  bucket: string;
  publicBucket: boolean;
  uploadUrlLifetimeSeconds: number;
  maxKeySegmentBytes: number | undefined;
  fileSizeLimit: number | undefined;
  timeoutMs: number;
  fetch: typeof fetch;
}

const positiveInteger = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** Checks the options, reporting every problem in one `CONFIG` error, and fills the defaults. */
export function resolveStorageOptions(options: SupabaseStorageOptions): ResolvedStorageOptions {
  const problems: string[] = [];
  for (const name of ['uploadUrlLifetimeSeconds', 'maxKeySegmentBytes', 'fileSizeLimit', 'timeoutMs'] as const) {
    if (options[name] !== undefined && !positiveInteger(options[name])) problems.push(`${name} must be a positive whole number`);
  }
  // Legacy keys are JWTs (`sb_secret_...` keys are not): an anon key given as the service-role key
  // would be served as an anonymous caller under RLS. Not verified: the server does that.
  const role = typeof options.serviceRoleKey === 'string' ? unverifiedJwtPayload(options.serviceRoleKey)?.role : undefined;
  if (typeof role === 'string' && role !== 'service_role') {
    problems.push(`serviceRoleKey is a key for the "${role}" role; give the service_role key (SUPABASE_SERVICE_ROLE_KEY)`);
  }
  const url = requireSettings(errors, 'storage', { ...options }, ['serviceRoleKey', 'bucket'], problems);
  return {
    url,
    serviceRoleKey: options.serviceRoleKey,
    bucket: options.bucket,
    publicBucket: options.publicBucket === true,
    uploadUrlLifetimeSeconds: options.uploadUrlLifetimeSeconds ?? 7200,
    maxKeySegmentBytes: options.maxKeySegmentBytes,
    fileSizeLimit: options.fileSizeLimit,
    timeoutMs: options.timeoutMs ?? 30_000,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
  };
}
