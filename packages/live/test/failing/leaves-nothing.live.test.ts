import { sql } from '@switchyard/core';
import { Redis } from 'ioredis';
import { it } from 'vitest';
import { authFixture, dbFixture, pubSubFixture, storageFixture } from '../../src/fixtures.js';
import { livePlan, liveTargets } from '../../src/provided.js';

// Each case writes under its suite's name prefix, and under the live prefix as a crashed earlier
// run would have left it, then fails: the fixture's teardown must remove the first, the global
// sweep the second. scripts/live-on-peers.mjs checks the targets afterwards.
const crashed = `${livePlan().prefix}crashed-run-`;
const fail = (): never => {
  throw new Error('deliberate failure, to check the cleanup after a failing case');
};

for (const { target, namePrefix } of liveTargets('storage')) {
  it(`${target.name}: writes objects, then fails`, async () => {
    const fixture = await storageFixture(target, namePrefix);
    try {
      await fixture.port.put(`${namePrefix}failing/object.txt`, 'x');
      await fixture.port.put(`${crashed}${target.name}/object.txt`, 'x');
      fail();
    } finally {
      await fixture.teardown?.();
    }
  });
}

for (const { target, namePrefix } of liveTargets('auth')) {
  it(`${target.name}: creates users, then fails`, async () => {
    const fixture = await authFixture(target, namePrefix);
    try {
      await fixture.port.admin.createUser({ email: `${namePrefix}failing@example.com` });
      await fixture.port.admin.createUser({ email: `${crashed}${target.name}@example.com` });
      fail();
    } finally {
      await fixture.teardown?.();
    }
  });
}

for (const { target, namePrefix } of liveTargets('db')) {
  it(`${target.name}: creates tables, then fails`, async () => {
    const fixture = await dbFixture(target, namePrefix);
    try {
      await fixture.port.query(sql`create table ${sql.ident(`${namePrefix}failing`)} (id int)`);
      await fixture.port.query(sql`create table ${sql.ident(`${crashed}${target.name}`)} (id int)`);
      fail();
    } finally {
      await fixture.teardown?.();
    }
  });
}

for (const { target, namePrefix } of liveTargets('pubsub')) {
  if (target.name !== 'aws-redis') continue;
  it(`${target.name}: writes keys, then fails`, async () => {
    const fixture = await pubSubFixture(target, namePrefix);
    const redis = new Redis(target.options.url);
    try {
      await redis.set(`${target.options.keyPrefix}${namePrefix}failing`, 'x');
      await redis.set(`${target.options.keyPrefix}${crashed}${target.name}`, 'x');
      fail();
    } finally {
      redis.disconnect();
      await fixture.teardown?.();
    }
  });
}
