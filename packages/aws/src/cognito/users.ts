import type { AuthUser } from '@switchyard/core/adapter/auth';
import { unverifiedJwtPayload } from '@switchyard/core/adapter/auth';

/** A Cognito user as AdminGetUser, ListUsers and AdminCreateUser return it, reduced to what we read. */
export interface CognitoUserRecord {
  Username?: string | undefined;
  /** AdminGetUser names it `UserAttributes`, ListUsers and AdminCreateUser `Attributes`. */
  Attributes?: { Name?: string | undefined; Value?: string | undefined }[] | undefined;
  UserAttributes?: { Name?: string | undefined; Value?: string | undefined }[] | undefined;
  UserCreateDate?: Date | undefined;
}

export interface AttributeNames {
  appUserIdAttribute: string;
  metadataAttribute: string;
}

/** AuthUser plus the Cognito identifiers the adapter needs for later calls. */
export interface CognitoUser extends AuthUser {
  username: string;
  sub: string;
}

function attributeMap(record: CognitoUserRecord): Map<string, string> {
  const map = new Map<string, string>();
  for (const { Name, Value } of record.Attributes ?? record.UserAttributes ?? []) if (Name && Value !== undefined) map.set(Name, Value);
  return map;
}

/** `AuthUser.metadata` from its JSON attribute or claim; anything else reads as empty. */
export function parseMetadata(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string' || raw === '') return {};
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    // Written by another tool in another shape: show nothing rather than fail the sign-in.
    return {};
  }
}

/** `AuthUser.id` is the application's id: `custom:app_user_id` when set (a migrated user keeps their UUID), else `sub`. */
export function toCognitoUser(record: CognitoUserRecord, names: AttributeNames): CognitoUser {
  const attributes = attributeMap(record);
  const sub = attributes.get('sub') ?? '';
  return {
    id: attributes.get(names.appUserIdAttribute) || sub,
    email: attributes.get('email') ?? '',
    emailVerified: attributes.get('email_verified') === 'true',
    provider: 'aws',
    metadata: parseMetadata(attributes.get(names.metadataAttribute)),
    createdAt: record.UserCreateDate,
    username: record.Username ?? '',
    sub,
  };
}

/** Strips the Cognito identifiers so callers get exactly an AuthUser. */
export function publicUser(user: CognitoUser, extra: Partial<AuthUser> = {}): AuthUser {
  const { username: _username, sub: _sub, ...rest } = user;
  return { ...rest, metadata: structuredClone(rest.metadata), ...extra };
}

// Custom attributes hold at most 2048 characters:
// https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-settings-attributes.html#user-pool-settings-custom-attributes
export const MAX_METADATA_LENGTH = 2048;

/** The claims of a token that came straight from Cognito over TLS (not verified again); `{}` when it is not a JWT. */
export function jwtClaims(token: string | undefined): Record<string, unknown> {
  return (token === undefined ? undefined : unverifiedJwtPayload(token)) ?? {};
}
