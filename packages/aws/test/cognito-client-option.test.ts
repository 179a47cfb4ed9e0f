import { randomBytes } from 'node:crypto';
import { AdminGetUserCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { REGION, startCognitoLocal } from '@switchyard/test-peers/cognito';
import { describe, expect, it } from 'vitest';
import { createCognitoAuth } from '../src/cognito/index.js';

describe('createCognitoAuth({ client })', () => {
  it('sends through the given client and leaves it open on close', async () => {
    const local = await startCognitoLocal();
    const client = new CognitoIdentityProviderClient({
      region: REGION,
      endpoint: local.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const created = await client.send(new CreateUserPoolClientCommand({ UserPoolId: local.userPoolId, ClientName: 'switchyard' }));
      const auth = await createCognitoAuth({
        region: REGION,
        userPoolId: local.userPoolId,
        clientId: created.UserPoolClient?.ClientId ?? '',
        endpoint: local.url,
        signIn: 'email-otp',
        client,
      });
      const user = await auth.admin.createUser({ email: `ada-${randomBytes(4).toString('hex')}@example.com` });
      await auth.close();
      const found = await client.send(new AdminGetUserCommand({ UserPoolId: local.userPoolId, Username: user.id }));
      expect(found.Username).toBe(user.id);
    } finally {
      client.destroy();
      await local.stop();
    }
  });
});
