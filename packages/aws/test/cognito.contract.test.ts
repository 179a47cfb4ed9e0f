import { describeAuthPort } from '@switchyard/contract-tests';
import { cognitoFixture } from './cognito-fake/harness.js';

// Admin calls, tokens, refresh and RevokeToken run on cognito-local; the EMAIL_OTP challenge,
// ListUsers filters/pages and global sign-out on the proxy in front of it (see @switchyard/test-peers/cognito).
describeAuthPort('CognitoAuth (email-otp, cognito-local + proxy)', () => cognitoFixture('email-otp'));
