import type { IssuedTokens } from './issued-tokens.js';
import type { CustomAuthTriggers } from './triggers.js';
import type { Upstream } from './upstream.js';
import { CognitoFault, type Json, newSession } from './wire.js';

interface CustomSession {
  username: string;
  attributes: Record<string, string>;
  history: { challengeName: string; challengeResult: boolean; challengeMetadata?: string }[];
  privateParameters: Record<string, string>;
  metadata: string | undefined;
  used: boolean;
}

/** CUSTOM_AUTH, running the Define/Create/VerifyAuthChallenge triggers as Cognito invokes the Lambdas. */
export class CustomAuth {
  private readonly custom = new Map<string, CustomSession>();

  constructor(
    private readonly upstream: Upstream,
    private readonly tokens: IssuedTokens,
    private readonly options: { readonly userPoolId: string; readonly triggers?: CustomAuthTriggers },
  ) {}

  async startCustomAuth(input: Json, parameters: Record<string, string>): Promise<Json> {
    const triggers = this.options.triggers;
    if (!triggers) throw new CognitoFault('InvalidParameterException', 'Custom auth lambda trigger is not configured for the user pool.');
    const user = await this.upstream.user(parameters.USERNAME ?? '');
    const state: CustomSession = {
      username: user.Username,
      attributes: user.attributes,
      history: [],
      privateParameters: {},
      metadata: undefined,
      used: false,
    };
    return this.nextCustomStep(state, String(input.ClientId), undefined);
  }

  async answerCustom(input: Json, parameters: Record<string, string>): Promise<Json> {
    const triggers = this.options.triggers!;
    const state = this.custom.get(String(input.Session));
    if (!state) throw new CognitoFault('NotAuthorizedException', 'Invalid session for the user.');
    if (state.used) throw new CognitoFault('NotAuthorizedException', 'Invalid session for the user, session can only be used once.');
    state.used = true;
    const clientMetadata = input.ClientMetadata as Record<string, string> | undefined;
    const verified = await runTrigger('VerifyAuthChallengeResponse', () =>
      triggers.verifyAuthChallenge({
        ...this.eventBase(state, String(input.ClientId), 'VerifyAuthChallengeResponse_Authentication'),
        request: {
          userAttributes: state.attributes,
          privateChallengeParameters: state.privateParameters,
          challengeAnswer: parameters.ANSWER ?? '',
          ...(clientMetadata ? { clientMetadata } : {}),
        },
        response: {},
      }),
    );
    const history = [
      ...state.history,
      {
        challengeName: 'CUSTOM_CHALLENGE',
        challengeResult: verified.response.answerCorrect === true,
        ...(state.metadata ? { challengeMetadata: state.metadata } : {}),
      },
    ];
    return this.nextCustomStep({ ...state, history, used: false }, String(input.ClientId), clientMetadata);
  }

  private async nextCustomStep(state: CustomSession, clientId: string, clientMetadata: Record<string, string> | undefined): Promise<Json> {
    const triggers = this.options.triggers!;
    const defined = await runTrigger('DefineAuthChallenge', () =>
      triggers.defineAuthChallenge({
        ...this.eventBase(state, clientId, 'DefineAuthChallenge_Authentication'),
        request: { userAttributes: state.attributes, session: state.history, ...(clientMetadata ? { clientMetadata } : {}) },
        response: {},
      }),
    );
    if (defined.response.issueTokens) return this.tokens.issueTokens(state.username, clientId);
    if (defined.response.failAuthentication || defined.response.challengeName !== 'CUSTOM_CHALLENGE') {
      throw new CognitoFault('NotAuthorizedException', 'Incorrect username or password.');
    }
    const created = await runTrigger('CreateAuthChallenge', () =>
      triggers.createAuthChallenge({
        ...this.eventBase(state, clientId, 'CreateAuthChallenge_Authentication'),
        request: {
          userAttributes: state.attributes,
          challengeName: 'CUSTOM_CHALLENGE',
          session: state.history,
          ...(clientMetadata ? { clientMetadata } : {}),
        },
        response: {},
      }),
    );
    const session = newSession();
    this.custom.set(session, {
      ...state,
      privateParameters: created.response.privateChallengeParameters ?? {},
      metadata: created.response.challengeMetadata,
    });
    return {
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: session,
      ChallengeParameters: { ...created.response.publicChallengeParameters, USERNAME: state.username },
    };
  }

  private eventBase(state: CustomSession, clientId: string, triggerSource: string) {
    return {
      version: '1',
      region: this.options.userPoolId.split('_')[0] ?? '',
      userPoolId: this.options.userPoolId,
      userName: state.username,
      triggerSource,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
    };
  }
}

async function runTrigger<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new CognitoFault(
      'UserLambdaValidationException',
      `${name} failed with error ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
}
