import type { OnEvent } from '@switchyard/core';

/** CloudFront in front of the bucket: public URLs on its domain, and signed URLs when a key pair is given. */
export interface CloudFrontOptions {
  /** e.g. `d111111abcdef8.cloudfront.net` or `cdn.example.com`. */
  domain: string;
  keyPairId?: string;
  /** The PEM private key of the CloudFront key pair. */
  privateKey?: string;
}

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** For S3-compatible servers (MinIO, s3rver, Supabase's S3 endpoint). */
  endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible servers need. */
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * `when_supported` (the SDK default since 3.729) adds CRC checksums to every request; many
   * S3-compatible servers and presigned PUTs reject them, so choose `when_required` there.
   */
  checksums?: 'when_supported' | 'when_required';
  /** Bodies larger than this, or of unknown length, go through multipart upload. Default 8 MiB. */
  multipartThreshold?: number;
  /** Multipart part size. Default 8 MiB (memory use is about queueSize × partSize). */
  partSize?: number;
  /** Parts uploaded at once. Default 4. */
  queueSize?: number;
  cloudFront?: CloudFrontOptions;
  /** What `createUploadUrl` returns by default: a form POST whose policy enforces type and size (default), or a signed PUT. */
  presign?: 'post' | 'put';
  /**
   * Whether the server enforces a POST policy's `content-length-range` and the signed content type.
   * S3 does; some S3-compatible servers do not, and then the capabilities must not claim it. Default true.
   */
  enforcesUploadLimits?: boolean;
  onEvent?: OnEvent;
}

export const MiB = 1024 * 1024;
