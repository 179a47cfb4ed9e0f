import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthPort } from '@switchyard/core';
import { createLocalAuth } from '@switchyard/local';
import { copyUsers, parseShard, verifyUsers } from '@switchyard/migrate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let dir: string;
let from: AuthPort;
let to: AuthPort;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sy-migrate-users-'));
  from = await createLocalAuth({ dataFile: join(dir, 'from.json') });
  to = await createLocalAuth({ dataFile: join(dir, 'to.json'), issuer: 'http://localhost/other/v1' });
});
afterEach(async () => {
  await Promise.all([from.close(), to.close()]);
  await rm(dir, { recursive: true, force: true });
});

const stateDir = () => join(dir, 'state');

describe('copyUsers', () => {
  it('creates every user at the target with the same application id and email, once, in two shards', async () => {
    const users = [];
    for (let i = 0; i < 12; i++) users.push(await from.admin.createUser({ email: `user${i}@example.com`, emailVerified: true }));
    const [one, two] = await Promise.all([
      copyUsers({ from, to, stateDir: stateDir(), shard: parseShard('1/2') }),
      copyUsers({ from, to, stateDir: stateDir(), shard: parseShard('2/2') }),
    ]);
    expect(one.counts.created + two.counts.created).toBe(12);
    expect(one.counts.created * two.counts.created).toBeGreaterThan(0);
    for (const user of users) expect((await to.admin.getUser(user.id))?.email).toBe(user.email);
    expect((await copyUsers({ from, to, stateDir: stateDir() })).counts).toMatchObject({ created: 0, skipped: 12 });
    expect((await verifyUsers({ from, to, stateDir: stateDir() })).counts).toMatchObject({ same: 12, missing: 0, split: 0 });
  });

  it('never merges: an email another id holds at the target is a conflict, and verify calls it a split identity', async () => {
    const alice = await from.admin.createUser({ email: 'alice@example.com' });
    await to.admin.createUser({ email: 'alice@example.com' });
    const copied = await copyUsers({ from, to, stateDir: stateDir() });
    expect(copied.counts).toMatchObject({ created: 0, conflicts: 1 });
    const verified = await verifyUsers({ from, to, stateDir: stateDir() });
    expect(verified.counts).toMatchObject({ split: 1 });
    expect(await to.admin.getUser(alice.id)).toBeNull();
  });
});
