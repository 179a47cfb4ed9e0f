// The Cognito peer of scripts/live-on-peers.mjs, in its own process (run with
// --experimental-transform-types: a TypeScript file; the peer is @switchyard/test-peers/cognito). cognito-local
// with a regional-format pool id, behind the repository's CognitoProxy, which adds what the admin
// cases need and cognito-local 5.3 lacks (ListUsers Filter and pagination). Prints its settings as
// one JSON line, creates an app client as a team would, and stops on SIGTERM.
import { CognitoIdentityProviderClient, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoProxy, REGION, startCognitoLocal } from '@switchyard/test-peers/cognito';

const local = await startCognitoLocal();
const proxy = new CognitoProxy({ upstream: local.url, userPoolId: local.userPoolId });
const endpoint = await proxy.start();
const stop = async () => {
  await proxy.stop();
  await local.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());

const client = new CognitoIdentityProviderClient({
  region: REGION,
  endpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const { UserPoolClient } = await client.send(
  new CreateUserPoolClientCommand({ UserPoolId: local.userPoolId, ClientName: 'switchyard-live' }),
);
client.destroy();
console.log(
  JSON.stringify({
    COGNITO_ENDPOINT: endpoint,
    COGNITO_USER_POOL_ID: local.userPoolId,
    COGNITO_CLIENT_ID: UserPoolClient?.ClientId,
    AWS_REGION: REGION,
  }),
);
