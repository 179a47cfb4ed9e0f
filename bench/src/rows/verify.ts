import { randomUUID } from 'node:crypto';
import { createLocalAuth } from '@switchyard/local';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { createLocalJWKSet, createRemoteJWKSet, exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose';
import { loadCognito, loadSupabaseAuth } from '../lib/adapters.js';
import { compare, type Side, scale } from '../lib/measure.js';
import { notMeasured, type Row, throughputRow } from '../lib/row.js';
import { startJwksServer } from '../peers/jwks-server.js';

function side(ops: number, call: () => Promise<unknown>): Side {
  return {
    ops,
    async run() {
      for (let i = 0; i < ops; i++) await call();
    },
  };
}

const ops = () => scale(500, 300);
const trials = () => scale(15, 7);

/** Row 3: verifyAccessToken per second against the raw verifier of the same token. */
export async function benchVerify(): Promise<Row[]> {
  return [...(await benchCognito()), ...(await benchSupabase()), ...(await benchLocal())];
}

async function signingKey(alg: 'RS256' | 'ES256'): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: `bench-${alg}`, alg, use: 'sig' } };
}

async function benchCognito(): Promise<Row[]> {
  const createCognitoAuth = await loadCognito();
  if (typeof createCognitoAuth === 'string') return [notMeasured('3a', 'Cognito verifyAccessToken', createCognitoAuth)];
  const region = 'us-east-1';
  const userPoolId = `${region}_bench`;
  const clientId = 'benchclient';
  const key = await signingKey('RS256');
  const jwks = { keys: [key.jwk] };
  // The adapter downloads the JWKS from `<endpoint>/<pool>/.well-known/jwks.json` (as cognito-local serves it).
  const server = await startJwksServer({ [`/${userPoolId}/.well-known/jwks.json`]: jwks });
  const now = Math.floor(Date.now() / 1000);
  // app_user_id and email claims (the pre-token-generation trigger's) spare the adapter its profile lookup.
  const token = await new SignJWT({
    token_use: 'access',
    client_id: clientId,
    username: 'bench-user',
    scope: 'aws.cognito.signin.user.admin',
    origin_jti: randomUUID(),
    app_user_id: randomUUID(),
    email: 'bench@example.com',
    email_verified: true,
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.jwk.kid! })
    .setIssuer(`https://cognito-idp.${region}.amazonaws.com/${userPoolId}`)
    .setSubject(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .setJti(randomUUID())
    .sign(key.privateKey);
  const port = await createCognitoAuth({
    region,
    userPoolId,
    clientId,
    endpoint: server.origin,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
    signIn: 'email-otp',
  });
  const raw = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'access', clientId });
  raw.cacheJwks(jwks as Parameters<typeof raw.cacheJwks>[0]);
  try {
    const result = await compare(
      side(ops(), () => port.verifyAccessToken(token)),
      side(ops(), () => raw.verify(token)),
      { trials: trials() },
    );
    return [
      throughputRow(
        {
          id: '3a',
          what: 'Cognito verifyAccessToken vs aws-jwt-verify CognitoJwtVerifier.verify (RS256, same token)',
          note: `the adapter fetched the JWKS ${server.requests}× (cached after)`,
        },
        result,
        0.9,
      ),
    ];
  } finally {
    await port.close();
    await server.close();
  }
}

async function benchSupabase(): Promise<Row[]> {
  const createSupabaseAuth = await loadSupabaseAuth();
  if (typeof createSupabaseAuth === 'string') return [notMeasured('3b', 'Supabase verifyAccessToken', createSupabaseAuth)];
  const key = await signingKey('ES256');
  const server = await startJwksServer({ '/auth/v1/.well-known/jwks.json': { keys: [key.jwk] } });
  const issuer = `${server.origin}/auth/v1`;
  const jwtSecret = 'bench-legacy-jwt-secret-at-least-32-characters';
  const port = await createSupabaseAuth({ url: server.origin, anonKey: 'anon', serviceRoleKey: 'service', jwtSecret });
  const claims = (sub: string) => ({ role: 'authenticated', aal: 'aal1', session_id: randomUUID(), email: 'bench@example.com', sub });
  const sign = (jwt: SignJWT) => jwt.setIssuer(issuer).setAudience('authenticated').setIssuedAt().setExpirationTime('1h');
  const es256 = await sign(new SignJWT(claims(randomUUID())).setProtectedHeader({ alg: 'ES256', kid: key.jwk.kid!, typ: 'JWT' })).sign(
    key.privateKey,
  );
  const secret = new TextEncoder().encode(jwtSecret);
  const hs256 = await sign(new SignJWT(claims(randomUUID())).setProtectedHeader({ alg: 'HS256', typ: 'JWT' })).sign(secret);
  const remote = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  const options = { issuer, audience: 'authenticated', requiredClaims: ['exp', 'sub'] };
  try {
    const asymmetric = await compare(
      side(ops(), () => port.verifyAccessToken(es256)),
      side(ops(), () => jwtVerify(es256, remote, { ...options, algorithms: ['ES256'] })),
      { trials: trials() },
    );
    const symmetric = await compare(
      side(ops(), () => port.verifyAccessToken(hs256)),
      side(ops(), () => jwtVerify(hs256, secret, { ...options, algorithms: ['HS256'] })),
      { trials: trials() },
    );
    return [
      throughputRow(
        { id: '3b', what: 'Supabase verifyAccessToken vs jose jwtVerify + createRemoteJWKSet (ES256, same token)' },
        asymmetric,
        0.9,
      ),
      throughputRow({ id: '3b', what: 'Supabase verifyAccessToken vs jose jwtVerify (legacy HS256 secret, same token)' }, symmetric, 0.9),
    ];
  } finally {
    await port.close();
    await server.close();
  }
}

async function benchLocal(): Promise<Row[]> {
  const port = await createLocalAuth({ minIntervalMs: 0 });
  const email = 'bench@example.com';
  await port.sendSignInEmail(email);
  const { accessToken } = await port.verifySignIn({ email, code: port.mailbox.last(email)!.code });
  const keys = createLocalJWKSet(port.jwks());
  try {
    const result = await compare(
      side(ops(), () => port.verifyAccessToken(accessToken)),
      side(ops(), () =>
        jwtVerify(accessToken, keys, { issuer: 'http://localhost/auth/v1', audience: 'authenticated', algorithms: ['ES256'] }),
      ),
      { trials: trials() },
    );
    return [
      throughputRow(
        {
          id: '3c',
          what: 'local verifyAccessToken vs jose jwtVerify on its JWKS (ES256, same token)',
          note: 'the local adapter also checks the session is not signed out (immediateRevocation)',
        },
        result,
        0.9,
      ),
    ];
  } finally {
    await port.close();
  }
}
