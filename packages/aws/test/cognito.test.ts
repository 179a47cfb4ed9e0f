import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCognitoAuth } from '../src/cognito/index.js';
import { base, cognito, email, hash, tokens, username } from './cognito-fake/scripted-sdk.js';
import { sdkError, userRecord } from './cognito-fake/sdk-fixtures.js';

beforeEach(() => cognito.reset());
afterEach(() => cognito.reset());

describe('CognitoAuth (scripted SDK)', () => {
  describe('email-otp sign-in (USER_AUTH → EMAIL_OTP)', () => {
    it('answers SELECT_CHALLENGE with EMAIL_OTP, keeps the Session server-side and sends SECRET_HASH', async () => {
      const auth = await createCognitoAuth(base);
      cognito.on(ListUsersCommand, { Filter: `email = "${email}"` }).resolves({ Users: [userRecord(username, email)] });
      cognito
        .on(InitiateAuthCommand, { AuthFlow: 'USER_AUTH' })
        .resolves({ ChallengeName: 'SELECT_CHALLENGE', Session: 'session-1', AvailableChallenges: ['PASSWORD', 'EMAIL_OTP'] });
      cognito
        .on(RespondToAuthChallengeCommand, { ChallengeName: 'SELECT_CHALLENGE' })
        .resolves({ ChallengeName: 'EMAIL_OTP', Session: 'session-2', ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL' } });
      cognito
        .on(RespondToAuthChallengeCommand, { ChallengeName: 'EMAIL_OTP' })
        .resolves({ AuthenticationResult: tokens, ChallengeParameters: {} });
      cognito.on(AdminGetUserCommand).resolves(userRecord(username, email, { verified: true }));

      await auth.sendSignInEmail('Ada@Example.com');
      const session = await auth.verifySignIn({ email, code: '12345678' });

      expect(cognito.commandCalls(InitiateAuthCommand)[0]?.args[0].input).toEqual({
        AuthFlow: 'USER_AUTH',
        ClientId: 'client-1',
        AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'EMAIL_OTP', SECRET_HASH: hash(username) },
      });
      const [select, answer] = cognito.commandCalls(RespondToAuthChallengeCommand).map((c) => c.args[0].input);
      expect(select).toMatchObject({
        Session: 'session-1',
        ChallengeResponses: { USERNAME: username, ANSWER: 'EMAIL_OTP', SECRET_HASH: hash(username) },
      });
      expect(answer).toMatchObject({
        Session: 'session-2',
        ChallengeResponses: { USERNAME: username, EMAIL_OTP_CODE: '12345678', SECRET_HASH: hash(username) },
      });
      expect(session).toMatchObject({ accessToken: tokens.AccessToken, refreshToken: 'refresh-1', user: { id: username, email } });
      expect(session.expiresAt.getTime()).toBe(4_000_000_000_000);
      expect(JSON.stringify(session)).not.toContain('session-2');
    });

    it('creates a missing user with AdminCreateUser (SUPPRESS, email_verified) before sign-in', async () => {
      const auth = await createCognitoAuth(base);
      cognito.on(ListUsersCommand).resolves({ Users: [] });
      cognito.on(AdminCreateUserCommand).callsFake((input) => ({ User: userRecord(input.Username, email, { verified: true }) }));
      cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'EMAIL_OTP', Session: 'session-1' });
      await auth.sendSignInEmail(email);
      const created = cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input;
      expect(created).toMatchObject({ UserPoolId: 'eu-west-1_Test123', MessageAction: 'SUPPRESS' });
      expect(created?.UserAttributes).toEqual(
        expect.arrayContaining([
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'custom:app_user_id', Value: created?.Username },
        ]),
      );
    });

    it('refuses an unknown address with NOT_FOUND when createUser is false, before any sign-in call', async () => {
      const auth = await createCognitoAuth(base);
      cognito.on(ListUsersCommand).resolves({ Users: [] });
      await expectSwitchyardError(auth.sendSignInEmail(email, { createUser: false }), 'NOT_FOUND');
      expect(cognito.commandCalls(InitiateAuthCommand)).toHaveLength(0);
      expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
    });

    it('says CONFIG when the pool offers no EMAIL_OTP', async () => {
      const auth = await createCognitoAuth(base);
      cognito.on(ListUsersCommand).resolves({ Users: [userRecord(username, email)] });
      cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'SELECT_CHALLENGE', Session: 's', AvailableChallenges: ['PASSWORD'] });
      await expectSwitchyardError(auth.sendSignInEmail(email), 'CONFIG');
    });

    it.each([
      ['CodeMismatchException', 'Invalid code or auth state for the user.', 'invalid'],
      ['ExpiredCodeException', 'Invalid code provided, please request a code again.', 'expired'],
      ['NotAuthorizedException', 'Invalid session for the user, session is expired.', 'expired'],
      ['NotAuthorizedException', 'Invalid session for the user, session can only be used once.', 'revoked'],
    ] as const)('maps %s (%s) to UNAUTHENTICATED %s', async (name, message, reason) => {
      const auth = await createCognitoAuth(base);
      cognito.on(ListUsersCommand).resolves({ Users: [userRecord(username, email)] });
      cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'EMAIL_OTP', Session: 'session-1' });
      const original = sdkError(name, message, 400);
      cognito.on(RespondToAuthChallengeCommand).rejects(original);
      await auth.sendSignInEmail(email);
      const error = await expectSwitchyardError(auth.verifySignIn({ email, code: '12345678' }), 'UNAUTHENTICATED', reason);
      expect(error.cause).toBe(original);
      expect(error.message).not.toContain('session-1');
    });

    it('refuses a code for an address with no pending sign-in without calling Cognito', async () => {
      const auth = await createCognitoAuth(base);
      await expectSwitchyardError(auth.verifySignIn({ email, code: '12345678' }), 'UNAUTHENTICATED', 'invalid');
      expect(cognito.calls()).toHaveLength(0);
    });
  });

  describe('refresh, signOut and admin', () => {
    it('refreshes with GetTokensFromRefreshToken when the client has a secret, keeping the refresh token', async () => {
      const auth = await createCognitoAuth(base);
      cognito.on(GetTokensFromRefreshTokenCommand).resolves({ AuthenticationResult: { ...tokens, RefreshToken: undefined } });
      cognito.on(AdminGetUserCommand).resolves(userRecord(username, email));
      const session = await auth.refresh('refresh-1');
      expect(cognito.commandCalls(GetTokensFromRefreshTokenCommand)[0]?.args[0].input).toEqual({
        RefreshToken: 'refresh-1',
        ClientId: 'client-1',
        ClientSecret: 'client-secret',
      });
      expect(session.refreshToken).toBe('refresh-1');
    });

    it('refreshes with REFRESH_TOKEN_AUTH without a secret', async () => {
      const auth = await createCognitoAuth({ ...base, clientSecret: undefined });
      cognito.on(InitiateAuthCommand).resolves({ AuthenticationResult: { ...tokens, RefreshToken: undefined } });
      cognito.on(AdminGetUserCommand).resolves(userRecord(username, email));
      await auth.refresh('refresh-1');
      expect(cognito.commandCalls(InitiateAuthCommand)[0]?.args[0].input).toEqual({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: 'client-1',
        AuthParameters: { REFRESH_TOKEN: 'refresh-1' },
      });
    });

    it('signs out locally with RevokeToken and refuses scope others as UNSUPPORTED', async () => {
      const auth = await createCognitoAuth(base);
      cognito.on(RevokeTokenCommand).resolves({});
      await auth.signOut({ accessToken: 'a', refreshToken: 'refresh-1' });
      expect(cognito.commandCalls(RevokeTokenCommand)[0]?.args[0].input).toEqual({
        Token: 'refresh-1',
        ClientId: 'client-1',
        ClientSecret: 'client-secret',
      });
      await expectSwitchyardError(auth.signOut({ accessToken: 'a', refreshToken: 'r' }, { scope: 'others' }), 'UNSUPPORTED');
    });

    it('maps the ListUsers PaginationToken to the cursor and back', async () => {
      const auth = await createCognitoAuth(base);
      cognito
        .on(ListUsersCommand, { PaginationToken: undefined })
        .resolves({ Users: [userRecord(username, email)], PaginationToken: 'page-2' });
      cognito.on(ListUsersCommand, { PaginationToken: 'page-2' }).resolves({ Users: [] });
      const first = await auth.admin.listUsers({ limit: 1 });
      expect(first.cursor).toBe('page-2');
      expect(cognito.commandCalls(ListUsersCommand)[0]?.args[0].input).toMatchObject({ Limit: 1 });
      expect((await auth.admin.listUsers({ limit: 1, cursor: first.cursor })).cursor).toBeUndefined();
      await expectSwitchyardError(auth.admin.listUsers({ limit: 61 }), 'INVALID_INPUT');
    });
  });

  describe('error mapping', () => {
    it.each([
      ['NotAuthorizedException', 'Invalid Refresh Token', 400, 'UNAUTHENTICATED', 'invalid', false],
      ['NotAuthorizedException', 'Refresh Token has been revoked', 400, 'UNAUTHENTICATED', 'revoked', false],
      ['NotAuthorizedException', 'Refresh Token has expired', 400, 'UNAUTHENTICATED', 'expired', false],
      ['NotAuthorizedException', 'Unable to verify secret hash for client client-1', 400, 'CONFIG', undefined, false],
      ['NotAuthorizedException', 'User is disabled.', 400, 'FORBIDDEN', undefined, false],
      ['CodeMismatchException', 'Invalid code', 400, 'UNAUTHENTICATED', 'invalid', false],
      ['ExpiredCodeException', 'Expired', 400, 'UNAUTHENTICATED', 'expired', false],
      ['UserNotFoundException', 'User does not exist.', 400, 'NOT_FOUND', undefined, false],
      ['UsernameExistsException', 'User account already exists', 400, 'CONFLICT', undefined, false],
      ['TooManyRequestsException', 'Too many requests', 400, 'RATE_LIMITED', undefined, true],
      ['LimitExceededException', 'Attempt limit exceeded', 400, 'RATE_LIMITED', undefined, true],
      ['InvalidParameterException', 'Invalid attributes given', 400, 'INVALID_INPUT', undefined, false],
      ['InvalidParameterException', 'USER_AUTH flow not enabled for this client', 400, 'CONFIG', undefined, false],
      ['ResourceNotFoundException', 'User pool client does not exist.', 400, 'CONFIG', undefined, false],
      ['InternalErrorException', 'Internal error', 500, 'UNAVAILABLE', undefined, true],
      ['ServiceUnavailable', 'Service unavailable', 503, 'UNAVAILABLE', undefined, true],
    ] as const)('%s "%s" (HTTP %s) → %s %s', async (name, message, status, code, reason, retryable) => {
      const auth = await createCognitoAuth({ ...base, clientSecret: undefined });
      const original = sdkError(name, message, status);
      cognito.on(InitiateAuthCommand).rejects(original);
      const error = await expectSwitchyardError(auth.refresh('refresh-1'), code, reason);
      expect(error).toMatchObject({ port: 'auth', provider: 'aws', operation: 'refresh', retryable });
      expect(error.cause).toBe(original);
      expect(error.message).not.toContain('refresh-1');
    });

    it('maps a network failure to UNAVAILABLE (retryable)', async () => {
      const auth = await createCognitoAuth(base);
      const original = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      cognito.on(ListUsersCommand).rejects(original);
      const error = await expectSwitchyardError(auth.admin.getUserByEmail(email), 'UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect(error.cause).toBe(original);
    });

    it('maps UsernameExistsException on AdminCreateUser to CONFLICT and refuses bad input before I/O', async () => {
      const auth = await createCognitoAuth(base);
      cognito.on(ListUsersCommand).resolves({ Users: [] });
      cognito.on(AdminCreateUserCommand).rejects(sdkError('UsernameExistsException', 'User account already exists', 400));
      await expectSwitchyardError(auth.admin.createUser({ email, id: username }), 'CONFLICT');
      cognito.reset();
      await expectSwitchyardError(auth.admin.createUser({ email, id: 'not an id!' }), 'INVALID_INPUT');
      await expectSwitchyardError(auth.admin.createUser({ email, metadata: { big: 'x'.repeat(3000) } }), 'INVALID_INPUT');
      expect(cognito.calls()).toHaveLength(0);
    });
  });

  describe('createCognitoAuth', () => {
    it('fails with CONFIG naming the package when the SDK is not installed', async () => {
      const missing = () => Promise.reject(Object.assign(new Error('Cannot find package'), { code: 'ERR_MODULE_NOT_FOUND' }));
      const error = await expectSwitchyardError(createCognitoAuth(base, { importCognito: missing }), 'CONFIG');
      expect(error.message).toContain('@aws-sdk/client-cognito-identity-provider');
    });

    it('lists every invalid option in one CONFIG error', async () => {
      const error = await expectSwitchyardError(
        createCognitoAuth({ region: '', userPoolId: '', clientId: 'c', signIn: 'sms' as never, endpoint: 'not a url' }),
        'CONFIG',
      );
      expect(error.message).toMatch(/region.*userPoolId.*signIn.*endpoint/);
    });
  });
});
