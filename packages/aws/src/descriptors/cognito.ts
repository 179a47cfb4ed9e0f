import type { AuthPort } from '@switchyard/core/adapter/auth';
import { describeAdapter, setting } from '@switchyard/core/adapter/descriptor';
import type { CognitoAuthOptions } from '../cognito/options.js';
import { awsCredentials, credentialSettings } from './credentials.js';
import { custom, defined, HTTP, milliseconds, optional, region } from './read.js';

const settings = {
  region,
  userPoolId: custom(
    { variable: 'COGNITO_USER_POOL_ID', description: 'The user pool.', example: 'eu-west-1_AbCdEf123', required: true },
    (env) => env.required('COGNITO_USER_POOL_ID', 'the user pool id, e.g. eu-west-1_AbCdEf123'),
  ),
  clientId: custom(
    {
      variable: 'COGNITO_CLIENT_ID',
      description: 'The app client the sign-in flows and tokens belong to.',
      example: '1example23456789',
      required: true,
    },
    (env) => env.required('COGNITO_CLIENT_ID', 'the app client id'),
  ),
  clientSecret: optional('COGNITO_CLIENT_SECRET', {
    description: 'The app client secret, when the client has one (every flow then sends SECRET_HASH).',
    example: 'k7…',
    secret: true,
  }),
  endpoint: setting.url('COGNITO_ENDPOINT', HTTP, {
    description: 'a Cognito-compatible endpoint URL',
    example: 'http://localhost:9229',
  }),
  ...credentialSettings,
  signIn: setting.oneOf('COGNITO_SIGN_IN', ['email-otp', 'magic-link'], 'email-otp', {
    description:
      'email-otp: Cognito email codes (Essentials tier); magic-link: CUSTOM_AUTH with the cognito-triggers handlers on the pool.',
    example: 'email-otp',
  }),
  // The URL may carry the Redis password, hence secret.
  otpStoreUrl: custom(
    {
      variable: 'COGNITO_OTP_STORE_URL',
      description: 'Redis every instance reaches, holding the Cognito session between sending a code and verifying it.',
      example: 'rediss://otp.example.com:6379',
      values: 'redis://… or rediss://…',
      default: 'REDIS_URL with COGNITO_SIGN_IN=email-otp, else this process’s memory (one instance only)',
      secret: true,
    },
    (env) => env.url('COGNITO_OTP_STORE_URL', ['redis:', 'rediss:'], false, 'redis://host:6379, or rediss://… for TLS'),
  ),
  sharedRedisUrl: optional('REDIS_URL', {
    description: 'The shared Redis, used for email-code sessions when COGNITO_OTP_STORE_URL is unset.',
    example: 'rediss://cache.example.com:6379',
    secret: true,
  }),
  magicLinkRedirectTo: setting.url('COGNITO_MAGIC_LINK_REDIRECT_TO', HTTP, {
    description: "where magic links land when the caller gives no redirectTo (on the triggers' allow-list)",
    example: 'https://app.example.com/auth/callback',
  }),
  requestTimeoutMs: milliseconds('COGNITO_REQUEST_TIMEOUT_MS', {
    description: 'Longest one Cognito API call may take, retries included.',
    example: '10000',
    default: '10000',
  }),
};

export type CognitoAdapterOptions = Omit<CognitoAuthOptions, 'onEvent' | 'otpSessions' | 'client'>;

/** `SWITCHYARD_AUTH=aws`: Amazon Cognito user pools. */
export const cognitoAdapter = describeAdapter({
  name: 'aws',
  port: 'auth',
  module: '@switchyard/aws/cognito',
  description: 'Amazon Cognito user pools: email codes or magic links, verified access tokens, admin calls.',
  settings,
  options(v, env): CognitoAdapterOptions {
    // Email codes are verified against a Cognito session kept between the two requests; with more than
    // one instance it must live where all of them reach it. REDIS_URL serves when no store of its own is named.
    const otpStoreUrl = v.otpStoreUrl ?? (v.signIn === 'email-otp' ? v.sharedRedisUrl : undefined);
    return defined({
      region: v.region as string,
      userPoolId: v.userPoolId as string,
      clientId: v.clientId as string,
      clientSecret: v.clientSecret,
      endpoint: v.endpoint,
      credentials: awsCredentials(v, env),
      signIn: v.signIn,
      otpStore: otpStoreUrl ? { redisUrl: otpStoreUrl } : undefined,
      magicLink: v.magicLinkRedirectTo ? { redirectTo: v.magicLinkRedirectTo } : undefined,
      requestTimeoutMs: v.requestTimeoutMs,
    });
  },
  peers: (options) => ['@aws-sdk/client-cognito-identity-provider', 'aws-jwt-verify', ...(options.otpStore ? ['ioredis'] : [])],
  // The issuer Cognito (and cognito-local with TokenConfig.Region) writes into every token.
  issuer: ({ region, userPoolId }) => (region && userPoolId ? `https://cognito-idp.${region}.amazonaws.com/${userPoolId}` : undefined),
  async create(options, context): Promise<AuthPort> {
    const { createCognitoAuth } = await import('../cognito/index.js');
    return createCognitoAuth({ ...options, onEvent: context.onEvent });
  },
});
