import type { PreTokenGenerationV2Event } from './events.js';

export interface PreTokenGenerationOptions {
  /** Default `custom:app_user_id`. */
  appUserIdAttribute?: string;
  /** Default `custom:metadata`. */
  metadataAttribute?: string;
}

/**
 * A pre-token-generation trigger (event version V2_0, Essentials tier) that copies the application
 * user id, email and metadata into the access token, so `verifyAccessToken` needs no AdminGetUser
 * at all. The claims reflect the user when the token was issued (a changed email shows after the
 * next refresh).
 */
export function createPreTokenGenerationTrigger(options: PreTokenGenerationOptions = {}) {
  const appUserId = options.appUserIdAttribute ?? 'custom:app_user_id';
  const metadata = options.metadataAttribute ?? 'custom:metadata';
  return async function preTokenGeneration(event: PreTokenGenerationV2Event): Promise<PreTokenGenerationV2Event> {
    const attributes = event.request.userAttributes;
    const claims: Record<string, string> = {
      app_user_id: attributes[appUserId] || attributes.sub || '',
      email: attributes.email ?? '',
      email_verified: attributes.email_verified ?? 'false',
      ...(attributes[metadata] ? { app_metadata: attributes[metadata] } : {}),
    };
    const details = event.response.claimsAndScopeOverrideDetails ?? {};
    const access = details.accessTokenGeneration ?? {};
    event.response.claimsAndScopeOverrideDetails = {
      ...details,
      accessTokenGeneration: { ...access, claimsToAddOrOverride: { ...access.claimsToAddOrOverride, ...claims } },
    };
    return event;
  };
}
