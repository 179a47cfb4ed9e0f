// cognito-local in a child process, and the proxy in front of it that adds what cognito-local lacks.
export { type CognitoLocal, REGION, startCognitoLocal } from './cognito-local.js';
export { CognitoProxy, type ProxyOptions } from './proxy.js';
export type { CustomAuthTriggers } from './triggers.js';
