import {
  AdminGetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCognitoAuth } from '../src/cognito/index.js';
import { base, cognito, email, hash, tokens, username } from './cognito-fake/scripted-sdk.js';
import { sdkError, userRecord } from './cognito-fake/sdk-fixtures.js';

beforeEach(() => cognito.reset());
afterEach(() => cognito.reset());

describe('CognitoAuth (scripted SDK)', () => {
  describe('magic-link sign-in (CUSTOM_AUTH)', () => {
    const magic = { ...base, signIn: 'magic-link' as const, magicLink: { redirectTo: 'https://app.example.com/cb' } };
    const token = `${Buffer.from(JSON.stringify({ userName: username, iat: 1, exp: 2, nonce: 'n'.repeat(22) })).toString('base64url')}.c2ln`;

    it('sends: InitiateAuth CUSTOM_AUTH, then the parameters round with signInMethod and redirectUri', async () => {
      const auth = await createCognitoAuth(magic);
      cognito.on(ListUsersCommand).resolves({ Users: [userRecord(username, email)] });
      cognito
        .on(InitiateAuthCommand)
        .resolves({ ChallengeName: 'CUSTOM_CHALLENGE', Session: 'c-1', ChallengeParameters: { challenge: 'PROVIDE_AUTH_PARAMETERS' } });
      cognito
        .on(RespondToAuthChallengeCommand)
        .resolves({ ChallengeName: 'CUSTOM_CHALLENGE', Session: 'c-2', ChallengeParameters: { challenge: 'MAGIC_LINK' } });
      await auth.sendSignInEmail(email);
      expect(cognito.commandCalls(InitiateAuthCommand)[0]?.args[0].input).toMatchObject({
        AuthFlow: 'CUSTOM_AUTH',
        AuthParameters: { USERNAME: username, SECRET_HASH: hash(username) },
      });
      expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0]?.args[0].input).toMatchObject({
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session: 'c-1',
        ClientMetadata: { signInMethod: 'MAGIC_LINK', redirectUri: 'https://app.example.com/cb', alreadyHaveMagicLink: 'no' },
      });
    });

    it('verifies: a fresh CUSTOM_AUTH, alreadyHaveMagicLink, then the token as ANSWER', async () => {
      const auth = await createCognitoAuth(magic);
      cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'CUSTOM_CHALLENGE', Session: 'v-1' });
      cognito.on(RespondToAuthChallengeCommand, { Session: 'v-1' }).resolves({ ChallengeName: 'CUSTOM_CHALLENGE', Session: 'v-2' });
      cognito.on(RespondToAuthChallengeCommand, { Session: 'v-2' }).resolves({ AuthenticationResult: tokens });
      cognito.on(AdminGetUserCommand).resolves(userRecord(username, email, { verified: true }));
      const session = await auth.verifySignIn({ tokenHash: token });
      const [ready, answer] = cognito.commandCalls(RespondToAuthChallengeCommand).map((c) => c.args[0].input);
      expect(ready?.ClientMetadata).toEqual({ signInMethod: 'MAGIC_LINK', alreadyHaveMagicLink: 'yes' });
      expect(answer?.ChallengeResponses).toEqual({ USERNAME: username, ANSWER: token, SECRET_HASH: hash(username) });
      expect(session.user.id).toBe(username);
    });

    it.each([
      ['VerifyAuthChallengeResponse failed with error SWITCHYARD_LINK_EXPIRED: the link has expired.', 'expired'],
      ['VerifyAuthChallengeResponse failed with error SWITCHYARD_LINK_USED: the link was already used.', 'revoked'],
      ['VerifyAuthChallengeResponse failed with error SWITCHYARD_LINK_INVALID: the link is not valid.', 'invalid'],
    ] as const)('maps the trigger error "%s" to %s', async (message, reason) => {
      const auth = await createCognitoAuth(magic);
      cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'CUSTOM_CHALLENGE', Session: 'v-1' });
      cognito.on(RespondToAuthChallengeCommand, { Session: 'v-1' }).resolves({ ChallengeName: 'CUSTOM_CHALLENGE', Session: 'v-2' });
      cognito.on(RespondToAuthChallengeCommand, { Session: 'v-2' }).rejects(sdkError('UserLambdaValidationException', message, 400));
      await expectSwitchyardError(auth.verifySignIn({ tokenHash: token }), 'UNAUTHENTICATED', reason);
    });

    it('maps a refused answer (Define failed the sign-in) to invalid, and a malformed token without a call', async () => {
      const auth = await createCognitoAuth(magic);
      await expectSwitchyardError(auth.verifySignIn({ tokenHash: 'garbage' }), 'UNAUTHENTICATED', 'invalid');
      expect(cognito.calls()).toHaveLength(0);
      cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'CUSTOM_CHALLENGE', Session: 'v-1' });
      cognito.on(RespondToAuthChallengeCommand, { Session: 'v-1' }).resolves({ ChallengeName: 'CUSTOM_CHALLENGE', Session: 'v-2' });
      cognito
        .on(RespondToAuthChallengeCommand, { Session: 'v-2' })
        .rejects(sdkError('NotAuthorizedException', 'Incorrect username or password.', 400));
      await expectSwitchyardError(auth.verifySignIn({ tokenHash: token }), 'UNAUTHENTICATED', 'invalid');
    });

    it('maps a too-soon link to RATE_LIMITED and a refused redirect to INVALID_INPUT', async () => {
      const auth = await createCognitoAuth(magic);
      cognito.on(ListUsersCommand).resolves({ Users: [userRecord(username, email)] });
      cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'CUSTOM_CHALLENGE', Session: 'c-1' });
      cognito
        .on(RespondToAuthChallengeCommand)
        .rejects(sdkError('UserLambdaValidationException', 'CreateAuthChallenge failed with error SWITCHYARD_LINK_TOO_SOON: x.', 400));
      await expectSwitchyardError(auth.sendSignInEmail(email), 'RATE_LIMITED');
      cognito
        .on(RespondToAuthChallengeCommand)
        .rejects(
          sdkError('UserLambdaValidationException', 'CreateAuthChallenge failed with error SWITCHYARD_LINK_REDIRECT_NOT_ALLOWED: x.', 400),
        );
      await expectSwitchyardError(auth.sendSignInEmail(email), 'INVALID_INPUT');
    });
  });
});
