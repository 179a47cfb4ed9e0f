import { describePubSubPort } from '@switchyard/contract-tests';
import { pubSubFixture } from '../src/fixtures.js';
import { liveTargets } from '../src/provided.js';

// The PubSubPort contract on each listed pub/sub target; every channel starts with the run's prefix and the target's name.
for (const { target, namePrefix } of liveTargets('pubsub')) {
  describePubSubPort(`${target.name} (live)`, () => pubSubFixture(target, namePrefix), { namePrefix });
}
