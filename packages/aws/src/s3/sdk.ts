import { loadPeer, SwitchyardError } from '@switchyard/core/adapter/storage';

/** The SDK modules an S3Storage loads only when an operation first needs them. */
export interface LazyS3Modules {
  /** Multipart uploads (a `put` above `multipartThreshold`, or a stream of unknown length). */
  storage: typeof import('@aws-sdk/lib-storage');
  /** Signed PUT and GET URLs. */
  presigner: typeof import('@aws-sdk/s3-request-presigner');
  /** Browser form POST uploads. */
  post: typeof import('@aws-sdk/s3-presigned-post');
}

/** The SDK modules S3Storage uses, loaded on demand so `@switchyard/aws/s3` costs nothing until used. */
export interface S3Sdk {
  s3: typeof import('@aws-sdk/client-s3');
  cloudFront?: typeof import('@aws-sdk/cloudfront-signer') | undefined;
  /**
   * One of the modules most processes need only some of, imported on its first use: together they
   * cost about as much start-up time again as client-s3. Missing or broken, it fails that call with CONFIG.
   */
  use<K extends keyof LazyS3Modules>(name: K, operation: string): Promise<LazyS3Modules[K]>;
}

/**
 * One importer per SDK module; tests replace one to simulate a package that is not installed.
 * Typed loosely so that no SDK type reaches the public declarations.
 */
export type S3SdkImporters = Record<'s3' | 'storage' | 'presigner' | 'post' | 'cloudFront', () => Promise<unknown>>;

/** The packages an S3Storage can use, all named when client-s3 itself is missing. */
export const S3_PACKAGES = ['@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@aws-sdk/s3-request-presigner', '@aws-sdk/s3-presigned-post'];

const LAZY_PACKAGES: Record<keyof LazyS3Modules, string> = {
  storage: '@aws-sdk/lib-storage',
  presigner: '@aws-sdk/s3-request-presigner',
  post: '@aws-sdk/s3-presigned-post',
};

type Importers = { s3: () => Promise<S3Sdk['s3']>; cloudFront: () => Promise<NonNullable<S3Sdk['cloudFront']>> } & {
  [K in keyof LazyS3Modules]: () => Promise<LazyS3Modules[K]>;
};

// Literal specifiers, so bundlers (esbuild for Lambda) see and include exactly these packages.
const DEFAULT_IMPORTERS: Importers = {
  s3: () => import('@aws-sdk/client-s3'),
  storage: () => import('@aws-sdk/lib-storage'),
  presigner: () => import('@aws-sdk/s3-request-presigner'),
  post: () => import('@aws-sdk/s3-presigned-post'),
  cloudFront: () => import('@aws-sdk/cloudfront-signer'),
};

function firstUseError(error: unknown, pkg: string, operation: string): SwitchyardError {
  // loadPeer throws a SwitchyardError only for a package that is not installed.
  const missing = SwitchyardError.isInstance(error);
  return new SwitchyardError({
    code: 'CONFIG',
    port: 'storage',
    provider: 'aws',
    operation,
    cause: missing ? error.cause : error,
    message: missing
      ? `@switchyard/aws/s3 needs ${pkg} for ${operation}: run npm install ${pkg}`
      : `${pkg} is installed but failed to load; check that all @aws-sdk/* packages share one version.`,
  });
}

/**
 * Loads client-s3 (and the CloudFront signer when a key pair is configured), failing with a CONFIG
 * error that says what to install when one is missing; the other modules wait for `use`.
 */
export async function loadS3Sdk(withCloudFrontSigner: boolean, importers: Partial<S3SdkImporters> = {}): Promise<S3Sdk> {
  const use = { ...DEFAULT_IMPORTERS, ...(importers as Partial<Importers>) };
  const meta = { port: 'storage' as const, provider: 'aws', module: '@switchyard/aws/s3', packages: S3_PACKAGES };
  const [s3, cloudFront] = await Promise.all([
    loadPeer(use.s3, meta),
    withCloudFrontSigner ? loadPeer(use.cloudFront, { ...meta, packages: ['@aws-sdk/cloudfront-signer'] }) : undefined,
  ]);
  const loading = new Map<keyof LazyS3Modules, Promise<unknown>>();
  // Once loaded, a module is handed back without another await chain (a presign is ~60 µs).
  const loaded = new Map<keyof LazyS3Modules, Promise<unknown>>();
  return {
    s3,
    cloudFront,
    use<K extends keyof LazyS3Modules>(name: K, operation: string): Promise<LazyS3Modules[K]> {
      return (loaded.get(name) as Promise<LazyS3Modules[K]> | undefined) ?? load(name, operation);
    },
  };

  async function load<K extends keyof LazyS3Modules>(name: K, operation: string): Promise<LazyS3Modules[K]> {
    const pkg = LAZY_PACKAGES[name];
    let module = loading.get(name);
    if (!module) {
      module = loadPeer<unknown>(use[name], { ...meta, packages: [pkg] });
      loading.set(name, module);
      // A failure is not kept: the next call tries again (and names its own operation).
      module.catch(() => loading.delete(name));
    }
    try {
      const value = (await module) as LazyS3Modules[K];
      loaded.set(name, Promise.resolve(value));
      return value;
    } catch (error) {
      throw firstUseError(error, pkg, operation);
    }
  }
}
