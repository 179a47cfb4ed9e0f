import { describeAuthPort } from '@switchyard/contract-tests';
import { cognitoFixture } from './cognito-fake/harness.js';

// CUSTOM_AUTH runs the real trigger handlers of @switchyard/aws/cognito-triggers inside the proxy,
// invoked the way Cognito invokes the Lambdas; tokens still come from cognito-local.
describeAuthPort('CognitoAuth (magic-link, cognito-local + proxy + triggers)', () => cognitoFixture('magic-link'));
