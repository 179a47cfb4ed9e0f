/**
 * `@switchyard/aws/s3`: StoragePort on Amazon S3, with CloudFront public and signed URLs.
 *
 * Install the SDK clients it loads (optional peers of `@switchyard/aws`):
 * `npm install @switchyard/aws @aws-sdk/client-s3 @aws-sdk/lib-storage @aws-sdk/s3-request-presigner @aws-sdk/s3-presigned-post`,
 * plus `@aws-sdk/cloudfront-signer` for CloudFront signed URLs.
 */
export { createS3Storage, type S3StorageDependencies } from './create.js';
export type { S3EndpointLimits } from './endpoint-limits.js';
export type { CloudFrontOptions, S3ClientLike, S3StorageOptions } from './options.js';
export type { S3SdkImporters } from './sdk.js';
