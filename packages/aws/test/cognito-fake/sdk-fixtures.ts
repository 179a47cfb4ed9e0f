import { CognitoIdentityProviderServiceException } from '@aws-sdk/client-cognito-identity-provider';

/** A service error as the SDK deserialises it: name, message, fault and HTTP status. */
export function sdkError(name: string, message: string, status: number): CognitoIdentityProviderServiceException {
  return new CognitoIdentityProviderServiceException({
    name,
    message,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

/** A user as AdminGetUser returns it (UserAttributes) and ListUsers lists it (Attributes). */
export function userRecord(username: string, email: string, options: { verified?: boolean; sub?: string } = {}) {
  const attributes = [
    { Name: 'sub', Value: options.sub ?? 'sub-1' },
    { Name: 'email', Value: email },
    { Name: 'email_verified', Value: String(options.verified ?? false) },
    { Name: 'custom:app_user_id', Value: username },
  ];
  return { Username: username, Attributes: attributes, UserAttributes: attributes, UserCreateDate: new Date(0), Enabled: true };
}

/** An unsigned JWT: the scripted responses only need a payload to read. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k' })}.${part(claims)}.sig`;
}
