import { randomBytes } from 'node:crypto';

export type Json = Record<string, unknown>;
export type Attributes = { Name: string; Value: string }[];

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

/** An error as Cognito answers it: `__type` and `message`. */
export class CognitoFault extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A fresh `Session`: each challenge step answers with a new one. */
export function newSession(): string {
  return randomBytes(48).toString('base64');
}
