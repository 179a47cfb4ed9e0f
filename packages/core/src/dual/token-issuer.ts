import { unverifiedJwtPayload } from '../adapter/jwt-payload.js';

/**
 * The `iss` claim of a JWT, read WITHOUT verifying anything: it only chooses which provider
 * verifies the token, and that provider then checks signature, issuer, audience and expiry.
 */
export function unverifiedIssuer(token: string): string | undefined {
  const iss = unverifiedJwtPayload(token)?.iss;
  return typeof iss === 'string' ? iss : undefined;
}
