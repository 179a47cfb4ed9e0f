import type { S3StorageOptions } from '@switchyard/aws/s3';
import type { SupabaseStorageOptions } from '@switchyard/supabase/storage';
import { awsCredentials, type TargetDefinition } from './definition.js';

const HTTP = ['http:', 'https:'];

export const awsS3: TargetDefinition<'aws-s3', S3StorageOptions> = {
  name: 'aws-s3',
  port: 'storage',
  adapter: 'createS3Storage (@switchyard/aws/s3)',
  required: 'AWS_REGION, AWS_S3_BUCKET',
  optional:
    'AWS_S3_ENDPOINT, AWS_S3_FORCE_PATH_STYLE, AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), AWS_S3_CHECKSUMS, ' +
    'AWS_S3_POST_POLICY, AWS_S3_SIGNATURES, AWS_S3_CONDITIONAL_WRITES, AWS_S3_KEY_CHARACTERS, AWS_S3_MAX_KEY_SEGMENT_BYTES',
  read({ env }) {
    const endpoint =
      env.optional('AWS_S3_ENDPOINT') === undefined ? undefined : env.url('AWS_S3_ENDPOINT', HTTP, 'an S3-compatible endpoint URL');
    const pathStyle = env.oneOf('AWS_S3_FORCE_PATH_STYLE', ['true', 'false'] as const);
    const credentials = awsCredentials(env);
    const checksums = env.oneOf('AWS_S3_CHECKSUMS', ['when_supported', 'when_required'] as const);
    const limits = Object.fromEntries(
      Object.entries({
        postPolicy: env.oneOf('AWS_S3_POST_POLICY', ['enforced', 'except-size', 'not-enforced'] as const),
        signatures: env.oneOf('AWS_S3_SIGNATURES', ['verified', 'not-verified'] as const),
        conditionalWrites: env.oneOf('AWS_S3_CONDITIONAL_WRITES', ['enforced', 'put-only', 'not-enforced'] as const),
        keyCharacters: env.optional('AWS_S3_KEY_CHARACTERS'),
        maxKeySegmentBytes: env.wholeNumber('AWS_S3_MAX_KEY_SEGMENT_BYTES', 'the bytes between two "/" the endpoint can store'),
      }).filter(([, value]) => value !== undefined),
    );
    return {
      region: env.required('AWS_REGION', 'an AWS region such as eu-west-1'),
      bucket: env.required('AWS_S3_BUCKET', 'a test bucket whose name starts with SWITCHYARD_LIVE_PREFIX'),
      ...(endpoint ? { endpoint } : {}),
      forcePathStyle: pathStyle === undefined ? endpoint !== undefined : pathStyle === 'true',
      ...(credentials ? { credentials } : {}),
      ...(checksums ? { checksums } : {}),
      ...(Object.keys(limits).length > 0 ? { limits } : {}),
    };
  },
  containers: (options) => [{ variable: 'AWS_S3_BUCKET', kind: 'bucket', name: options.bucket, id: options.bucket }],
};

export const supabaseStorage: TargetDefinition<'supabase-storage', SupabaseStorageOptions> = {
  name: 'supabase-storage',
  port: 'storage',
  adapter: 'createSupabaseStorage (@switchyard/supabase/storage)',
  required: 'SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, SUPABASE_STORAGE_BUCKET',
  optional: 'SUPABASE_STORAGE_MAX_KEY_SEGMENT_BYTES, SUPABASE_STORAGE_FILE_SIZE_LIMIT, SUPABASE_STORAGE_TIMEOUT_MS',
  read({ env }) {
    const maxKeySegmentBytes = env.wholeNumber('SUPABASE_STORAGE_MAX_KEY_SEGMENT_BYTES', '255 for self-hosted Storage on its file backend');
    const fileSizeLimit = env.wholeNumber('SUPABASE_STORAGE_FILE_SIZE_LIMIT', "the project's upload size limit in bytes");
    const timeoutMs = env.wholeNumber('SUPABASE_STORAGE_TIMEOUT_MS', 'milliseconds a request may go without progress');
    return {
      url: env.url('SUPABASE_URL', HTTP, 'the project URL, e.g. https://abcdefgh.supabase.co'),
      serviceRoleKey: env.required('SUPABASE_SERVICE_ROLE_KEY', 'the service_role key from the project API settings'),
      bucket: env.required('SUPABASE_STORAGE_BUCKET', 'a test bucket whose name starts with SWITCHYARD_LIVE_PREFIX'),
      ...(maxKeySegmentBytes ? { maxKeySegmentBytes } : {}),
      ...(fileSizeLimit ? { fileSizeLimit } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
    };
  },
  containers: (options) => [{ variable: 'SUPABASE_STORAGE_BUCKET', kind: 'bucket', name: options.bucket, id: options.bucket }],
};
