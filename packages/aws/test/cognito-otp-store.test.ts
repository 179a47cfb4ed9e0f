import { randomBytes } from 'node:crypto';
import { CognitoIdentityProviderClient, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import type { AuthPort } from '@switchyard/core/adapter';
import { type CognitoLocal, CognitoProxy, REGION, startCognitoLocal } from '@switchyard/test-peers/cognito';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoAuthOptions, createCognitoAuth } from '../src/cognito/index.js';

// Redis of the machine (127.0.0.1:6379); a test that needs it fails loudly when it is missing.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('CognitoAuth email codes across instances (cognito-local + challenge proxy)', () => {
  let local: CognitoLocal;
  let proxy: CognitoProxy;
  let base: CognitoAuthOptions;
  const opened: AuthPort[] = [];
  const keyPrefix = `switchyard-test:${randomBytes(4).toString('hex')}:`;

  beforeAll(async () => {
    local = await startCognitoLocal();
    proxy = new CognitoProxy({ upstream: local.url, userPoolId: local.userPoolId });
    const endpoint = await proxy.start();
    const admin = new CognitoIdentityProviderClient({ region: REGION, endpoint, credentials });
    const created = await admin.send(new CreateUserPoolClientCommand({ UserPoolId: local.userPoolId, ClientName: 'instances' }));
    admin.destroy();
    base = {
      region: REGION,
      userPoolId: local.userPoolId,
      clientId: created.UserPoolClient?.ClientId ?? '',
      endpoint,
      credentials,
      signIn: 'email-otp',
    };
  });

  afterAll(async () => {
    for (const port of opened) await port.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await proxy.stop();
    await local.stop();
  });

  async function instance(options: Partial<CognitoAuthOptions> = {}): Promise<AuthPort> {
    const port = await createCognitoAuth({ ...base, ...options });
    opened.push(port);
    return port;
  }

  it('verifies at instance B a code that instance A sent, with the shared Redis store', async () => {
    const a = await instance({ otpStore: { redisUrl: REDIS_URL, keyPrefix } });
    const b = await instance({ otpStore: { redisUrl: REDIS_URL, keyPrefix } });
    const email = `two-${randomBytes(4).toString('hex')}@example.com`;
    await a.sendSignInEmail(email);
    const code = proxy.sentCodes.get(email)!;
    const session = await b.verifySignIn({ email, code });
    expect(session.user.email).toBe(email);
    expect((await a.verifyAccessToken(session.accessToken)).id).toBe(session.user.id);
    // Used once, refused at either instance as used.
    await expectSwitchyardError(a.verifySignIn({ email, code }), 'UNAUTHENTICATED', 'revoked');
    // Nothing in Redis names the address.
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${keyPrefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(key).not.toContain(email);
    } finally {
      await redis.quit();
    }
  });

  it('says what to do when no sign-in is waiting (a code sent by another provider or store)', async () => {
    const a = await instance();
    const b = await instance();
    const email = `lost-${randomBytes(4).toString('hex')}@example.com`;
    await a.sendSignInEmail(email);
    const error = await expectSwitchyardError(b.verifySignIn({ email, code: proxy.sentCodes.get(email)! }), 'UNAUTHENTICATED', 'invalid');
    expect(error.details).toMatchObject({ pending: false, retry: 'sendSignInEmail' });
    expect(error.message).toMatch(/request a new (email|code)/i);
  });

  it('fails a sign-in with a retryable UNAVAILABLE, within its bound, when the store is unreachable', async () => {
    const a = await instance({ otpStore: { redisUrl: 'redis://127.0.0.1:1', commandTimeoutMs: 500 } });
    const started = Date.now();
    const error = await expectSwitchyardError(a.sendSignInEmail(`down-${randomBytes(4).toString('hex')}@example.com`), 'UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(2 * 500 + 1_000 + 2_000);
  });

  it('refuses a store URL that is not redis:// or rediss:// with CONFIG', async () => {
    await expectSwitchyardError(instance({ otpStore: { redisUrl: 'http://cache:6379' } }), 'CONFIG');
  });
});
