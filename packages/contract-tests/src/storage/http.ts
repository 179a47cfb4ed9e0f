import type { UploadTarget } from '@switchyard/core/adapter';

/** Uploads through a signed target the way a browser would: PUT the bytes, or POST a form. */
export async function uploadThrough(target: UploadTarget, bytes: Uint8Array, contentType: string): Promise<Response> {
  // Copy into a plain ArrayBuffer-backed view: fetch and Blob do not take shared buffers.
  const body = new Uint8Array(bytes);
  if (target.method === 'PUT') {
    const headers = new Headers(target.headers);
    headers.set('content-type', contentType);
    return fetch(target.url, { method: 'PUT', headers, body });
  }
  const form = new FormData();
  // The form's Content-Type field is the object's type (the file part's own type is ignored), and
  // the uploader controls every field: send the type being uploaded in place of any signed one,
  // as a browser posting another type would, so the provider's policy check is what is tested.
  for (const [name, value] of Object.entries(target.fields)) if (name.toLowerCase() !== 'content-type') form.append(name, value);
  form.append('Content-Type', contentType);
  form.append('file', new Blob([body], { type: contentType }), 'upload.bin');
  return fetch(target.url, { method: 'POST', body: form, headers: target.headers });
}

/** The URL with its signature (or token) parameter altered by one character. */
export function tamperSignature(url: string): string {
  const parsed = new URL(url);
  const name = [...parsed.searchParams.keys()].find((param) => /sig|token/i.test(param));
  if (!name) throw new Error('the signed URL has no query parameter that looks like a signature or token');
  const value = parsed.searchParams.get(name) ?? '';
  const index = Math.floor(value.length / 2);
  const replacement = value[index] === 'A' ? 'B' : 'A';
  parsed.searchParams.set(name, `${value.slice(0, index)}${replacement}${value.slice(index + 1)}`);
  return parsed.toString();
}

/** Drains a response so the socket is released. */
export async function drain(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}
