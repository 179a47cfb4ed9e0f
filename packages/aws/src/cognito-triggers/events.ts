// Minimal shapes of the Cognito trigger events these handlers read and write, from
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-challenge.html
// (kept local so the package does not depend on @types/aws-lambda).

interface TriggerEventBase {
  version: string;
  region: string;
  userPoolId: string;
  userName: string;
  triggerSource: string;
  callerContext: { awsSdkVersion?: string; clientId: string };
}

/** One earlier challenge of this sign-in, as Define/CreateAuthChallenge see it. */
export interface ChallengeResult {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata?: string;
}

export interface DefineAuthChallengeEvent extends TriggerEventBase {
  request: {
    userAttributes: Record<string, string>;
    session: ChallengeResult[];
    clientMetadata?: Record<string, string>;
    userNotFound?: boolean;
  };
  response: { challengeName?: string; issueTokens?: boolean; failAuthentication?: boolean };
}

export interface CreateAuthChallengeEvent extends TriggerEventBase {
  request: {
    userAttributes: Record<string, string>;
    challengeName: string;
    session: ChallengeResult[];
    clientMetadata?: Record<string, string>;
    userNotFound?: boolean;
  };
  response: {
    publicChallengeParameters?: Record<string, string>;
    privateChallengeParameters?: Record<string, string>;
    challengeMetadata?: string;
  };
}

export interface VerifyAuthChallengeEvent extends TriggerEventBase {
  request: {
    userAttributes: Record<string, string>;
    privateChallengeParameters: Record<string, string>;
    challengeAnswer: string;
    clientMetadata?: Record<string, string>;
    userNotFound?: boolean;
  };
  response: { answerCorrect?: boolean };
}

/** Pre token generation, event version 2 (V2_0), which may add claims to access tokens. */
export interface PreTokenGenerationV2Event extends TriggerEventBase {
  request: { userAttributes: Record<string, string>; scopes?: string[]; clientMetadata?: Record<string, string> };
  response: {
    claimsAndScopeOverrideDetails?: {
      idTokenGeneration?: { claimsToAddOrOverride?: Record<string, string>; claimsToSuppress?: string[] };
      accessTokenGeneration?: { claimsToAddOrOverride?: Record<string, string>; claimsToSuppress?: string[] };
    } | null;
  };
}
