/**
 * A fake of the Supabase Storage HTTP API (storage-api, supabase/storage v1.70.6), serving the routes
 * the adapter uses under `/storage/v1`: buckets (create, read, empty, delete), object upload
 * (POST/PUT, `x-upsert`, `x-metadata`), download (Range, HEAD, public), info, list-v2, batch delete,
 * copy (`x-upsert`), signed download URLs (single and batch routes) and signed uploads. Written from
 * src/http/routes/{bucket,object}/*.ts, src/storage/{object,uploader,limits}.ts,
 * src/storage/renderer/*.ts and src/internal/errors/codes.ts, and kept honest by
 * test/storage-fake.differential.peers.test.ts, which sends the same probes to the real server.
 * It models the self-hosted file backend the peers tier runs: 255-byte key segments, md5 etags.
 */
import type { IncomingMessage } from 'node:http';
import { type FakeServer, readBody, sendJson, startFakeServer } from './http.js';
import { bucketRoutes } from './storage-api-bucket-routes.js';
import { ApiError, errors, sendError } from './storage-api-errors.js';
import { objectRoutes } from './storage-api-object-routes.js';
import { metadataHeader } from './storage-api-render.js';
import type { Caller, RouteContext } from './storage-api-route.js';
import { type FakeBucket, FakeStore } from './storage-api-store.js';
import { SignedTokens } from './storage-api-tokens.js';

export interface FakeStorageOptions {
  /** The only key accepted as the service role; any other bearer token is refused or read as anonymous. */
  serviceRoleKey: string;
  /** A bucket that exists from the start (`keys()` and `seed()` work on it). */
  bucket?: string;
  publicBucket?: boolean;
  /** storage-api's UPLOAD_SIGNED_URL_EXPIRATION_TIME: 60 s when unset. */
  uploadSignedUrlExpirationTime?: number;
  /** storage-api's UPLOAD_FILE_SIZE_LIMIT: 50 MiB when unset. */
  uploadFileSizeLimit?: number;
  /** The file backend's file-name limit: 255 bytes. */
  maxKeySegmentBytes?: number;
}

export interface FakeStorage extends FakeServer {
  /** Keys currently stored in the initial bucket. */
  keys(): string[];
  /** Stores an object in the initial bucket directly (seeding listings without HTTP). */
  seed(key: string, bytes?: Buffer): void;
}

/** Starts the fake on a free port. */
export async function startFakeStorage(options: FakeStorageOptions): Promise<FakeStorage> {
  const store = new FakeStore({
    uploadFileSizeLimit: options.uploadFileSizeLimit ?? 50 * 1024 * 1024,
    maxKeySegmentBytes: options.maxKeySegmentBytes ?? 255,
  });
  const tokens = new SignedTokens();
  const uploadTtl = options.uploadSignedUrlExpirationTime ?? 60;
  if (options.bucket) store.createBucket({ id: options.bucket, public: options.publicBucket === true });

  /** The caller a bearer token makes: routes that need a valid one refuse others (`required`). */
  function caller(req: IncomingMessage, required: boolean): Caller {
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (token === options.serviceRoleKey) return 'service';
    if (!required) return 'anonymous';
    if (token === undefined) throw errors.schema("headers must have required property 'authorization'");
    throw errors.accessDenied(token.split('.').length === 3 ? 'signature verification failed' : 'Invalid Compact JWS');
  }

  /** A bucket the caller may read: an anonymous caller sees only public buckets (storage-api's RLS). */
  function readable(id: string, who: Caller): FakeBucket {
    const bucket = store.buckets.get(id);
    if (!bucket || (who === 'anonymous' && !bucket.public)) throw errors.noSuchBucket();
    return bucket;
  }

  async function upload(req: IncomingMessage, bucket: FakeBucket, key: string, upsert: boolean) {
    const length = req.headers['content-length'];
    const request = {
      contentType: req.headers['content-type'],
      cacheControl: req.headers['cache-control'],
      userMetadata: metadataHeader(req.headers['x-metadata']),
      declaredLength: length === undefined ? undefined : Number(length),
      upsert,
    };
    store.checkUpload(bucket, key, request);
    return store.store(bucket, key, await readBody(req), request);
  }

  const context: RouteContext = { store, tokens, uploadTtl, caller, readable, upload };
  const routes = [...bucketRoutes(context), ...objectRoutes(context)];

  const server = await startFakeServer(async (req, res, url) => {
    const path = url.pathname.startsWith('/storage/v1/') ? url.pathname.slice('/storage/v1'.length) : '';
    for (const [methods, pattern, handle] of routes) {
      const match = pattern.exec(path);
      if (!match || !methods.split('|').includes(req.method ?? 'GET')) continue;
      try {
        return await handle(
          req,
          res,
          match.slice(1).map((part) => decodeURIComponent(part)),
          url,
        );
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        req.resume();
        return sendError(res, error);
      }
    }
    sendJson(res, 404, { statusCode: '404', error: 'Not Found', message: `Route ${req.method}:${url.pathname} not found` });
  });

  const initial = () => store.bucket(options.bucket ?? '');
  return Object.assign(server, {
    keys: () => [...initial().objects.keys()].sort(),
    seed: (key: string, bytes = Buffer.from(key)) => {
      store.store(initial(), key, bytes, { contentType: 'application/octet-stream', cacheControl: 'no-cache', userMetadata: undefined });
    },
  });
}
