import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * s3rver 3.7.1 parses SigV4 but never computes it ("Signature version 4 calculation is
 * unimplemeneted", lib/middleware/authentication.js): a tampered presigned URL still works. This
 * reverse proxy in front of it checks the signature of every presigned (query-signed) request the
 * way S3 does, with its own SigV4 code (not the SDK's), and forwards everything else unchanged.
 * Expiry is still checked by s3rver. POST policies are not checked by anyone locally.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */
export interface SigV4Gate {
  endpoint: string;
  /** Every request seen, as `METHOD /path?query`, for tests that count S3 calls. */
  requests: string[];
  close(): Promise<void>;
}

/** RFC 3986 encoding, as SigV4 canonical requests use. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');

/** Why the request's query signature is wrong, or null when it is right. */
export function queryProblem(
  method: string,
  rawUrl: string,
  headers: IncomingMessage['headers'],
  secrets: Record<string, string>,
): string | null {
  const [rawPath = '/', rawQuery = ''] = rawUrl.split('?', 2);
  const params = rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      return at === -1 ? [decode(pair), ''] : [decode(pair.slice(0, at)), decode(pair.slice(at + 1))];
    }) as [string, string][];
  const get = (name: string) => params.find(([key]) => key === name)?.[1];
  const signature = get('X-Amz-Signature');
  const credential = get('X-Amz-Credential') ?? '';
  const amzDate = get('X-Amz-Date') ?? '';
  const signedHeaders = get('X-Amz-SignedHeaders') ?? '';
  const [accessKeyId = '', ...scopeParts] = credential.split('/');
  const [date = '', region = '', service = ''] = scopeParts;
  const secret = secrets[accessKeyId];
  if (!secret) return `unknown access key ${accessKeyId}`;
  const canonicalUri = rawPath
    .split('/')
    .map((segment) => rfc3986(decode(segment)))
    .join('/');
  const canonicalQuery = params
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => [rfc3986(key), rfc3986(value)])
    .sort(([a = '', x = ''], [b = '', y = '']) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const names = signedHeaders.split(';').filter(Boolean);
  const canonicalHeaders = names
    .map((name) => {
      const value = headers[name];
      return `${name}:${(Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const payload = get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
  const canonicalRequest = [method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, payload].join('\n');
  const scope = scopeParts.join('/');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  return hmac(key, stringToSign).toString('hex') === signature ? null : 'signature does not match';
}

function refuse(res: ServerResponse, problem: string): void {
  res.writeHead(403, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>${problem}</Message></Error>`);
}

/** Starts the gate on a free port, forwarding to `upstream` (s3rver). */
export async function startSigV4Gate(upstream: URL, secrets: Record<string, string>): Promise<SigV4Gate> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(`${req.method} ${url}`);
    if (/[?&]X-Amz-Signature=/.test(url)) {
      const problem = queryProblem(req.method ?? 'GET', url, req.headers, secrets);
      if (problem) {
        req.resume();
        refuse(res, problem);
        return;
      }
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: url, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forward.on('error', (error) => {
      res.writeHead(502);
      res.end(String(error));
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
