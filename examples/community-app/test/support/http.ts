import type { ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import type { DevMailbox } from '../../src/providers.js';

export interface Client {
  email: string;
  id: string;
  /** The Cookie header the browser would send. */
  cookie: string;
  accessToken: string;
  refreshToken: string;
}

export interface CallOptions {
  method?: string;
  cookie?: string;
  json?: unknown;
  /** A raw body (give its content-type in `headers`). */
  body?: string;
  headers?: Record<string, string>;
}

/** One request to the app; JSON bodies are sent as the page sends them. */
export function call(baseUrl: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set('cookie', options.cookie);
  if (options.json !== undefined) headers.set('content-type', 'application/json');
  return fetch(`${baseUrl}${path}`, {
    method: options.method ?? (options.json === undefined ? 'GET' : 'POST'),
    headers,
    body: options.json === undefined ? (options.body ?? null) : JSON.stringify(options.json),
    redirect: 'manual',
  });
}

/** `name=value` pairs from Set-Cookie, as a Cookie header. */
export function cookiesOf(res: Response): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const index = pair.indexOf('=');
    cookies[pair.slice(0, index)] = decodeURIComponent(pair.slice(index + 1));
  }
  return cookies;
}

export function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('; ');
}

/** Signs in by email and the code the dev mailbox received, as a person using the page would. */
export async function signIn(baseUrl: string, mailbox: DevMailbox, email: string): Promise<Client> {
  const sent = await call(baseUrl, '/auth/sign-in', { json: { email } });
  expect(sent.status).toBe(202);
  const mail = mailbox.last(email);
  if (!mail) throw new Error(`no sign-in email reached ${email}`);
  const verified = await call(baseUrl, '/auth/verify', { json: { email, code: mail.code } });
  expect(verified.status).toBe(200);
  const { user } = (await verified.json()) as { user: { id: string } };
  const cookies = cookiesOf(verified);
  return {
    email,
    id: user.id,
    cookie: cookieHeader(cookies),
    accessToken: cookies.sy_access ?? '',
    refreshToken: cookies.sy_refresh ?? '',
  };
}

/** Resolves with the first match of `pattern` in the child's stdout; rejects if it exits first. */
export function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(pattern);
      if (match) resolve(match);
    });
    child.once('exit', (code) => reject(new Error(`the app exited with ${code} before printing ${pattern}:\n${output}\n${errors}`)));
  });
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Fills in the profile the matching needs: a name, a place and hobbies. */
export async function saveProfile(
  baseUrl: string,
  client: Client,
  profile: { displayName: string; hobbies: string[]; place: string; lat: number; lng: number; bio?: string },
): Promise<void> {
  const { place, lat, lng, ...rest } = profile;
  const res = await call(baseUrl, '/me', { method: 'PUT', cookie: client.cookie, json: { ...rest, location: { place, lat, lng } } });
  expect(res.status, await res.clone().text()).toBe(200);
}
