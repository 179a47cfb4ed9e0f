import { describe, expect, it } from 'vitest';
import {
  type CreateAuthChallengeEvent,
  createMagicLinkTriggers,
  createPreTokenGenerationTrigger,
  type DefineAuthChallengeEvent,
  hmacLinkSigner,
  type MagicLinkEmail,
  MemoryMagicLinkStore,
  type VerifyAuthChallengeEvent,
} from '../src/cognito-triggers/index.js';

// Event fixtures follow the shapes in
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-challenge.html
const base = {
  version: '1',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_Test123',
  userName: 'user-1',
  callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'client-1' },
};
const attributes = { sub: 'sub-1', email: 'ada@example.com', email_verified: 'true' };
const provide = { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'PROVIDE_AUTH_PARAMETERS' };
const REDIRECT = 'https://app.example.com/auth/callback';

function setup(options: { minIntervalSeconds?: number } = {}) {
  let now = 1_800_000_000_000;
  const sent: MagicLinkEmail[] = [];
  const triggers = createMagicLinkTriggers({
    signer: hmacLinkSigner('a-test-secret-of-at-least-32-bytes!!'),
    store: new MemoryMagicLinkStore(() => now),
    sender: { send: async (mail) => void sent.push(mail) },
    allowedRedirects: [REDIRECT],
    now: () => now,
    ...options,
  });
  const create = (clientMetadata: Record<string, string>, userName = 'user-1'): CreateAuthChallengeEvent => ({
    ...base,
    userName,
    triggerSource: 'CreateAuthChallenge_Authentication',
    request: { userAttributes: attributes, challengeName: 'CUSTOM_CHALLENGE', session: [provide], clientMetadata },
    response: {},
  });
  const verify = (answer: string, userName = 'user-1'): VerifyAuthChallengeEvent => ({
    ...base,
    userName,
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    request: { userAttributes: attributes, privateChallengeParameters: { challenge: 'MAGIC_LINK' }, challengeAnswer: answer },
    response: {},
  });
  const sendLink = async (redirectUri = REDIRECT, userName = 'user-1') => {
    await triggers.createAuthChallenge(create({ signInMethod: 'MAGIC_LINK', redirectUri, alreadyHaveMagicLink: 'no' }, userName));
    return new URL(sent.at(-1)!.link).searchParams.get('token_hash')!;
  };
  return { triggers, sent, create, verify, sendLink, advance: (ms: number) => (now += ms) };
}

function define(session: DefineAuthChallengeEvent['request']['session']): DefineAuthChallengeEvent {
  return { ...base, triggerSource: 'DefineAuthChallenge_Authentication', request: { userAttributes: attributes, session }, response: {} };
}

describe('magic-link triggers', () => {
  it('asks for parameters first, then issues tokens only after a correct magic link', async () => {
    const { triggers } = setup();
    expect((await triggers.defineAuthChallenge(define([]))).response).toMatchObject({
      challengeName: 'CUSTOM_CHALLENGE',
      issueTokens: false,
    });
    expect((await triggers.defineAuthChallenge(define([provide]))).response).toMatchObject({ challengeName: 'CUSTOM_CHALLENGE' });
    const passed = { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'MAGIC_LINK' };
    expect((await triggers.defineAuthChallenge(define([provide, passed]))).response).toMatchObject({ issueTokens: true });
    expect((await triggers.defineAuthChallenge(define([provide, { ...passed, challengeResult: false }]))).response).toMatchObject({
      failAuthentication: true,
    });
    const unknown = define([]);
    unknown.request.userNotFound = true;
    expect((await triggers.defineAuthChallenge(unknown)).response).toMatchObject({ failAuthentication: true });
  });

  it('mails a signed link to an allowed redirect and accepts it once', async () => {
    const { triggers, sent, verify, sendLink } = setup();
    const token = await sendLink();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: 'ada@example.com', userName: 'user-1' });
    expect(sent[0]?.link.startsWith(`${REDIRECT}?token_hash=`)).toBe(true);
    expect(sent[0]?.expiresAt.getTime()).toBe(1_800_000_000_000 + 15 * 60_000);
    expect((await triggers.verifyAuthChallenge(verify(token))).response.answerCorrect).toBe(true);
    await expect(triggers.verifyAuthChallenge(verify(token))).rejects.toThrow(/SWITCHYARD_LINK_USED/);
  });

  it('refuses a tampered link and a link of another user as invalid', async () => {
    const { triggers, verify, sendLink } = setup();
    const token = await sendLink();
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = `${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86_400 })).toString('base64url')}.${signature}`;
    await expect(triggers.verifyAuthChallenge(verify(forged))).rejects.toThrow(/SWITCHYARD_LINK_INVALID/);
    await expect(triggers.verifyAuthChallenge(verify(token, 'user-2'))).rejects.toThrow(/SWITCHYARD_LINK_INVALID/);
    await expect(triggers.verifyAuthChallenge(verify('not-a-token'))).rejects.toThrow(/SWITCHYARD_LINK_INVALID/);
  });

  it('refuses an expired link', async () => {
    const { triggers, verify, sendLink, advance } = setup();
    const token = await sendLink();
    advance(15 * 60_000 + 1000);
    await expect(triggers.verifyAuthChallenge(verify(token))).rejects.toThrow(/SWITCHYARD_LINK_EXPIRED/);
  });

  it('refuses a second link within the minimum gap, and allows it afterwards', async () => {
    const { sent, sendLink, advance } = setup({ minIntervalSeconds: 60 });
    await sendLink();
    await expect(sendLink()).rejects.toThrow(/SWITCHYARD_LINK_TOO_SOON/);
    await sendLink(REDIRECT, 'user-2');
    advance(61_000);
    await sendLink();
    expect(sent.map((mail) => mail.userName)).toEqual(['user-1', 'user-2', 'user-1']);
  });

  it('refuses redirects off the allow-list, including another path on the same origin', async () => {
    const { sent, sendLink } = setup();
    await expect(sendLink('https://evil.example.com/auth/callback')).rejects.toThrow(/SWITCHYARD_LINK_REDIRECT_NOT_ALLOWED/);
    await expect(sendLink('https://app.example.com/elsewhere')).rejects.toThrow(/SWITCHYARD_LINK_REDIRECT_NOT_ALLOWED/);
    await expect(sendLink('javascript:alert(1)')).rejects.toThrow(/SWITCHYARD_LINK_REDIRECT_NOT_ALLOWED/);
    expect(sent).toHaveLength(0);
  });

  it('sends nothing when the caller already has the link, and ignores the parameters round answer', async () => {
    const { triggers, sent, create } = setup();
    const event = await triggers.createAuthChallenge(create({ signInMethod: 'MAGIC_LINK', alreadyHaveMagicLink: 'yes' }));
    expect(event.response.challengeMetadata).toBe('MAGIC_LINK');
    expect(sent).toHaveLength(0);
    const round = await triggers.verifyAuthChallenge({
      ...base,
      triggerSource: 'VerifyAuthChallengeResponse_Authentication',
      request: { userAttributes: attributes, privateChallengeParameters: { challenge: 'PROVIDE_AUTH_PARAMETERS' }, challengeAnswer: 'x' },
      response: {},
    });
    expect(round.response.answerCorrect).toBe(false);
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => hmacLinkSigner('short')).toThrow(/32 bytes/);
  });
});

describe('pre-token-generation trigger', () => {
  it('adds app_user_id, email and metadata to the access token, keeping other overrides', async () => {
    const handler = createPreTokenGenerationTrigger();
    const event = await handler({
      ...base,
      version: '2',
      triggerSource: 'TokenGeneration_Authentication',
      request: { userAttributes: { ...attributes, 'custom:app_user_id': 'uuid-1', 'custom:metadata': '{"plan":"pro"}' } },
      response: { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { tenant: 't1' } } } },
    });
    expect(event.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride).toEqual({
      tenant: 't1',
      app_user_id: 'uuid-1',
      email: 'ada@example.com',
      email_verified: 'true',
      app_metadata: '{"plan":"pro"}',
    });
  });
});
