import { CognitoIdentityProviderClient, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoProxy, REGION, startCognitoLocal } from '@switchyard/test-peers/cognito';

/** cognito-local accepts any key; these only satisfy the SDK's signer. */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface CognitoPool {
  env: { AWS_REGION: string; COGNITO_USER_POOL_ID: string; COGNITO_CLIENT_ID: string; COGNITO_ENDPOINT: string };
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`, what createProviders routes tokens by. */
  issuer: string;
  /** The email code the last sign-in sent to `email`. */
  codeFor(email: string): string;
  stop(): Promise<void>;
}

/**
 * cognito-local with the test proxy in front (EMAIL_OTP sign-in and ListUsers filters are the
 * proxy's; tokens and users are cognito-local's), as packages/aws/test/cognito-fake/harness.ts
 * starts them. The pool id is regional (`us-east-1_…`) and tokens carry the issuer AWS would write.
 */
export async function startCognitoPool(): Promise<CognitoPool> {
  const local = await startCognitoLocal();
  const proxy = new CognitoProxy({ upstream: local.url, userPoolId: local.userPoolId });
  const endpoint = await proxy.start();
  const admin = new CognitoIdentityProviderClient({
    region: REGION,
    endpoint,
    credentials,
  });
  const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({ UserPoolId: local.userPoolId, ClientName: 'drill' }));
  admin.destroy();
  return {
    env: {
      AWS_REGION: REGION,
      COGNITO_USER_POOL_ID: local.userPoolId,
      COGNITO_CLIENT_ID: UserPoolClient?.ClientId ?? '',
      COGNITO_ENDPOINT: endpoint,
    },
    issuer: `https://cognito-idp.${REGION}.amazonaws.com/${local.userPoolId}`,
    codeFor(email) {
      const code = proxy.sentCodes.get(email);
      if (!code) throw new Error(`no Cognito sign-in code was sent to ${email}`);
      return code;
    },
    async stop() {
      await proxy.stop();
      await local.stop();
    },
  };
}
