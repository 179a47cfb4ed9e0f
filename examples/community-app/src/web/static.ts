import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The page's scripts may talk to this server and to the storage provider's signed URLs, which can
 * be on any host (a bucket, a CDN), so images and uploads allow other origins; scripts and styles
 * come from here only.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob: https: http:",
  "connect-src 'self' https: http:",
  "script-src 'self'",
  "style-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** Serves the files of `dir` (read once, at start) at the same paths; `/` is `index.html`. */
export async function staticFiles(dir: string): Promise<(req: IncomingMessage, res: ServerResponse, pathname: string) => boolean> {
  const files = new Map<string, StaticFile>();
  for (const file of await filesUnder(dir)) {
    const type = TYPES[extname(file)];
    if (!type) continue;
    const body = await readFile(file);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    files.set(`/${relative(dir, file).split(sep).join('/')}`, { body, type, etag });
  }
  return (req, res, pathname) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const file = files.get(pathname === '/' ? '/index.html' : pathname);
    if (!file) return false;
    const headers: Record<string, string> = { 'content-type': file.type, 'cache-control': 'no-cache', etag: file.etag };
    if (file.type.startsWith('text/html')) headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': String(file.body.length) });
    res.end(req.method === 'HEAD' ? undefined : file.body);
    return true;
  };
}
