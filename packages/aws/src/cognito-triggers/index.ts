/**
 * `@switchyard/aws/cognito-triggers`: Lambda handlers for Cognito magic-link sign-in (CUSTOM_AUTH)
 * and a pre-token-generation trigger. No peer dependencies; deploy them on the user pool.
 */
export type {
  ChallengeResult,
  CreateAuthChallengeEvent,
  DefineAuthChallengeEvent,
  PreTokenGenerationV2Event,
  VerifyAuthChallengeEvent,
} from './events.js';
export { type MagicLinkStore, MemoryMagicLinkStore } from './link-store.js';
export { createLinkToken, hmacLinkSigner, type LinkClaims, type LinkSigner, readLinkToken } from './link-token.js';
export {
  createMagicLinkTriggers,
  type MagicLinkEmail,
  type MagicLinkSender,
  type MagicLinkTriggerOptions,
  type MagicLinkTriggers,
} from './magic-link.js';
export { createPreTokenGenerationTrigger, type PreTokenGenerationOptions } from './pre-token.js';
