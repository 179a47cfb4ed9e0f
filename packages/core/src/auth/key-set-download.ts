import { boundedFetch } from './bounded-fetch.js';

/** One public key of a JSON Web Key Set (RFC 7517 §4), as the issuer publishes it. */
export interface PublicJwk {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  [member: string]: unknown;
}

// A key set is a few kilobytes; anything far larger is not one, and must not fill memory.
const MAX_BYTES = 1024 * 1024;

/**
 * GETs a JWKS and returns its keys. Anything but a 200 with `{ "keys": [ { "kty": … }, … ] }`
 * within `timeoutMs` (headers and body) throws: an HTML error page from a proxy is an outage too.
 */
export async function downloadKeySet(url: string, timeoutMs: number, fetchImpl: typeof fetch): Promise<readonly PublicJwk[]> {
  let response: Response;
  try {
    response = await boundedFetch(fetchImpl, timeoutMs)(url, { headers: { accept: 'application/json' }, redirect: 'error' });
  } catch (error) {
    throw describeFailure(error, timeoutMs);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`HTTP ${response.status}`, { cause: response.status });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw describeFailure(error, timeoutMs);
  }
  if (text.length > MAX_BYTES) throw new Error(`the answer is over ${MAX_BYTES} bytes, not a key set`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new Error('the answer is not JSON', { cause: error });
  }
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'object' && key !== null && typeof key.kty === 'string')) {
    throw new Error('the answer is not a JSON Web Key Set ({ "keys": [...] })');
  }
  return Object.freeze(keys.map((key: PublicJwk) => Object.freeze({ ...key })));
}

function describeFailure(error: unknown, timeoutMs: number): Error {
  const name = (error as { name?: unknown })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new Error(`no answer within ${timeoutMs} ms`, { cause: error });
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return new Error(typeof code === 'string' ? code : error instanceof Error ? error.message : String(error), { cause: error });
}
