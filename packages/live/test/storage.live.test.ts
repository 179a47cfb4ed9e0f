import { describeStoragePort } from '@switchyard/contract-tests';
import { storageFixture } from '../src/fixtures.js';
import { liveTargets } from '../src/provided.js';

// The StoragePort contract on each listed storage target; every key starts with the run's prefix and the target's name.
for (const { target, namePrefix } of liveTargets('storage')) {
  describeStoragePort(`${target.name} (live)`, () => storageFixture(target, namePrefix), { namePrefix });
}
