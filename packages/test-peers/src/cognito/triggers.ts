// What the proxy needs of the CUSTOM_AUTH trigger handlers, declared here by shape: `MagicLinkTriggers`
// of `@switchyard/aws/cognito-triggers` fits it, but this package may not import the adapters (they
// devDepend on it). Event fields as Cognito sends them:
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-challenge.html

interface TriggerEvent<Request> {
  version: string;
  region: string;
  userPoolId: string;
  userName: string;
  triggerSource: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: Request;
  response: Record<string, never>;
}

interface ChallengeResult {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata?: string;
}

interface SessionRequest {
  userAttributes: Record<string, string>;
  session: ChallengeResult[];
  clientMetadata?: Record<string, string>;
}

/** The Define/Create/VerifyAuthChallenge handlers the proxy runs for CUSTOM_AUTH, as Cognito would invoke the Lambdas. */
export interface CustomAuthTriggers {
  defineAuthChallenge(
    event: TriggerEvent<SessionRequest>,
  ): Promise<{ response: { challengeName?: string; issueTokens?: boolean; failAuthentication?: boolean } }>;
  createAuthChallenge(event: TriggerEvent<SessionRequest & { challengeName: string }>): Promise<{
    response: {
      publicChallengeParameters?: Record<string, string>;
      privateChallengeParameters?: Record<string, string>;
      challengeMetadata?: string;
    };
  }>;
  verifyAuthChallenge(
    event: TriggerEvent<{
      userAttributes: Record<string, string>;
      privateChallengeParameters: Record<string, string>;
      challengeAnswer: string;
      clientMetadata?: Record<string, string>;
    }>,
  ): Promise<{ response: { answerCorrect?: boolean } }>;
}
