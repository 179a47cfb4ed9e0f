import { describeDbPort } from '@switchyard/contract-tests';
import { dbFixture } from '../src/fixtures.js';
import { liveTargets } from '../src/provided.js';

// The DbPort contract on each listed database target; every table name starts with the run's prefix and the target's name.
for (const { target, namePrefix } of liveTargets('db')) {
  describeDbPort(`${target.name} (live)`, ({ maxConnections }) => dbFixture(target, namePrefix, maxConnections), { namePrefix });
}
