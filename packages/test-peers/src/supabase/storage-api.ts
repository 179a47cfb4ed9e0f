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
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FakeServer, readBody, readJson, sendJson, startFakeServer } from './http.js';
import { ApiError, errors, sendError } from './storage-api-errors.js';
import { metadataHeader, serve } from './storage-api-render.js';
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

type Caller = 'service' | 'anonymous';

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

  const routes: [
    method: string,
    pattern: RegExp,
    handle: (req: IncomingMessage, res: ServerResponse, match: string[], url: URL) => Promise<void>,
  ][] = [
    [
      'POST',
      /^\/bucket$/,
      async (req, res) => {
        caller(req, true);
        sendJson(res, 200, { name: store.createBucket(await readJson(req)) });
      },
    ],
    [
      'GET',
      /^\/bucket\/([^/]+)$/,
      async (req, res, [id]) => {
        caller(req, true);
        sendJson(res, 200, store.bucketRow(store.bucket(id!)));
      },
    ],
    [
      'POST',
      /^\/bucket\/([^/]+)\/empty$/,
      async (req, res, [id]) => {
        caller(req, true);
        store.bucket(id!).objects.clear();
        sendJson(res, 200, { message: 'Empty bucket has been queued. Completion may take up to an hour.' });
      },
    ],
    [
      'DELETE',
      /^\/bucket\/([^/]+)$/,
      async (req, res, [id]) => {
        caller(req, true);
        if (store.bucket(id!).objects.size > 0) throw errors.bucketNotEmpty();
        store.buckets.delete(id!);
        sendJson(res, 200, { message: 'Successfully deleted' });
      },
    ],
    [
      'POST',
      /^\/object\/list-v2\/([^/]+)$/,
      async (req, res, [id]) => {
        caller(req, true);
        sendJson(res, 200, store.listV2(id!, await readJson(req)));
      },
    ],
    [
      'DELETE',
      /^\/object\/([^/]+)$/,
      async (req, res, [id]) => {
        caller(req, true);
        const { prefixes } = await readJson<{ prefixes?: string[] }>(req);
        if (!Array.isArray(prefixes) || prefixes.length === 0) throw errors.schema('body/prefixes must NOT have fewer than 1 items');
        const bucket = store.buckets.get(id!);
        const removed = prefixes.flatMap((key) => {
          const object = bucket?.objects.get(key);
          if (!bucket || !object) return [];
          bucket.objects.delete(key);
          return [store.row(bucket, key, object)];
        });
        sendJson(res, 200, removed);
      },
    ],
    [
      'POST',
      /^\/object\/copy$/,
      async (req, res) => {
        caller(req, true);
        const body = await readJson<{ bucketId: string; sourceKey: string; destinationKey: string; copyMetadata?: boolean }>(req);
        const bucket = store.bucket(body.bucketId);
        const source = store.object(bucket, body.sourceKey);
        if (bucket.objects.has(body.destinationKey) && req.headers['x-upsert'] !== 'true') throw errors.keyExists();
        const copy = store.store(bucket, body.destinationKey, source.bytes, {
          contentType: source.contentType,
          cacheControl: source.cacheControl,
          userMetadata: body.copyMetadata === false ? {} : source.userMetadata,
        });
        sendJson(res, 200, { Key: `${bucket.id}/${body.destinationKey}`, Id: copy.id, ...store.row(bucket, body.destinationKey, copy) });
      },
    ],
    [
      'POST',
      /^\/object\/sign\/([^/]+)$/,
      async (req, res, [id]) => {
        caller(req, true);
        const { expiresIn, paths } = await readJson<{ expiresIn: number; paths: string[] }>(req);
        if (!(expiresIn >= 1)) throw errors.schema('body/expiresIn must be >= 1');
        const bucket = store.bucket(id!);
        const signed = await Promise.all(
          paths.map(async (path) =>
            bucket.objects.has(path)
              ? {
                  error: null,
                  path,
                  signedURL: `/object/sign/${id}/${path}?token=${await tokens.sign({ url: `${id}/${path}`, scope: 'download' }, expiresIn)}`,
                }
              : { error: 'Either the object does not exist or you do not have access to it', path, signedURL: null },
          ),
        );
        sendJson(res, 200, signed);
      },
    ],
    [
      'POST',
      /^\/object\/sign\/([^/]+)\/(.+)$/,
      async (req, res, [id, key], url) => {
        caller(req, true);
        const { expiresIn } = await readJson<{ expiresIn: number }>(req);
        if (!(expiresIn >= 1)) throw errors.schema('body/expiresIn must be >= 1');
        store.object(store.bucket(id!), key!);
        // storage-api signs the request path after decodeURI, which leaves %3F, %2B, %26... encoded.
        const signedPath = decodeURI(url.pathname.slice('/storage/v1/object/sign/'.length));
        const token = await tokens.sign({ url: signedPath, scope: 'download' }, expiresIn);
        sendJson(res, 200, { signedURL: `/object/sign/${signedPath}?token=${token}` });
      },
    ],
    [
      'GET|HEAD',
      /^\/object\/sign\/([^/]+)\/(.+)$/,
      async (req, res, [id, key], url) => {
        const token = url.searchParams.get('token');
        if (token === null) throw errors.schema("querystring must have required property 'token'");
        const claims = await tokens.verify(token, 'download', `${id}/${key}`);
        serve(req, res, store.object(store.bucket(id!), key!), { download: url.searchParams.get('download'), expires: claims.exp });
      },
    ],
    [
      'POST',
      /^\/object\/upload\/sign\/([^/]+)\/(.+)$/,
      async (req, res, [id, key]) => {
        caller(req, true);
        const bucket = store.bucket(id!);
        const upsert = req.headers['x-upsert'] === 'true';
        store.checkUpload(bucket, key!, {
          contentType: undefined,
          cacheControl: undefined,
          userMetadata: undefined,
          declaredLength: undefined,
          upsert,
        });
        const token = await tokens.sign({ url: `${id}/${key}`, scope: 'upload', upsert }, uploadTtl);
        sendJson(res, 200, { url: `/object/upload/sign/${id}/${key}?token=${token}`, token });
      },
    ],
    [
      'PUT',
      /^\/object\/upload\/sign\/([^/]+)\/(.+)$/,
      async (req, res, [id, key], url) => {
        const claims = await tokens.verify(url.searchParams.get('token') ?? '', 'upload', `${id}/${key}`);
        await upload(req, store.bucket(id!), key!, claims.upsert === true);
        sendJson(res, 200, { Key: `${id}/${key}` });
      },
    ],
    [
      'GET|HEAD',
      /^\/object\/public\/([^/]+)\/(.+)$/,
      async (req, res, [id, key]) => {
        serve(req, res, store.object(readable(id!, 'anonymous'), key!));
      },
    ],
    [
      'GET',
      /^\/object\/info\/(?:authenticated\/)?([^/]+)\/(.+)$/,
      async (req, res, [id, key]) => {
        const object = store.object(readable(id!, caller(req, false)), key!);
        const headers = {
          etag: object.etag,
          'cache-control': object.cacheControl,
          'last-modified': new Date(object.lastModified).toUTCString(),
        };
        sendJson(res, 200, store.info(id!, key!, object), headers);
      },
    ],
    [
      'POST|PUT',
      /^\/object\/([^/]+)\/(.+)$/,
      async (req, res, [id, key]) => {
        caller(req, true);
        const bucket = store.bucket(id!);
        // PUT (update) replaces or creates, like an upsert.
        const object = await upload(req, bucket, key!, req.method === 'PUT' || req.headers['x-upsert'] === 'true');
        sendJson(res, 200, { Key: `${id}/${key}`, Id: object.id });
      },
    ],
    [
      'GET|HEAD',
      /^\/object\/(?:authenticated\/)?([^/]+)\/(.+)$/,
      async (req, res, [id, key]) => {
        serve(req, res, store.object(readable(id!, caller(req, false)), key!));
      },
    ],
  ];

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
