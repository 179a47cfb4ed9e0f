import { loadPeer } from '@switchyard/core/adapter/auth';

/** The peer modules CognitoAuth uses, loaded on demand so `@switchyard/aws/cognito` costs nothing until used. */
export interface CognitoSdk {
  cognito: typeof import('@aws-sdk/client-cognito-identity-provider');
  verifier: typeof import('aws-jwt-verify');
  jwk: typeof import('aws-jwt-verify/jwk');
  errors: typeof import('aws-jwt-verify/error');
}

const PACKAGES = ['@aws-sdk/client-cognito-identity-provider', 'aws-jwt-verify'];

export async function loadCognitoSdk(importers: Partial<Record<'cognito' | 'verifier', () => Promise<unknown>>> = {}): Promise<CognitoSdk> {
  const meta = { port: 'auth' as const, provider: 'aws', module: '@switchyard/aws/cognito', packages: PACKAGES };
  const [cognito, verifier, jwk, errors] = await Promise.all([
    loadPeer(
      (importers.cognito as (() => Promise<CognitoSdk['cognito']>) | undefined) ??
        (() => import('@aws-sdk/client-cognito-identity-provider')),
      meta,
    ),
    loadPeer((importers.verifier as (() => Promise<CognitoSdk['verifier']>) | undefined) ?? (() => import('aws-jwt-verify')), meta),
    loadPeer(() => import('aws-jwt-verify/jwk'), meta),
    loadPeer(() => import('aws-jwt-verify/error'), meta),
  ]);
  return { cognito, verifier, jwk, errors };
}
