import { cognitoAdapter } from '@switchyard/aws/adapters';
import { describe, expect, it } from 'vitest';
import { plan, secrets } from './adapters-plan.js';

const base = { AWS_REGION: 'eu-west-1', COGNITO_USER_POOL_ID: 'eu-west-1_Abc', COGNITO_CLIENT_ID: 'client' };

describe('cognitoAdapter (SWITCHYARD_AUTH=aws)', () => {
  it('describes itself for createProviders, secrets marked', () => {
    expect(cognitoAdapter).toMatchObject({ name: 'aws', port: 'auth', module: '@switchyard/aws/cognito' });
    expect(secrets(cognitoAdapter)).toEqual([
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'COGNITO_CLIENT_SECRET',
      'COGNITO_OTP_STORE_URL',
      'REDIS_URL',
    ]);
  });

  it('builds the options and the issuer Cognito writes into its tokens', () => {
    const { options, problems, issuer, peers } = plan(cognitoAdapter, base);
    expect(problems).toEqual([]);
    expect(options).toEqual({ region: 'eu-west-1', userPoolId: 'eu-west-1_Abc', clientId: 'client', signIn: 'email-otp' });
    expect(issuer).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc');
    expect(peers).toEqual(['@aws-sdk/client-cognito-identity-provider', 'aws-jwt-verify']);
  });

  it('reports what is missing, and has no issuer without region and pool', () => {
    const { problems, issuer } = plan(cognitoAdapter, {});
    expect(problems).toEqual([
      { variable: 'AWS_REGION', problem: 'is not set', expected: 'an AWS region such as eu-west-1' },
      { variable: 'COGNITO_USER_POOL_ID', problem: 'is not set', expected: 'the user pool id, e.g. eu-west-1_AbCdEf123' },
      { variable: 'COGNITO_CLIENT_ID', problem: 'is not set', expected: 'the app client id' },
    ]);
    expect(issuer).toBeUndefined();
  });

  it('gives email codes a shared store: COGNITO_OTP_STORE_URL, else REDIS_URL, and then needs ioredis', () => {
    const own = plan(cognitoAdapter, { ...base, COGNITO_OTP_STORE_URL: 'rediss://otp.example.com:6379', REDIS_URL: 'redis://other:6379' });
    expect(own.options.otpStore).toEqual({ redisUrl: 'rediss://otp.example.com:6379' });
    expect(own.peers).toContain('ioredis');
    const shared = plan(cognitoAdapter, { ...base, REDIS_URL: 'redis://cache:6379' });
    expect(shared.options.otpStore).toEqual({ redisUrl: 'redis://cache:6379' });
    expect(plan(cognitoAdapter, base).options.otpStore).toBeUndefined();
    // Magic links keep no Cognito session between requests.
    const magic = plan(cognitoAdapter, { ...base, COGNITO_SIGN_IN: 'magic-link', REDIS_URL: 'redis://cache:6379' });
    expect(magic.options).toMatchObject({ signIn: 'magic-link' });
    expect(magic.options.otpStore).toBeUndefined();
    expect(magic.peers).not.toContain('ioredis');
    expect(plan(cognitoAdapter, { ...base, COGNITO_OTP_STORE_URL: 'http://otp:6379' }).problems).toEqual([
      { variable: 'COGNITO_OTP_STORE_URL', problem: 'is not a valid URL', expected: 'redis://host:6379, or rediss://… for TLS' },
    ]);
  });

  it('passes the client secret, endpoint, credentials, magic link landing page and request timeout', () => {
    const { options, problems } = plan(cognitoAdapter, {
      ...base,
      COGNITO_CLIENT_SECRET: 'shh',
      COGNITO_ENDPOINT: 'http://127.0.0.1:9229',
      AWS_ACCESS_KEY_ID: 'AKID',
      AWS_SECRET_ACCESS_KEY: 'secret',
      COGNITO_SIGN_IN: 'magic-link',
      COGNITO_MAGIC_LINK_REDIRECT_TO: 'https://app.example.com/auth/callback',
      COGNITO_REQUEST_TIMEOUT_MS: '4000',
    });
    expect(problems).toEqual([]);
    expect(options).toMatchObject({
      clientSecret: 'shh',
      endpoint: 'http://127.0.0.1:9229',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      magicLink: { redirectTo: 'https://app.example.com/auth/callback' },
      requestTimeoutMs: 4000,
    });
  });

  it('refuses bad values', () => {
    const { variables } = plan(cognitoAdapter, {
      ...base,
      COGNITO_SIGN_IN: 'password',
      COGNITO_ENDPOINT: 'localhost',
      COGNITO_MAGIC_LINK_REDIRECT_TO: '/callback',
      COGNITO_REQUEST_TIMEOUT_MS: '0',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });
    expect(variables()).toEqual([
      'COGNITO_ENDPOINT',
      'COGNITO_SIGN_IN',
      'COGNITO_MAGIC_LINK_REDIRECT_TO',
      'COGNITO_REQUEST_TIMEOUT_MS',
      'AWS_ACCESS_KEY_ID',
    ]);
  });
});
