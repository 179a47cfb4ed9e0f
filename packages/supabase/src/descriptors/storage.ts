import { describeAdapter, setting } from '@switchyard/core/adapter/descriptor';
import type { StoragePort } from '@switchyard/core/adapter/storage';
import type { SupabaseStorageOptions } from '../storage/options.js';
import { defined, projectUrl, requiredText, serviceRoleKey, wholeNumber } from './settings.js';

/** `SWITCHYARD_STORAGE=supabase`: a Supabase Storage bucket, over storage-api's HTTP API with fetch. */
export const supabaseStorage = describeAdapter({
  name: 'supabase',
  port: 'storage',
  module: '@switchyard/supabase/storage',
  description: 'Supabase Storage: one bucket, signed upload and download URLs, public URLs for a public bucket.',
  settings: {
    url: projectUrl,
    serviceRoleKey,
    bucket: requiredText('SUPABASE_STORAGE_BUCKET', 'the Storage bucket name', {
      description: 'the Storage bucket every key lives in; it must already exist',
      example: 'uploads',
    }),
    publicBucket: setting.boolean('SUPABASE_STORAGE_PUBLIC_BUCKET', false, {
      description: 'the bucket is public, so publicUrl works (checked against the bucket on first use)',
      example: 'true',
    }),
    maxKeySegmentBytes: wholeNumber('SUPABASE_STORAGE_MAX_KEY_SEGMENT_BYTES', '255 for self-hosted Storage on its file backend', {
      description: 'the most UTF-8 bytes between two "/" of a key; 255 for self-hosted Storage on its file backend',
      example: '255',
      default: 'no limit (hosted Supabase)',
    }),
    fileSizeLimit: wholeNumber('SUPABASE_STORAGE_FILE_SIZE_LIMIT', "the project's upload size limit in bytes", {
      description: "the project's upload size limit in bytes, enforced on streamed bodies of unknown size",
      example: '52428800',
      default: "the bucket's file_size_limit only",
    }),
    timeoutMs: wholeNumber('SUPABASE_STORAGE_TIMEOUT_MS', 'milliseconds a request may go without progress', {
      description: 'milliseconds one request may go without a byte sent or received',
      example: '30000',
      default: '30000',
    }),
    uploadUrlLifetimeSeconds: wholeNumber(
      'SUPABASE_STORAGE_UPLOAD_URL_LIFETIME_SECONDS',
      "the server's signed upload URL lifetime in seconds",
      {
        description: 'the signed upload URL lifetime to declare until the server has signed one (the server fixes it)',
        example: '7200',
        default: '7200',
      },
    ),
  },
  options: (values): SupabaseStorageOptions =>
    defined({
      url: values.url,
      serviceRoleKey: values.serviceRoleKey,
      bucket: values.bucket,
      publicBucket: values.publicBucket || undefined,
      maxKeySegmentBytes: values.maxKeySegmentBytes,
      fileSizeLimit: values.fileSizeLimit,
      timeoutMs: values.timeoutMs,
      uploadUrlLifetimeSeconds: values.uploadUrlLifetimeSeconds,
    }) as SupabaseStorageOptions,
  // Storage speaks storage-api's HTTP API with fetch: no client to install.
  peers: () => [],
  async create(options, context): Promise<StoragePort> {
    const { createSupabaseStorage } = await import('../storage/index.js');
    return createSupabaseStorage({ ...options, ...(context.onEvent ? { onEvent: context.onEvent } : {}) });
  },
});
