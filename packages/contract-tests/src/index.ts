export { describeAuthPort } from './auth/index.js';
export { itWhen } from './capability.js';
export { describeDbPort } from './db/index.js';
export { expectSwitchyardError } from './expect-error.js';
export type { FaultCall, FaultHarness, FaultMode } from './faults.js';
export type * from './fixtures.js';
export { describePubSubPort } from './pubsub/index.js';
export { patternBytes, randomId } from './random.js';
export { describeStoragePort } from './storage/index.js';
