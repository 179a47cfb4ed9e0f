import { createSign, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AdminGetUserCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { type AuthFixture, openKeySetAdapter, type SignInEmail, startKeySetServer } from '@switchyard/contract-tests';
import { FaultProxy } from '@switchyard/test-peers';
import { CognitoProxy, REGION, startCognitoLocal } from '@switchyard/test-peers/cognito';
import { type CognitoAuthOptions, createCognitoAuth } from '../../src/cognito/index.js';
import { createMagicLinkTriggers, hmacLinkSigner, type MagicLinkEmail, MemoryMagicLinkStore } from '../../src/cognito-triggers/index.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
export const REDIRECT = 'https://app.example.com/auth/callback';

// The fixture's bounds: one Cognito API call (cognito-local is slow to warm up on a busy machine), one JWKS download.
const REQUEST_TIMEOUT_MS = 2_500;
const KEY_SET_TIMEOUT_MS = 500;

interface SigningKey {
  kid: string;
  privateKey: KeyObject | string;
}

/**
 * cognito-local signs with the RSA key shipped in its package (lib/keys, kid "CognitoLocal") and
 * serves the public half as the pool's JWKS, so the harness signs with the very same key.
 */
function cognitoLocalKey(): SigningKey {
  const root = dirname(createRequire(import.meta.url).resolve('cognito-local/package.json'));
  const { pem } = JSON.parse(readFileSync(join(root, 'lib', 'keys', 'cognitoLocal.private.json'), 'utf8')) as { pem: string };
  return { kid: 'CognitoLocal', privateKey: pem };
}

function sign(key: SigningKey, claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'RS256', kid: key.kid, typ: 'JWT' })}.${part(claims)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key.privateKey).toString('base64url')}`;
}

/** Starts cognito-local behind the proxy and an adapter in front of both; `signIn` picks the flow. */
export async function cognitoFixture(signIn: CognitoAuthOptions['signIn']): Promise<AuthFixture & { proxy: CognitoProxy }> {
  const local = await startCognitoLocal();
  const outbox = new Map<string, MagicLinkEmail>();
  let clockShiftMs = 0;
  const triggers = createMagicLinkTriggers({
    signer: hmacLinkSigner('a-test-secret-of-at-least-32-bytes!!'),
    store: new MemoryMagicLinkStore(),
    sender: {
      async send(email) {
        outbox.set(email.to, email);
      },
    },
    allowedRedirects: [REDIRECT],
    minIntervalSeconds: 0,
    now: () => Date.now() + clockShiftMs,
  });
  const proxy = new CognitoProxy({ upstream: local.url, userPoolId: local.userPoolId, triggers });
  const direct = await proxy.start();
  // The adapter reaches Cognito through a fault proxy (the contract's provider-fault cases).
  const faults = await FaultProxy.start({ port: Number(new URL(direct).port) });
  const endpoint = faults.url(direct).replace(/\/+$/, '');
  // Key rotation: keys the harness adds beside cognito-local's own, served by the key-set server.
  let signingKey = cognitoLocalKey();
  const rotated: object[] = [];
  const keySetServer = await startKeySetServer(async () => {
    const response = await fetch(`${local.url}/${local.userPoolId}/.well-known/jwks.json`);
    return [...((await response.json()) as { keys: object[] }).keys, ...rotated];
  });
  const admin = new CognitoIdentityProviderClient({ region: REGION, endpoint, credentials });
  const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({ UserPoolId: local.userPoolId, ClientName: 'switchyard' }));
  const clientId = UserPoolClient?.ClientId ?? '';
  const port = await createCognitoAuth({
    region: REGION,
    userPoolId: local.userPoolId,
    clientId,
    endpoint,
    credentials,
    signIn,
    magicLink: { redirectTo: REDIRECT },
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
  const issuer = `https://cognito-idp.${REGION}.amazonaws.com/${local.userPoolId}`;
  return {
    port,
    proxy,
    faults: Object.assign(faults, { timeoutMs: REQUEST_TIMEOUT_MS }),
    teardown: async () => {
      await port.close();
      admin.destroy();
      await keySetServer.close();
      await faults.close();
      await proxy.stop();
      await local.stop();
    },
    harness: {
      async lastSignInEmail(email): Promise<SignInEmail | undefined> {
        if (signIn === 'email-otp') {
          const code = proxy.sentCodes.get(email);
          return code ? { code } : undefined;
        }
        const mail = outbox.get(email);
        if (!mail) return undefined;
        return { link: mail.link, tokenHash: new URL(mail.link).searchParams.get('token_hash') ?? undefined };
      },
      async expireSignIn(email) {
        proxy.expireCodes(email);
        // Links carry their expiry signed inside; moving the triggers' clock past it is the only way.
        if (outbox.has(email)) clockShiftMs += 16 * 60_000;
      },
      async signAccessToken(userId, overrides) {
        // The user as Cognito stores it: the adapter makes the application id its username.
        const user = await admin.send(new AdminGetUserCommand({ UserPoolId: local.userPoolId, Username: userId })).catch(() => undefined);
        const iat = Math.floor(Date.now() / 1000);
        return sign(signingKey, {
          sub: user?.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value ?? randomUUID(),
          username: user?.Username ?? userId,
          token_use: 'access',
          scope: 'aws.cognito.signin.user.admin',
          auth_time: iat,
          iat,
          exp: iat + 3600,
          jti: randomUUID(),
          iss: issuer,
          client_id: clientId,
          ...overrides,
          // A Cognito access token names its audience in client_id (it has no aud claim), so the
          // contract's "wrong audience" lands there.
          ...(overrides.aud !== undefined ? { client_id: overrides.aud } : {}),
        });
      },
      keySet: {
        set: (mode) => keySetServer.set(mode),
        fetches: () => keySetServer.fetches(),
        async rotate() {
          const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
          signingKey = { kid: randomUUID(), privateKey: pair.privateKey };
          rotated.push({ ...pair.publicKey.export({ format: 'jwk' }), kid: signingKey.kid, alg: 'RS256', use: 'sig' });
        },
        maxAgeMs: 600_000,
        staleIfErrorMs: 3_600_000,
        timeoutMs: KEY_SET_TIMEOUT_MS,
        recoveryMs: 30_000,
        open: () =>
          openKeySetAdapter((now, onEvent) =>
            createCognitoAuth(
              {
                region: REGION,
                userPoolId: local.userPoolId,
                clientId,
                endpoint: direct,
                credentials,
                signIn,
                keySet: { url: `${keySetServer.url}/jwks.json`, fetchTimeoutMs: KEY_SET_TIMEOUT_MS },
                onEvent,
              },
              { now },
            ),
          ),
      },
    },
  };
}
