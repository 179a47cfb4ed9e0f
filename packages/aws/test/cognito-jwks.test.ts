import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { expectSwitchyardError } from '@switchyard/contract-tests';
import type { KeySetEvent, OnEvent } from '@switchyard/core/adapter';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CognitoAuthOptions, createCognitoAuth } from '../src/cognito/index.js';
import { userRecord } from './cognito-fake/sdk-fixtures.js';

const pool = 'eu-west-1_Jwks123';
const issuer = `https://cognito-idp.eu-west-1.amazonaws.com/${pool}`;
const keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
const published = new Set<string>();
let downloads = 0;
/** `error` answers 500, `hang` accepts and never answers. */
let mode: 'ok' | 'error' | 'hang' = 'ok';
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
    if (mode === 'error') return void res.writeHead(500).end('upstream failed');
    if (mode === 'hang') return;
    const jwks = [...published].map((kid) => ({ ...key(kid).publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: jwks }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

/** The pool's options, the JWKS read from the counting server. */
function settings(overrides: Partial<CognitoAuthOptions> = {}): CognitoAuthOptions {
  return {
    region: 'eu-west-1',
    userPoolId: pool,
    clientId: 'client-1',
    endpoint,
    signIn: 'email-otp',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    ...overrides,
  };
}

afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

describe('CognitoAuth verifyAccessToken (JWKS)', () => {
  it('caches the JWKS, refetches for a new kid, and at most once per interval for unknown kids', async () => {
    const cognito = mockClient(CognitoIdentityProviderClient);
    cognito.on(AdminGetUserCommand).resolves(userRecord('user-1', 'ada@example.com', { verified: true }));
    let now = Date.now();
    const auth = await createCognitoAuth(settings(), { now: () => now });
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
    const auth = await createCognitoAuth(settings());
    published.add('k1');
    const user = await auth.verifyAccessToken(
      token('k1', { app_user_id: 'uuid-1', email: 'ada@example.com', email_verified: 'true', app_metadata: '{"plan":"pro"}' }),
    );
    expect(user).toMatchObject({ id: 'uuid-1', email: 'ada@example.com', emailVerified: true, metadata: { plan: 'pro' } });
    expect(cognito.calls()).toHaveLength(0);
    cognito.restore();
  });
});

describe('CognitoAuth verifyAccessToken during a JWKS outage', () => {
  // Tokens that carry app_user_id and email need no AdminGetUser: only the key set is involved.
  const selfContained = (kid: string) => token(kid, { app_user_id: 'uuid-1', email: 'ada@example.com' });

  async function start(clock: { now: number }, events: KeySetEvent[], overrides: { endpoint?: string } = {}) {
    const onEvent: OnEvent = (event) => {
      if (event.type === 'keyset') events.push(event);
    };
    return createCognitoAuth(settings({ keySet: { fetchTimeoutMs: 300 }, onEvent, ...overrides }), { now: () => clock.now });
  }

  it('reports a JWKS answering 500 as a retryable UNAVAILABLE, and 1,000 tokens over a minute cost a handful of downloads', async () => {
    published.add('k1');
    mode = 'error';
    const clock = { now: Date.now() };
    const events: KeySetEvent[] = [];
    const auth = await start(clock, events);
    const before = downloads;
    try {
      for (let i = 0; i < 1000; i++) {
        const error = await expectSwitchyardError(auth.verifyAccessToken(selfContained('k1')), 'UNAVAILABLE');
        expect(error.retryable).toBe(true);
        clock.now += 60;
      }
      expect(downloads - before).toBeLessThanOrEqual(5);
      expect(events[0]?.state).toBe('unavailable');
      mode = 'ok';
      clock.now += 30_000;
      expect((await auth.verifyAccessToken(selfContained('k1'))).id).toBe('uuid-1');
      expect(events.at(-1)?.state).toBe('recovered');
    } finally {
      mode = 'ok';
    }
  });

  it('reports a refused connection and a JWKS that never answers as UNAVAILABLE; concurrent callers share one download', async () => {
    const refused = await start({ now: Date.now() }, [], { endpoint: 'http://127.0.0.1:9' });
    const error = await expectSwitchyardError(refused.verifyAccessToken(selfContained('k1')), 'UNAVAILABLE');
    expect(error.retryable).toBe(true);
    mode = 'hang';
    const hanging = await start({ now: Date.now() }, []);
    const before = downloads;
    try {
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => hanging.verifyAccessToken(selfContained('k1'))));
      expect(results.every((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'UNAVAILABLE')).toBe(true);
      expect(downloads - before).toBe(1);
    } finally {
      mode = 'ok';
    }
  });

  it('keeps verifying with cached keys past their max age while the refresh fails, and reports it', async () => {
    published.add('k1');
    const clock = { now: Date.now() };
    const events: KeySetEvent[] = [];
    const auth = await start(clock, events);
    await auth.verifyAccessToken(selfContained('k1'));
    mode = 'error';
    try {
      clock.now += 11 * 60_000;
      expect((await auth.verifyAccessToken(selfContained('k1'))).id).toBe('uuid-1');
      await vi.waitFor(() => expect(events.map((e) => e.state)).toContain('stale'));
      clock.now += 2 * 60 * 60_000;
      await expectSwitchyardError(auth.verifyAccessToken(selfContained('k1')), 'UNAVAILABLE');
    } finally {
      mode = 'ok';
    }
  });
});
