import { randomId } from '@switchyard/contract-tests';
import { type FakeStorage, startFakeStorage } from '@switchyard/test-peers/supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBES, type Probe } from './storage-fake-probes.js';
import { forgedServiceKey, storagePeer } from './storage-peer.js';

/**
 * Keeps the fake honest: the same requests go to the real Storage API server and to the fake, and
 * any difference in status, error code or body shape fails. Values that differ by nature (ids,
 * dates, tokens) are compared by type; what the adapter reads (names, sizes, types, etags, the
 * order of a listing, token scopes and lifetimes) by value.
 */

/** Fields compared by value wherever they appear; every other field by type. */
const BY_VALUE = new Set([
  'name',
  'Key',
  'bucket_id',
  'size',
  'content_type',
  'cache_control',
  'etag',
  'eTag',
  'mimetype',
  'cacheControl',
  'contentLength',
  'httpStatusCode',
  'hasNext',
  'nextCursorKey',
  'path',
  'error',
  'code',
  'statusCode',
  'public',
  'file_size_limit',
  'allowed_mime_types',
  'owner',
]);

const HEADERS = [
  'content-type',
  'content-length',
  'content-range',
  'etag',
  'cache-control',
  'accept-ranges',
  'content-disposition',
  'x-robots-tag',
];

/** What a signed-URL token says, minus its times: its claims, and how long it lives. */
function tokenShape(token: string): unknown {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const { iat, exp, ...rest } = claims;
  return { ...rest, lifetime: (exp as number) - (iat as number) };
}

function shapeOf(value: unknown, field?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => shapeOf(item, field));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort()) out[key] = shapeOf(record[key], key);
    if (typeof record.id === 'string' && typeof record.version === 'string') out['(version is id)'] = record.id === record.version;
    return out;
  }
  if (typeof value === 'string' && (field === 'token' || field === 'signedURL' || field === 'url') && value.includes('.')) {
    const token = field === 'token' ? value : value.slice(value.lastIndexOf('?token=') + 7);
    return { path: field === 'token' ? undefined : value.slice(0, value.lastIndexOf('?token=')), token: tokenShape(token) };
  }
  if (field !== undefined && BY_VALUE.has(field)) return value;
  return value === null ? null : typeof value;
}

async function summarize(response: Response): Promise<unknown> {
  const headers: Record<string, string | null> = {};
  const body = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('application/json');
  if (!json) for (const name of HEADERS) headers[name] = response.headers.get(name);
  if (!json) headers['last-modified'] = response.headers.has('last-modified') ? '(set)' : null;
  if (!json) headers.expires = response.headers.has('expires') ? '(set)' : null;
  let parsed: unknown = body;
  if (json && body) parsed = shapeOf(JSON.parse(body));
  return { status: response.status, headers, body: parsed };
}

interface Target {
  url: string;
  serviceRoleKey: string;
  saved: Record<string, string>;
}

describe('the Storage API fake answers like the real server', () => {
  let fake: FakeStorage;
  let real: Target;
  let faked: Target;
  let forged: string;
  const names = { B: `diff-${randomId()}`, L: `diff-l-${randomId()}`, P: `diff-p-${randomId()}` };

  beforeAll(async () => {
    const peer = storagePeer();
    forged = await forgedServiceKey();
    // The peers tier runs the server with UPLOAD_SIGNED_URL_EXPIRATION_TIME=120; the fake is told the same.
    fake = await startFakeStorage({ serviceRoleKey: peer.serviceRoleKey, uploadSignedUrlExpirationTime: 120 });
    real = { url: peer.url, serviceRoleKey: peer.serviceRoleKey, saved: {} };
    faked = { url: fake.url, serviceRoleKey: peer.serviceRoleKey, saved: {} };
  });
  afterAll(() => fake?.close());

  const fill = (text: string, target: Target) =>
    text.replace(/\{(\w+)\}/g, (whole, name: string) => (names as Record<string, string>)[name] ?? target.saved[name] ?? whole);

  async function send(probe: Probe, target: Target): Promise<unknown> {
    const headers: Record<string, string> = { ...probe.headers };
    if (probe.auth !== 'none') headers.authorization = `Bearer ${probe.auth === 'forged' ? forged : target.serviceRoleKey}`;
    let body: BodyInit | undefined;
    if (probe.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = fill(JSON.stringify(probe.json), target);
    } else if (probe.body !== undefined) {
      const bytes = new Uint8Array(typeof probe.body === 'string' ? new TextEncoder().encode(probe.body) : probe.body);
      body = probe.chunked
        ? new ReadableStream({
            start(controller) {
              controller.enqueue(bytes);
              controller.close();
            },
          })
        : (bytes as Uint8Array<ArrayBuffer>);
    }
    const response = await fetch(`${target.url}/storage/v1${fill(probe.path, target)}`, {
      method: probe.method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(probe.chunked ? { duplex: 'half' } : {}),
    } as RequestInit);
    const clone = response.clone();
    const summary = await summarize(response);
    if (probe.save && response.ok) Object.assign(target.saved, probe.save(JSON.parse(await clone.text())));
    return summary;
  }

  it('gives the same status, error code and body shape to every probe', async () => {
    const differences: { probe: string; real: unknown; fake: unknown }[] = [];
    for (const probe of PROBES) {
      if (probe.waitMs) await new Promise((resolve) => setTimeout(resolve, probe.waitMs));
      const fromReal = await send(probe, real);
      const fromFake = await send(probe, faked);
      if (JSON.stringify(fromReal) !== JSON.stringify(fromFake)) differences.push({ probe: probe.label, real: fromReal, fake: fromFake });
    }
    expect(differences).toEqual([]);
  }, 120_000);
});
