import { loadPeer } from '../shared/peer.js';

/** The SDK modules S3Storage uses, loaded on demand so `@switchyard/aws/s3` costs nothing until used. */
export interface S3Sdk {
  s3: typeof import('@aws-sdk/client-s3');
  storage: typeof import('@aws-sdk/lib-storage');
  presigner: typeof import('@aws-sdk/s3-request-presigner');
  post: typeof import('@aws-sdk/s3-presigned-post');
  cloudFront?: typeof import('@aws-sdk/cloudfront-signer') | undefined;
}

/**
 * One importer per SDK module; tests replace one to simulate a package that is not installed.
 * Typed loosely so that no SDK type reaches the public declarations.
 */
export type S3SdkImporters = Record<'s3' | 'storage' | 'presigner' | 'post' | 'cloudFront', () => Promise<unknown>>;

/** The packages every S3Storage needs; `@aws-sdk/cloudfront-signer` only with a CloudFront key pair. */
export const S3_PACKAGES = ['@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@aws-sdk/s3-request-presigner', '@aws-sdk/s3-presigned-post'];

// Literal specifiers, so bundlers (esbuild for Lambda) see and include exactly these packages.
const DEFAULT_IMPORTERS: { [K in keyof S3Sdk]-?: () => Promise<NonNullable<S3Sdk[K]>> } = {
  s3: () => import('@aws-sdk/client-s3'),
  storage: () => import('@aws-sdk/lib-storage'),
  presigner: () => import('@aws-sdk/s3-request-presigner'),
  post: () => import('@aws-sdk/s3-presigned-post'),
  cloudFront: () => import('@aws-sdk/cloudfront-signer'),
};

/** Loads the SDK, failing with a CONFIG error that says what to install when a package is missing. */
export async function loadS3Sdk(withCloudFrontSigner: boolean, importers: Partial<S3SdkImporters> = {}): Promise<S3Sdk> {
  const use = { ...DEFAULT_IMPORTERS, ...(importers as Partial<typeof DEFAULT_IMPORTERS>) };
  const meta = { port: 'storage' as const, subpath: 's3', packages: S3_PACKAGES };
  const [s3, storage, presigner, post] = await Promise.all([
    loadPeer(use.s3, meta),
    loadPeer(use.storage, meta),
    loadPeer(use.presigner, meta),
    loadPeer(use.post, meta),
  ]);
  const cloudFront = withCloudFrontSigner
    ? await loadPeer(use.cloudFront, { ...meta, packages: ['@aws-sdk/cloudfront-signer'] })
    : undefined;
  return { s3, storage, presigner, post, cloudFront };
}
