import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { printedForms } from '@switchyard/contract-tests';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createCognitoAuth } from '../src/cognito/index.js';
import { fakeJwt, userRecord } from './cognito-fake/sdk-fixtures.js';

const cognito = mockClient(CognitoIdentityProviderClient);
afterEach(() => cognito.reset());

describe('CognitoAuth printing', () => {
  for (const onEvent of [undefined, () => {}]) {
    it(`prints no client secret, AWS secret, Cognito session or refresh token (${onEvent ? 'observed' : 'plain'})`, async () => {
      const auth = await createCognitoAuth({
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_Print123',
        clientId: 'client-1',
        clientSecret: 'SECRET-client-secret',
        signIn: 'email-otp',
        credentials: { accessKeyId: 'AKIA-PRINT', secretAccessKey: 'SECRET-aws-secret-key', sessionToken: 'SECRET-aws-session' },
        onEvent,
      });
      const username = '5f0c1a9e-1111-4222-8333-944445555666';
      cognito.on(ListUsersCommand).resolves({ Users: [userRecord(username, 'ada@example.com')] });
      cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'EMAIL_OTP', Session: 'SECRET-cognito-session' });
      cognito.on(RespondToAuthChallengeCommand).resolves({
        AuthenticationResult: { AccessToken: fakeJwt({ sub: 'sub-1', username }), RefreshToken: 'SECRET-refresh-token', ExpiresIn: 3600 },
      });
      cognito.on(AdminGetUserCommand).resolves(userRecord(username, 'ada@example.com', { verified: true }));
      await auth.sendSignInEmail('ada@example.com');
      await auth.verifySignIn({ email: 'ada@example.com', code: '12345678' });
      for (const text of [...printedForms(auth), ...printedForms(auth.admin)]) expect(text).not.toMatch(/SECRET-/);
      expect(printedForms(auth)[0]).toContain('eu-west-1_Print123');
    });
  }
});
