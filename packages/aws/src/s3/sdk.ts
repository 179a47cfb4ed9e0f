import { loadPeer } from '../shared/peer.js';

/** The SDK modules S3Storage uses, loaded on demand so `@switchyard/aws/s3` costs nothing until used. */
export interface S3Sdk {
  s3: typeof import('@aws-sdk/client-s3');
  storage: typeof import('@aws-sdk/lib-storage');
  presigner: typeof import('@aws-sdk/s3-request-presigner');
  post: typeof import('@aws-sdk/s3-presigned-post');
  cloudFront?: typeof import('@aws-sdk/cloudfront-signer') | undefined;
}

const PACKAGES = ['@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@aws-sdk/s3-request-presigner', '@aws-sdk/s3-presigned-post'];

export async function loadS3Sdk(withCloudFrontSigner: boolean): Promise<S3Sdk> {
  const meta = { port: 'storage' as const, subpath: 's3', packages: PACKAGES };
  const [s3, storage, presigner, post] = await Promise.all([
    loadPeer(() => import('@aws-sdk/client-s3'), meta),
    loadPeer(() => import('@aws-sdk/lib-storage'), meta),
    loadPeer(() => import('@aws-sdk/s3-request-presigner'), meta),
    loadPeer(() => import('@aws-sdk/s3-presigned-post'), meta),
  ]);
  const cloudFront = withCloudFrontSigner
    ? await loadPeer(() => import('@aws-sdk/cloudfront-signer'), { ...meta, packages: ['@aws-sdk/cloudfront-signer'] })
    : undefined;
  return { s3, storage, presigner, post, cloudFront };
}
