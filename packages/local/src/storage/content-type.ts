/**
 * Content types as the local handler stores and serves them. Downloads come from the app's own
 * origin, so a stored `text/html` or `image/svg+xml` rendered inline would run script with the
 * app's cookies: only types a browser displays without running anything are served inline.
 */

const MEDIA_TYPE = /^\s*([\w.+-]+\/[\w.+-]+)\s*(?:;(.*))?$/;
const DEFAULT_TYPE = 'application/octet-stream';

/**
 * Displayed inline; everything else is sent as an attachment. Raster images only (SVG is a
 * document that may hold script), PDF (browsers render it in a sandboxed viewer), plain text, and
 * audio and video (played by the media element, never parsed as a document).
 */
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'application/pdf', 'text/plain']);
const INLINE_FAMILIES = ['audio/', 'video/'];

/** `type/subtype` in lower case without parameters; undefined when `value` is not a media type. */
export function mediaType(value: string | undefined): string | undefined {
  return value === undefined ? undefined : MEDIA_TYPE.exec(value)?.[1]?.toLowerCase();
}

/**
 * One spelling for a content type given by trusted code (`put`, or the signer of an upload URL):
 * type, subtype and parameter names in lower case, `charset` values too (they are
 * case-insensitive, RFC 9110 §8.3.2), other parameter values as given.
 */
export function normalizeContentType(value: string): string {
  const match = MEDIA_TYPE.exec(value);
  if (!match?.[1]) return DEFAULT_TYPE;
  const parameters = (match[2] ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.includes('='))
    .map((part) => {
      const index = part.indexOf('=');
      const name = part.slice(0, index).trim().toLowerCase();
      const raw = part.slice(index + 1).trim();
      return `${name}=${name === 'charset' ? raw.toLowerCase() : raw}`;
    });
  return [match[1].toLowerCase(), ...parameters].join('; ');
}

/**
 * The type an upload through a signed URL is stored with. The signer's type, parameters and all,
 * when it signed one (the request must carry the same media type). Otherwise only the media type
 * of the request's header: parameters the signer never saw, `charset` included, are dropped, so an
 * uploader cannot choose how this origin decodes the bytes it serves.
 */
export function uploadedContentType(signed: string | undefined, header: string | undefined): string {
  if (signed !== undefined) return normalizeContentType(signed);
  return mediaType(header) ?? DEFAULT_TYPE;
}

/** True when a download of this stored type may be displayed inline rather than saved. */
export function servedInline(contentType: string): boolean {
  const type = mediaType(contentType) ?? DEFAULT_TYPE;
  return INLINE.has(type) || INLINE_FAMILIES.some((family) => type.startsWith(family));
}
