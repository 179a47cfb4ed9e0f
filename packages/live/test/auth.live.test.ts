import { describeAuthAdmin } from '@switchyard/contract-tests';
import { authFixture } from '../src/fixtures.js';
import { liveTargets } from '../src/provided.js';

// The AuthPort contract's admin cases on each listed auth target: a real account's sign-in emails
// cannot be read, so the cases that sign in are reported as not applicable. Every email starts
// with the run's prefix and the target's name.
for (const { target, namePrefix } of liveTargets('auth')) {
  describeAuthAdmin(`${target.name} (live)`, () => authFixture(target, namePrefix), { namePrefix });
}
