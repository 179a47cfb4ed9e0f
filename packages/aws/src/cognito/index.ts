/**
 * `@switchyard/aws/cognito`: AuthPort on Amazon Cognito user pools. Optional peers to install:
 * `npm install @switchyard/aws @aws-sdk/client-cognito-identity-provider aws-jwt-verify`.
 * Magic links also need the handlers of `@switchyard/aws/cognito-triggers` on the pool.
 */
export { type CognitoAuthDependencies, createCognitoAuth } from './create.js';
export type { CognitoAuthOptions, CognitoClientLike } from './options.js';
export { MemoryOtpSessionStore, type OtpSessionStore, type PendingOtp } from './otp-sessions.js';
