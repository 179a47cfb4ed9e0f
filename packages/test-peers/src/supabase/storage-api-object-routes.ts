import { readJson, sendJson } from './http.js';
import { errors } from './storage-api-errors.js';
import { serve } from './storage-api-render.js';
import type { Route, RouteContext } from './storage-api-route.js';

/** src/http/routes/object/*.ts, in match order: the specific paths before `/object/<bucket>/<key>`. */
export function objectRoutes({ store, tokens, uploadTtl, caller, readable, upload }: RouteContext): Route[] {
  return [
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
}
