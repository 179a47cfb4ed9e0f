import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCognitoAuth } from '../src/cognito/index.js';
import { userRecord } from './cognito-fake/sdk-fixtures.js';

const pool = 'eu-west-1_Jwks123';
const issuer = `https://cognito-idp.eu-west-1.amazonaws.com/${pool}`;
const keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
const published = new Set<string>();
let downloads = 0;
let server: Server;
let endpoint: string;

function key(kid: string) {
  if (!keys.has(kid)) keys.set(kid, generateKeyPairSync('rsa', { modulusLength: 2048 }));
  return keys.get(kid)!;
}

function token(kid: string, claims: Record<string, unknown> = {}): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = {
    sub: 'sub-1',
    username: 'user-1',
    client_id: 'client-1',
    token_use: 'access',
    iss: issuer,
    iat: now,
    exp: now + 600,
    ...claims,
  };
  const input = `${part({ alg: 'RS256', kid })}.${part(body)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key(kid).privateKey).toString('base64url')}`;
}

// A stand-in for the pool's /.well-known/jwks.json that counts downloads.
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url !== `/${pool}/.well-known/jwks.json`) return void res.writeHead(404).end();
    downloads++;
    const jwks = [...published].map((kid) => ({ ...key(kid).publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: jwks }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('CognitoAuth verifyAccessToken (JWKS)', () => {
  it('caches the JWKS, refetches for a new kid, and at most once per interval for unknown kids', async () => {
    const cognito = mockClient(CognitoIdentityProviderClient);
    cognito.on(AdminGetUserCommand).resolves(userRecord('user-1', 'ada@example.com', { verified: true }));
    let now = Date.now();
    const auth = await createCognitoAuth(
      {
        region: 'eu-west-1',
        userPoolId: pool,
        clientId: 'client-1',
        endpoint,
        signIn: 'email-otp',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      },
      { now: () => now },
    );
    published.add('k1');
    expect((await auth.verifyAccessToken(token('k1'))).id).toBe('user-1');
    await auth.verifyAccessToken(token('k1'));
    expect(downloads).toBe(1);
    // One lookup per user, not per token: access tokens carry no email.
    expect(cognito.commandCalls(AdminGetUserCommand)).toHaveLength(1);

    published.add('k2');
    await auth.verifyAccessToken(token('k2'));
    expect(downloads, 'a rotated key is fetched').toBe(2);

    await expectSwitchyardError(auth.verifyAccessToken(token('k3')), 'UNAUTHENTICATED', 'invalid');
    await expectSwitchyardError(auth.verifyAccessToken(token('k4')), 'UNAUTHENTICATED', 'invalid');
    expect(downloads, 'unknown kids within the interval do not refetch').toBe(2);

    now += 61_000;
    published.add('k5');
    await auth.verifyAccessToken(token('k5'));
    expect(downloads, 'after the interval an unknown kid refetches again').toBe(3);

    await expectSwitchyardError(auth.verifyAccessToken(token('k5', { client_id: 'other' })), 'UNAUTHENTICATED', 'invalid');
    await expectSwitchyardError(auth.verifyAccessToken(token('k5', { token_use: 'id' })), 'UNAUTHENTICATED', 'invalid');
    cognito.restore();
  });

  it('uses app_user_id and email claims without any AdminGetUser call', async () => {
    const cognito = mockClient(CognitoIdentityProviderClient);
    const auth = await createCognitoAuth({
      region: 'eu-west-1',
      userPoolId: pool,
      clientId: 'client-1',
      endpoint,
      signIn: 'email-otp',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    published.add('k1');
    const user = await auth.verifyAccessToken(
      token('k1', { app_user_id: 'uuid-1', email: 'ada@example.com', email_verified: 'true', app_metadata: '{"plan":"pro"}' }),
    );
    expect(user).toMatchObject({ id: 'uuid-1', email: 'ada@example.com', emailVerified: true, metadata: { plan: 'pro' } });
    expect(cognito.calls()).toHaveLength(0);
    cognito.restore();
  });
});
