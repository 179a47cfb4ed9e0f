/**
 * A fake of the Supabase Storage HTTP API (storage-api), enough for storage-js 2.x's file API.
 * Written from supabase/storage: src/http/routes/object/{createObject,getObject,getObjectInfo,
 * listObjects,deleteObjects,copyObject,getSignedURL,getSignedURLs,getSignedObject,
 * getSignedUploadURL,uploadSignedObject,getPublicObject}.ts, src/storage/limits.ts (isValidKey),
 * src/storage/renderer/info.ts (info body), the storage.search SQL function (folders are entries
 * without id; `search` is a case-insensitive name prefix; offset paging), and storage-js 2.119
 * (src/packages/StorageFileApi.ts) for the request shapes. Error bodies are
 * `{statusCode, code, error, message}`; signed URLs carry an HS256 JWT `{url, iat, exp}`.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { jwtVerify, SignJWT } from 'jose';
import { type FakeServer, readBody, readJson, sendJson, startFakeServer } from './http.js';

interface StoredObject {
  id: string;
  bytes: Buffer;
  contentType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | null;
  etag: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeStorageOptions {
  serviceRoleKey: string;
  bucket: string;
  publicBucket?: boolean;
  /** storage-api's UPLOAD_SIGNED_URL_EXPIRATION_TIME; hosted Supabase documents 2 hours. */
  uploadSignedUrlExpirationTime?: number;
}

export interface FakeStorage extends FakeServer {
  /** Keys currently stored in the bucket. */
  keys(): string[];
  /** Stores an object directly (seeding listings without HTTP). */
  seed(key: string, bytes?: Buffer): void;
}

const VALID_KEY = /^(\w|\/|!|-|\.|\*|'|\(|\)| |&|\$|@|=|;|:|\+|,|\?)*$/;
const secret = new TextEncoder().encode(`fake-storage-${randomUUID()}`);

function fail(res: ServerResponse, status: number, error: string, message: string, code?: string): void {
  sendJson(res, status, { statusCode: String(status), ...(code ? { code } : {}), error, message });
}

const notFound = (res: ServerResponse) => fail(res, 404, 'not_found', 'Object not found', 'NoSuchKey');

function decodePath(segments: string[]): string {
  return segments.map((segment) => decodeURIComponent(segment)).join('/');
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | undefined {
  const match = header?.match(/^bytes=(\d+)-(\d*)$/);
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  return start >= size || end < start ? 'invalid' : { start, end };
}

function serveObject(req: IncomingMessage, res: ServerResponse, object: StoredObject, download?: string | null): void {
  const headers: Record<string, string> = {
    'content-type': object.contentType,
    'cache-control': object.cacheControl,
    etag: object.etag,
    'last-modified': new Date(object.updatedAt).toUTCString(),
    'accept-ranges': 'bytes',
  };
  if (download !== undefined && download !== null) {
    headers['content-disposition'] = `attachment; filename=${encodeURIComponent(download)};`;
  }
  const range = parseRange(req.headers.range, object.bytes.length);
  if (range === 'invalid') {
    fail(res, 416, 'InvalidRange', 'The requested range is not satisfiable');
    return;
  }
  const body = range ? object.bytes.subarray(range.start, range.end + 1) : object.bytes;
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${object.bytes.length}`;
  headers['content-length'] = String(body.length);
  res.writeHead(range ? 206 : 200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function decodeMetadata(header: string | string[] | undefined): Record<string, unknown> | null {
  if (typeof header !== 'string') return null;
  return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Record<string, unknown>;
}

/** Starts the fake on a free port; the bucket exists from the start. */
export async function startFakeStorage(options: FakeStorageOptions): Promise<FakeStorage> {
  const objects = new Map<string, StoredObject>();
  const uploadTtl = options.uploadSignedUrlExpirationTime ?? 7200;

  function store(key: string, bytes: Buffer, contentType: string, cacheControl: string, userMetadata: Record<string, unknown> | null) {
    const now = new Date().toISOString();
    const previous = objects.get(key);
    objects.set(key, {
      id: randomUUID(),
      bytes,
      contentType,
      cacheControl,
      userMetadata,
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
    });
  }

  async function upload(req: IncomingMessage, res: ServerResponse, key: string, upsert: boolean): Promise<void> {
    if (!VALID_KEY.test(key)) return fail(res, 400, 'InvalidKey', `Invalid key: ${key}`, 'InvalidKey');
    const bytes = await readBody(req);
    if (objects.has(key) && !upsert) return fail(res, 409, 'Duplicate', 'The resource already exists', 'Duplicate');
    store(
      key,
      bytes,
      req.headers['content-type'] ?? 'text/plain;charset=UTF-8',
      req.headers['cache-control'] ?? 'no-cache',
      decodeMetadata(req.headers['x-metadata']),
    );
    sendJson(res, 200, { Id: objects.get(key)!.id, Key: `${options.bucket}/${key}` });
  }

  function listFolder(body: { prefix?: string; limit?: number; offset?: number; search?: string }) {
    let folder = body.prefix ?? '';
    if (folder.length > 0 && !folder.endsWith('/')) folder = `${folder}/`;
    const search = (body.search ?? '').toLowerCase();
    const folders = new Set<string>();
    const entries: Record<string, unknown>[] = [];
    for (const [key, object] of objects) {
      if (!key.startsWith(folder)) continue;
      const rest = key.slice(folder.length);
      const slash = rest.indexOf('/');
      const name = slash === -1 ? rest : rest.slice(0, slash);
      if (!name.toLowerCase().startsWith(search)) continue;
      if (slash !== -1) {
        if (folders.has(name)) continue;
        folders.add(name);
        entries.push({ name, id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null });
      } else {
        entries.push({
          name,
          id: object.id,
          updated_at: object.updatedAt,
          created_at: object.createdAt,
          last_accessed_at: object.updatedAt,
          metadata: {
            eTag: object.etag,
            size: object.bytes.length,
            mimetype: object.contentType,
            cacheControl: object.cacheControl,
            lastModified: object.updatedAt,
            contentLength: object.bytes.length,
            httpStatusCode: 200,
          },
        });
      }
    }
    entries.sort((a, b) => ((a.name as string) < (b.name as string) ? -1 : (a.name as string) > (b.name as string) ? 1 : 0));
    const offset = body.offset ?? 0;
    return entries.slice(offset, offset + (body.limit ?? 100));
  }

  async function sign(payload: Record<string, unknown>, expiresIn: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + expiresIn)
      .sign(secret);
  }

  async function verifyToken(res: ServerResponse, token: string | null, url: string): Promise<Record<string, unknown> | undefined> {
    try {
      const { payload } = await jwtVerify(token ?? '', secret, { algorithms: ['HS256'] });
      if (payload.url !== url) {
        fail(res, 400, 'InvalidSignature', 'The url do not match the signature');
        return undefined;
      }
      return payload as Record<string, unknown>;
    } catch (error) {
      fail(res, 400, 'InvalidJWT', (error as Error).message);
      return undefined;
    }
  }

  function authorised(req: IncomingMessage): boolean {
    return req.headers.authorization === `Bearer ${options.serviceRoleKey}`;
  }

  const server = await startFakeServer(async (req, res, url) => {
    if (!url.pathname.startsWith('/storage/v1/object/')) return fail(res, 404, 'not_found', 'Route not found');
    const segments = url.pathname.slice('/storage/v1/object/'.length).split('/');
    const method = req.method ?? 'GET';
    const [first, second] = segments;

    // Routes that authenticate with a signed token or need none.
    if (first === 'sign' && method === 'GET') {
      const key = decodePath(segments.slice(2));
      if (!(await verifyToken(res, url.searchParams.get('token'), `${second}/${key}`))) return;
      const object = objects.get(key);
      return object ? serveObject(req, res, object, url.searchParams.get('download')) : notFound(res);
    }
    if (first === 'upload' && second === 'sign' && method === 'PUT') {
      const key = decodePath(segments.slice(3));
      const claims = await verifyToken(res, url.searchParams.get('token'), `${segments[2]}/${key}`);
      if (!claims) return;
      return upload(req, res, key, claims.upsert === true);
    }
    if (first === 'public' && (method === 'GET' || method === 'HEAD')) {
      if (!options.publicBucket) return fail(res, 400, 'not_found', 'Bucket not found');
      const object = objects.get(decodePath(segments.slice(2)));
      return object ? serveObject(req, res, object) : notFound(res);
    }

    if (!authorised(req)) return fail(res, 403, 'Unauthorized', 'invalid signature');

    if (first === 'list' && method === 'POST') return sendJson(res, 200, listFolder(await readJson(req)));
    if (first === 'copy' && method === 'POST') {
      const body = await readJson<{ sourceKey: string; destinationKey: string; copyMetadata?: boolean }>(req);
      const source = objects.get(body.sourceKey);
      if (!source) return notFound(res);
      if (objects.has(body.destinationKey)) return fail(res, 409, 'Duplicate', 'The resource already exists', 'Duplicate');
      store(
        body.destinationKey,
        source.bytes,
        source.contentType,
        source.cacheControl,
        body.copyMetadata === false ? null : source.userMetadata,
      );
      return sendJson(res, 200, { Key: `${options.bucket}/${body.destinationKey}` });
    }
    if (first === 'sign' && method === 'POST') {
      const body = await readJson<{ expiresIn: number; paths?: string[] }>(req);
      if (!Number.isInteger(body.expiresIn) || body.expiresIn < 1) return fail(res, 400, 'InvalidRequest', 'expiresIn must be >= 1');
      if (segments.length === 1 + 1) {
        const signed = await Promise.all(
          (body.paths ?? []).map(async (path) =>
            objects.has(path)
              ? {
                  path,
                  error: null,
                  signedURL: `/object/sign/${second}/${path}?token=${await sign({ url: `${second}/${path}` }, body.expiresIn)}`,
                }
              : { path, error: 'Either the object does not exist or you do not have access to it', signedURL: null },
          ),
        );
        return sendJson(res, 200, signed);
      }
      const key = decodePath(segments.slice(2));
      if (!objects.has(key)) return notFound(res);
      const token = await sign({ url: `${second}/${key}` }, body.expiresIn);
      return sendJson(res, 200, { signedURL: `/object/sign/${second}/${key}?token=${token}` });
    }
    if (first === 'upload' && second === 'sign' && method === 'POST') {
      const key = decodePath(segments.slice(3));
      if (!VALID_KEY.test(key)) return fail(res, 400, 'InvalidKey', `Invalid key: ${key}`, 'InvalidKey');
      if (objects.has(key) && req.headers['x-upsert'] !== 'true')
        return fail(res, 409, 'Duplicate', 'The resource already exists', 'Duplicate');
      const token = await sign({ url: `${segments[2]}/${key}`, upsert: req.headers['x-upsert'] === 'true' }, uploadTtl);
      return sendJson(res, 200, { url: `/object/upload/sign/${segments[2]}/${key}?token=${token}`, token });
    }
    if (first === 'info') {
      const rest = second === 'authenticated' ? segments.slice(3) : segments.slice(2);
      const key = decodePath(rest);
      const object = objects.get(key);
      if (!object) return notFound(res);
      return sendJson(res, 200, {
        id: object.id,
        name: key,
        version: object.id,
        bucket_id: options.bucket,
        size: object.bytes.length,
        content_type: object.contentType,
        cache_control: object.cacheControl,
        etag: object.etag,
        metadata: object.userMetadata,
        last_modified: object.updatedAt,
        created_at: object.createdAt,
      });
    }
    if (method === 'DELETE' && segments.length === 1) {
      const body = await readJson<{ prefixes: string[] }>(req);
      if (!Array.isArray(body.prefixes) || body.prefixes.length > 1000)
        return fail(res, 400, 'InvalidRequest', 'prefixes must have 1 to 1000 items');
      const removed = body.prefixes.filter((key) => objects.delete(key)).map((name) => ({ name, bucket_id: first }));
      return sendJson(res, 200, removed);
    }
    const objectSegments = first === 'authenticated' ? segments.slice(2) : segments.slice(1);
    const key = decodePath(objectSegments);
    if (method === 'POST' || method === 'PUT') return upload(req, res, key, method === 'PUT' || req.headers['x-upsert'] === 'true');
    if (method === 'GET' || method === 'HEAD') {
      const object = objects.get(key);
      return object ? serveObject(req, res, object) : notFound(res);
    }
    return fail(res, 405, 'MethodNotAllowed', `${method} is not supported here`);
  });

  return Object.assign(server, {
    keys: () => [...objects.keys()].sort(),
    seed: (key: string, bytes = Buffer.from(key)) => store(key, bytes, 'application/octet-stream', 'max-age=3600', null),
  });
}
