import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ErrorCode, SwitchyardError } from '@switchyard/core';
import { statusFor } from './status.js';

/** Largest JSON body a route accepts; every body here is a handful of short fields. */
export const MAX_JSON_BYTES = 16 * 1024;

/** A refusal raised by the app itself, with the same shape as the ports' errors. */
export function fail(code: ErrorCode, message: string): SwitchyardError {
  return new SwitchyardError({ code, message });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** Answers 204: done, nothing to say. */
export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

/**
 * Answers with `{error: {code, message}}`. A SwitchyardError's message is safe to show (ports never
 * put secrets in messages); anything else is logged and answered with a generic message, so stack
 * traces and driver internals never reach the client.
 */
export function sendError(res: ServerResponse, error: unknown, log: (message: string, error: unknown) => void): void {
  let status = 500;
  let body: { code: string; message: string; reason?: string };
  if (SwitchyardError.isInstance(error)) {
    status = statusFor(error.code);
    body = { code: error.code, message: error.message };
    if (error.reason) body.reason = error.reason;
    if (status >= 500) log('request failed', error);
  } else {
    log('unexpected error', error);
    body = { code: 'INTERNAL', message: 'Something went wrong on the server; the details are in its log.' };
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error: body });
}

/** An HTML page; every dynamic part of `html` must already be escaped (see `escapeHtml`). */
export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(html);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_JSON_BYTES) throw fail('INVALID_INPUT', `The request body is over ${MAX_JSON_BYTES} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) throw fail('INVALID_INPUT', `The request body is over ${MAX_JSON_BYTES} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** An HTML form's fields (`application/x-www-form-urlencoded`), for the pages that work without scripts. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? ''))
    throw fail('INVALID_INPUT', 'Send the form as application/x-www-form-urlencoded.');
  return new URLSearchParams((await readBody(req)).toString('utf8'));
}

/**
 * Reads a JSON object body of at most MAX_JSON_BYTES. Requiring `application/json` also keeps
 * cross-site HTML forms (which cannot send that type without a CORS preflight) away from the API.
 */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type))
    throw fail('INVALID_INPUT', 'Send the request body as JSON with Content-Type: application/json.');
  const body = await readBody(req);
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw fail('INVALID_INPUT', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw fail('INVALID_INPUT', 'The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

/** A required string field, trimmed, of 1–`max` characters. */
export function stringField(body: Record<string, unknown>, name: string, max: number): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim() === '' || value.trim().length > max) {
    throw fail('INVALID_INPUT', `"${name}" must be a non-empty string of at most ${max} characters.`);
  }
  return value.trim();
}

export function parseCookies(req: IncomingMessage): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index < 1) continue;
    const name = part.slice(0, index).trim();
    try {
      cookies[name] = decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      // A malformed cookie from another app on the same host: ignore it rather than fail the request.
    }
  }
  return cookies;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
  secure: boolean;
}

/** An HttpOnly, SameSite=Lax cookie: scripts cannot read the tokens, cross-site POSTs do not carry them. */
export function serializeCookie(name: string, value: string, options: CookieOptions & { sameSite?: 'Lax' | 'Strict' }): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    `SameSite=${options.sameSite ?? 'Lax'}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAge))}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Adds Set-Cookie headers without dropping ones set earlier in the request. */
export function appendCookies(res: ServerResponse, cookies: string[]): void {
  const existing = res.getHeader('set-cookie');
  const previous = Array.isArray(existing) ? existing : existing === undefined ? [] : [String(existing)];
  res.setHeader('set-cookie', [...previous, ...cookies]);
}
