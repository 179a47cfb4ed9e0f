import { s3Adapter } from '@switchyard/aws/adapters';
import { supabaseStorage as supabaseStorageAdapter } from '@switchyard/supabase/adapters';
import type { SupabaseStorageOptions } from '@switchyard/supabase/storage';
import { defineTarget, type TargetDefinition } from './definition.js';

export const awsS3 = defineTarget({
  name: 'aws-s3',
  port: 'storage',
  descriptor: s3Adapter,
  containers: (options) => [{ variable: 'AWS_S3_BUCKET', kind: 'bucket', name: options.bucket, id: options.bucket }],
});

// Annotated: the options type lives in a chunk of the built package that declarations cannot name.
export const supabaseStorage: TargetDefinition<'supabase-storage', SupabaseStorageOptions> = defineTarget({
  name: 'supabase-storage',
  port: 'storage',
  descriptor: supabaseStorageAdapter,
  containers: (options) => [{ variable: 'SUPABASE_STORAGE_BUCKET', kind: 'bucket', name: options.bucket, id: options.bucket }],
});
