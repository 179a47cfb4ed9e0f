import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { adapterErrors, redactUrl, type StoragePort, SwitchyardError, storagePort } from '@switchyard/core/adapter/storage';
import { type ResolvedS3Options, resolveS3Options, type S3StorageOptions } from './options.js';
import { S3Storage } from './s3-storage.js';
import { loadS3Sdk, type S3SdkImporters } from './sdk.js';

/** Seams for tests. */
export interface S3StorageDependencies {
  /** Replaces the dynamic imports of the SDK packages, for example to simulate one not being installed. */
  importers?: Partial<S3SdkImporters>;
}

const errors = adapterErrors('storage', 'aws');

const ignore = () => undefined;
// The SDK warns on `console` when given no logger (a failed streaming request); the library prints
// nothing by itself, and the failure reaches the caller as a SwitchyardError anyway.
const SILENT = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: ignore };

function clientConfig(options: ResolvedS3Options, checksums: ResolvedS3Options['checksums']): S3ClientConfig {
  const when = checksums === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
  return {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    requestChecksumCalculation: when,
    responseChecksumValidation: when,
    // The SDK waits forever by default; a silent endpoint must fail a call, not hang it.
    requestHandler: { connectionTimeout: options.connectionTimeoutMs, socketTimeout: options.requestTimeoutMs },
    maxAttempts: options.maxAttempts,
    logger: SILENT,
  };
}

/**
 * Creates a StoragePort on an S3 bucket (or an S3-compatible server through `endpoint`).
 *
 * Needs the optional peers `@aws-sdk/client-s3`, `@aws-sdk/lib-storage`,
 * `@aws-sdk/s3-request-presigner` and `@aws-sdk/s3-presigned-post`, plus
 * `@aws-sdk/cloudfront-signer` when `cloudFront.keyPairId` is set. Only client-s3 (and the
 * CloudFront signer) are loaded and checked here; without them this fails with a CONFIG error
 * naming the packages to install. The other three are imported on first use, which keeps cold
 * starts short: lib-storage by a multipart `put` (above `multipartThreshold`, or a stream of
 * unknown length), the presigner by `createDownloadUrl` and PUT upload URLs, s3-presigned-post by
 * POST upload URLs; a missing one fails that call with CONFIG naming the package. Bad options fail
 * with one CONFIG error listing every problem. No request is sent here: a wrong bucket or
 * credentials show up on the first call. Given a `client`, the port sends through it and `close`
 * leaves it open.
 *
 * @example
 * const storage = await createS3Storage({ bucket: 'my-app-uploads', region: 'eu-west-1' });
 * await storage.put('avatars/42.png', bytes, { contentType: 'image/png' });
 * const { url, fields } = await storage.createUploadUrl('avatars/43.png', { contentType: 'image/png', maxBytes: 5_000_000 });
 */
export async function createS3Storage(options: S3StorageOptions, dependencies: S3StorageDependencies = {}): Promise<StoragePort> {
  const resolved = resolveS3Options(options);
  const sdk = await loadS3Sdk(resolved.cloudFront?.signer !== undefined, dependencies.importers).catch((error: unknown) => {
    if (SwitchyardError.isInstance(error)) throw error;
    throw errors.config('The AWS SDK for S3 is installed but failed to load; check that all @aws-sdk/* packages share one version.', {
      cause: error,
    });
  });
  const given = options.client as S3Client | undefined;
  let driver: S3Storage;
  try {
    const client = given ?? new sdk.s3.S3Client(clientConfig(resolved, resolved.checksums));
    // A checksum computed when signing covers an empty body, so a signed PUT with one could never be used.
    // The signer never sends: no request handler, retries or logger, whose log filtering walks each
    // command's input (~3 µs of a ~60 µs presign).
    const { requestHandler: _handler, maxAttempts: _attempts, logger: _logger, ...signing } = clientConfig(resolved, 'when_required');
    const signer = new sdk.s3.S3Client(given && !resolved.credentials ? { ...signing, credentials: given.config.credentials } : signing);
    driver = new S3Storage(sdk, client, signer, resolved, given === undefined);
  } catch (error) {
    throw errors.config('Could not create the S3 client from these options; see `cause`.', { cause: error });
  }
  // The clients hold the credentials and the options the CloudFront private key: print neither.
  const summary = {
    bucket: resolved.bucket,
    region: resolved.region,
    ...(resolved.endpoint ? { endpoint: redactUrl(resolved.endpoint) } : {}),
  };
  return storagePort(driver, { provider: 'aws', onEvent: options.onEvent, summary });
}
