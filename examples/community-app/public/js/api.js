/** The JSON API of the app's own server; a failure throws with the server's message. */

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message ?? `Request failed (${status})`);
    this.status = status;
    this.code = error?.code;
  }
}

export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data.error);
  return data;
}

/** Uploads a file to the signed URL the server handed out (it may be on another host: a bucket). */
export async function uploadTo(upload, file) {
  const init =
    upload.method === 'PUT'
      ? { method: 'PUT', headers: { ...upload.headers, 'content-type': file.type }, body: file }
      : { method: 'POST', body: formFor(upload.fields, file) };
  const response = await fetch(upload.url, init);
  if (!response.ok) throw new Error(`The upload was refused (${response.status}).`);
}

function formFor(fields, file) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', file);
  return form;
}
