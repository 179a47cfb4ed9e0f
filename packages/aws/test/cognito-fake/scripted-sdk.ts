import { createHmac } from 'node:crypto';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import type { CognitoAuthOptions } from '../../src/cognito/index.js';
import { fakeJwt } from './sdk-fixtures.js';

// Request and response shapes follow the InitiateAuth / RespondToAuthChallenge API reference:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html

/** The scripted SDK the CognitoAuth unit tests share: one mocked client, one pool, one user. */
export const cognito = mockClient(CognitoIdentityProviderClient);
export const base: CognitoAuthOptions = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_Test123',
  clientId: 'client-1',
  clientSecret: 'client-secret',
  signIn: 'email-otp',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
};
export const email = 'ada@example.com';
export const username = '5f0c1a9e-1111-4222-8333-944445555666';
export const hash = (user: string) => createHmac('sha256', 'client-secret').update(`${user}client-1`).digest('base64');
export const tokens = {
  AccessToken: fakeJwt({ sub: 'sub-1', username, exp: 4_000_000_000 }),
  IdToken: 'id',
  RefreshToken: 'refresh-1',
  ExpiresIn: 3600,
};
