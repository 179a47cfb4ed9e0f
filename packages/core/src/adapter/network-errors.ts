/** Error codes of a connection that failed or broke: the peer may answer on the next attempt. */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Codes of a kept-alive connection the server closed meanwhile: safe to retry once on a new one. */
export const STALE_CONNECTION_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** The `code` of an error or of any error in its `cause` chain that is in `codes`. */
export function networkErrorCode(error: unknown, codes: ReadonlySet<string> = NETWORK_ERROR_CODES): string | undefined {
  let current: unknown = error;
  // fetch and the SDKs wrap the socket error one or two levels down; a cycle must not hang us.
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && codes.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when the error (or its cause) is a failed or broken connection. */
export function isNetworkError(error: unknown): boolean {
  return networkErrorCode(error) !== undefined;
}
