/**
 * The requests the differential test sends, in order, to the real Storage API server and to the fake:
 * every route and answer the adapter relies on, and the quirks issue 12 found. `{B}`, `{L}` and `{P}`
 * are the private, limited and public buckets; `{name}` is a value an earlier probe saved (`save`),
 * taken from that target's own answer.
 */
export interface Probe {
  label: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  json?: unknown;
  /** A raw body; `chunked` sends it as a stream of unknown length. */
  body?: string | Uint8Array;
  chunked?: boolean;
  /** Which credentials: the service-role key (default), a key the project did not sign, or none. */
  auth?: 'service' | 'forged' | 'none';
  /** Saves values from the answer for later probes. */
  save?: (answer: unknown) => Record<string, string>;
  /** Waits this long first (for expiry). */
  waitMs?: number;
}

const enc = (key: string) => key.split('/').map(encodeURIComponent).join('/');
const text = { 'content-type': 'text/plain' };
const tokenOf = (signedURL: string) => signedURL.slice(signedURL.lastIndexOf('?token=') + 7);
const ORDERED = ['ord/a b', 'ord/a-b', 'ord/aB', 'ord/a_b', 'ord/A', 'ord/a.b', 'ord/a/b', 'ord/a?b', 'ord/a+b', 'ord/ab'];

export const PROBES: Probe[] = [
  { label: 'create bucket', method: 'POST', path: '/bucket', json: { name: '{B}', public: false } },
  { label: 'create an existing bucket', method: 'POST', path: '/bucket', json: { name: '{B}' } },
  {
    label: 'create a limited bucket',
    method: 'POST',
    path: '/bucket',
    json: { name: '{L}', file_size_limit: 10, allowed_mime_types: ['image/png', 'text/*'] },
  },
  { label: 'create a public bucket', method: 'POST', path: '/bucket', json: { name: '{P}', public: true } },
  { label: 'read a bucket', method: 'GET', path: '/bucket/{B}' },
  { label: 'read a limited bucket', method: 'GET', path: '/bucket/{L}' },
  { label: 'read a missing bucket', method: 'GET', path: '/bucket/missing-bucket-x' },

  { label: 'upload', method: 'POST', path: '/object/{B}/a/b.txt', headers: text, body: 'hello' },
  { label: 'upload over an existing key', method: 'POST', path: '/object/{B}/a/b.txt', headers: text, body: 'again' },
  {
    label: 'upsert with cache control and metadata',
    method: 'POST',
    path: '/object/{B}/a/b.txt',
    headers: {
      ...text,
      'x-upsert': 'true',
      'cache-control': 'max-age=60',
      'x-metadata': Buffer.from('{"owner":"ada"}').toString('base64'),
    },
    body: 'hello world',
  },
  { label: 'upload with PUT', method: 'PUT', path: '/object/{B}/put.txt', headers: text, body: 'put' },
  { label: 'upload without a content type', method: 'POST', path: '/object/{B}/noct', body: new Uint8Array([1, 2, 3]) },
  { label: 'info without a content type', method: 'GET', path: '/object/info/{B}/noct' },
  { label: 'info', method: 'GET', path: '/object/info/{B}/a/b.txt' },
  { label: 'info of a missing object', method: 'GET', path: '/object/info/{B}/a/none' },
  { label: 'info in a missing bucket', method: 'GET', path: '/object/info/missing-bucket-x/a' },
  { label: 'download', method: 'GET', path: '/object/{B}/a/b.txt' },
  { label: 'download, authenticated route', method: 'GET', path: '/object/authenticated/{B}/a/b.txt' },
  { label: 'download a range', method: 'GET', path: '/object/{B}/a/b.txt', headers: { range: 'bytes=1-2' } },
  { label: 'download a range past the end', method: 'GET', path: '/object/{B}/a/b.txt', headers: { range: 'bytes=3-100' } },
  { label: 'download a range that starts past the end', method: 'GET', path: '/object/{B}/a/b.txt', headers: { range: 'bytes=50-60' } },
  { label: 'HEAD', method: 'HEAD', path: '/object/{B}/a/b.txt' },
  { label: 'HEAD of a missing object', method: 'HEAD', path: '/object/{B}/a/none' },
  { label: 'download a missing object', method: 'GET', path: '/object/{B}/a/none' },
  { label: 'upload HTML', method: 'POST', path: '/object/{B}/page.html', headers: { 'content-type': 'text/html' }, body: '<b>hi</b>' },
  { label: 'download HTML', method: 'GET', path: '/object/{B}/page.html' },
  { label: 'a key with %', method: 'POST', path: `/object/{B}/${enc('100%')}`, headers: text, body: 'x' },
  { label: 'a key with #', method: 'POST', path: `/object/{B}/${enc('a#b')}`, headers: text, body: 'x' },
  { label: 'a 256-byte segment', method: 'POST', path: `/object/{B}/long/${'k'.repeat(256)}`, headers: text, body: 'x' },
  { label: 'a 255-byte segment', method: 'POST', path: `/object/{B}/long/${'k'.repeat(255)}`, headers: text, body: 'x' },
  { label: 'a key with edge spaces', method: 'POST', path: `/object/{B}/${enc(' edge ')}`, headers: text, body: 'x' },
  { label: 'info of a key with edge spaces', method: 'GET', path: `/object/info/{B}/${enc(' edge ')}` },

  ...ORDERED.map((key) => ({ label: `upload ${key}`, method: 'POST', path: `/object/{B}/${enc(key)}`, headers: text, body: key })),
  {
    label: 'list-v2, first page',
    method: 'POST',
    path: '/object/list-v2/{B}',
    json: { prefix: 'ord/', limit: 4 },
    save: (answer) => ({ cursor: (answer as { nextCursor: string }).nextCursor }),
  },
  { label: 'list-v2, next page', method: 'POST', path: '/object/list-v2/{B}', json: { prefix: 'ord/', limit: 100, cursor: '{cursor}' } },
  { label: 'list-v2, prefix with _', method: 'POST', path: '/object/list-v2/{B}', json: { prefix: 'ord/a_' } },
  { label: 'list-v2, prefix in another case', method: 'POST', path: '/object/list-v2/{B}', json: { prefix: 'ORD/' } },
  { label: 'list-v2, a bad cursor', method: 'POST', path: '/object/list-v2/{B}', json: { cursor: 'garbage!' } },
  { label: 'list-v2, limit 0', method: 'POST', path: '/object/list-v2/{B}', json: { limit: 0 } },
  { label: 'list-v2 in a missing bucket', method: 'POST', path: '/object/list-v2/missing-bucket-x', json: { prefix: 'a' } },

  { label: 'forged key: read a bucket', method: 'GET', path: '/bucket/{B}', auth: 'forged' },
  { label: 'forged key: list-v2', method: 'POST', path: '/object/list-v2/{B}', json: { prefix: 'a' }, auth: 'forged' },
  { label: 'forged key: delete', method: 'DELETE', path: '/object/{B}', json: { prefixes: ['a/b.txt'] }, auth: 'forged' },
  { label: 'forged key: upload', method: 'POST', path: '/object/{B}/f.txt', headers: text, body: 'x', auth: 'forged' },
  { label: 'forged key: info', method: 'GET', path: '/object/info/{B}/a/b.txt', auth: 'forged' },
  { label: 'forged key: download', method: 'GET', path: '/object/{B}/a/b.txt', auth: 'forged' },
  { label: 'forged key: sign', method: 'POST', path: '/object/sign/{B}/a/b.txt', json: { expiresIn: 60 }, auth: 'forged' },

  { label: 'delete nothing', method: 'DELETE', path: '/object/{B}', json: { prefixes: [] } },
  {
    label: 'delete 1,001 names',
    method: 'DELETE',
    path: '/object/{B}',
    json: { prefixes: Array.from({ length: 1001 }, (_, i) => `none/${i}`) },
  },
  { label: 'copy', method: 'POST', path: '/object/copy', json: { bucketId: '{B}', sourceKey: 'a/b.txt', destinationKey: 'c.txt' } },
  {
    label: 'copy over an existing key',
    method: 'POST',
    path: '/object/copy',
    json: { bucketId: '{B}', sourceKey: 'a/b.txt', destinationKey: 'c.txt' },
  },
  {
    label: 'copy with x-upsert',
    method: 'POST',
    path: '/object/copy',
    headers: { 'x-upsert': 'true' },
    json: { bucketId: '{B}', sourceKey: 'a/b.txt', destinationKey: 'c.txt' },
  },
  {
    label: 'copy a missing object',
    method: 'POST',
    path: '/object/copy',
    json: { bucketId: '{B}', sourceKey: 'zz', destinationKey: 'c2' },
  },
  { label: 'info of a copy', method: 'GET', path: '/object/info/{B}/c.txt' },

  {
    label: 'sign a download',
    method: 'POST',
    path: '/object/sign/{B}/a/b.txt',
    json: { expiresIn: 60 },
    save: (answer) => ({ download: tokenOf((answer as { signedURL: string }).signedURL) }),
  },
  { label: 'sign a missing object', method: 'POST', path: '/object/sign/{B}/a/none', json: { expiresIn: 60 } },
  { label: 'sign for 0 seconds', method: 'POST', path: '/object/sign/{B}/a/b.txt', json: { expiresIn: 0 } },
  {
    label: 'sign a key with + on the single route',
    method: 'POST',
    path: `/object/sign/{B}/${enc('ord/a+b')}`,
    json: { expiresIn: 60 },
    save: (answer) => ({ plus: tokenOf((answer as { signedURL: string }).signedURL) }),
  },
  { label: 'download a key with + signed on the single route', method: 'GET', path: `/object/sign/{B}/${enc('ord/a+b')}?token={plus}` },
  {
    label: 'sign in a batch',
    method: 'POST',
    path: '/object/sign/{B}',
    json: { expiresIn: 60, paths: ['ord/a+b', 'a/none'] },
    save: (answer) => ({ batch: tokenOf((answer as { signedURL: string }[])[0]!.signedURL) }),
  },
  { label: 'download a key with + signed in a batch', method: 'GET', path: `/object/sign/{B}/${enc('ord/a+b')}?token={batch}` },
  { label: 'download through a signed URL', method: 'GET', path: '/object/sign/{B}/a/b.txt?token={download}' },
  { label: 'HEAD on a signed URL', method: 'HEAD', path: '/object/sign/{B}/a/b.txt?token={download}' },
  { label: 'a signed URL with a file name', method: 'GET', path: '/object/sign/{B}/a/b.txt?token={download}&download=my%20file.txt' },
  { label: 'a signed URL for another key', method: 'GET', path: '/object/sign/{B}/c.txt?token={download}' },
  { label: 'a tampered signed URL', method: 'GET', path: '/object/sign/{B}/a/b.txt?token={download}x' },
  { label: 'a signed URL without a token', method: 'GET', path: '/object/sign/{B}/a/b.txt' },
  {
    label: 'sign a short download',
    method: 'POST',
    path: '/object/sign/{B}',
    json: { expiresIn: 1, paths: ['a/b.txt'] },
    save: (answer) => ({ short: tokenOf((answer as { signedURL: string }[])[0]!.signedURL) }),
  },
  { label: 'an expired signed URL', method: 'GET', path: '/object/sign/{B}/a/b.txt?token={short}', waitMs: 2_100 },

  {
    label: 'sign an upload',
    method: 'POST',
    path: '/object/upload/sign/{B}/up/x.txt',
    headers: { 'x-upsert': 'true' },
    save: (answer) => ({ upload: (answer as { token: string }).token }),
  },
  { label: 'sign an upload over an existing key', method: 'POST', path: '/object/upload/sign/{B}/a/b.txt' },
  { label: 'download with an upload token', method: 'GET', path: '/object/sign/{B}/up/x.txt?token={upload}' },
  {
    label: 'upload with a download token',
    method: 'PUT',
    path: '/object/upload/sign/{B}/a/b.txt?token={download}',
    headers: text,
    body: 'evil',
  },
  {
    label: 'upload with a token for another key',
    method: 'PUT',
    path: '/object/upload/sign/{B}/up/y.txt?token={upload}',
    headers: text,
    body: 'x',
  },
  {
    label: 'upload through a signed URL',
    method: 'PUT',
    path: '/object/upload/sign/{B}/up/x.txt?token={upload}',
    headers: { 'content-type': 'image/png' },
    body: 'png',
  },
  { label: 'info of a signed upload', method: 'GET', path: '/object/info/{B}/up/x.txt' },

  { label: 'over the size limit, with a length', method: 'POST', path: '/object/{L}/big', headers: text, body: 'x'.repeat(20) },
  { label: 'over the size limit, chunked', method: 'POST', path: '/object/{L}/bigc', headers: text, body: 'y'.repeat(20), chunked: true },
  {
    label: 'a MIME type the bucket refuses',
    method: 'POST',
    path: '/object/{L}/m',
    headers: { 'content-type': 'application/pdf' },
    body: 'x',
  },
  { label: 'a MIME type the bucket allows by wildcard', method: 'POST', path: '/object/{L}/t', headers: text, body: 'x' },

  { label: 'upload to a public bucket', method: 'POST', path: '/object/{P}/p.txt', headers: text, body: 'public' },
  { label: 'public download', method: 'GET', path: '/object/public/{P}/p.txt', auth: 'none' },
  { label: 'public download from a private bucket', method: 'GET', path: '/object/public/{B}/a/b.txt', auth: 'none' },
  { label: 'forged key: info in a public bucket', method: 'GET', path: '/object/info/{P}/p.txt', auth: 'forged' },

  { label: 'delete', method: 'DELETE', path: '/object/{B}', json: { prefixes: ['c.txt', 'none'] } },
  { label: 'delete a bucket that is not empty', method: 'DELETE', path: '/bucket/{B}' },
  { label: 'empty a bucket', method: 'POST', path: '/bucket/{B}/empty', json: {} },
  { label: 'delete a bucket', method: 'DELETE', path: '/bucket/{B}', waitMs: 500 },
  { label: 'delete a missing bucket', method: 'DELETE', path: '/bucket/{B}' },
];
