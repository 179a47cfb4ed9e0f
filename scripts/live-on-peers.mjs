// CI for the live tier (`npm run test:live`), which no CI can point at a real account: starts the
// local real peers, sets them up as a team sets up its account (scripts/live-on-peers/account.mjs),
// and runs the tier on every target that has a local peer. Then checks what the tier promises: it
// refuses a production bucket before touching it, and nothing carrying the prefix survives a
// passing run or a run whose cases fail after writing. Needs the peers kit (SWITCHYARD_PEERS_DIR),
// PostgreSQL on 127.0.0.1:5432, Redis on 127.0.0.1:6379, and a build (`npm run test:peers` leaves one).
import { spawn } from 'node:child_process';
import { startPeer } from '@switchyard/test-peers/peers';
import {
  accountEnv,
  leftovers,
  names,
  prepare,
  productionObjects,
  seedProduction,
  startCognito,
  supabaseS3Env,
  teardown,
} from './live-on-peers/account.mjs';

const RAN = [
  'aws-s3 (Ceph RGW, then the Supabase Storage server’s S3 endpoint)',
  'supabase-storage (the Supabase Storage server)',
  'aws-cognito (cognito-local behind the repository’s Cognito proxy; admin cases only)',
  'aws-rds (the machine’s PostgreSQL, RDS_AUTH=secret through moto’s Secrets Manager)',
  'supabase-db (the machine’s PostgreSQL)',
  'aws-redis (the machine’s Redis)',
];
/**
 * Targets for a real account only, with no local peer: supabase-realtime (npm test runs its fixture
 * against the fake server) and supabase-auth (no GoTrue server on these machines).
 */
const NO_PEER = ['supabase-realtime', 'supabase-auth'];
const TARGETS = ['aws-s3', 'supabase-storage', 'aws-cognito', 'aws-rds', 'supabase-db', 'aws-redis'];

function command(args, env) {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(args[0], args.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        output += chunk;
        process.stdout.write(chunk);
      });
    }
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const live = (env) => command(['npx', 'vitest', 'run', '--config', 'vitest.live.config.ts'], env);

/** Runs every check and returns the problems found. */
async function check(peers) {
  const problems = [];
  const account = accountEnv(peers);
  const left = async (after) => {
    for (const item of await leftovers(peers)) problems.push(`left after ${after}: ${item}`);
  };

  // No target listed: the command fails and lists the targets, it never passes empty.
  const empty = await live({ ...account, SWITCHYARD_LIVE_TARGETS: '' });
  if (empty.code === 0 || !empty.output.includes('names no target')) problems.push('the live tier did not refuse an empty target list');

  // A production bucket (no prefix, not allowed) is refused before any request reaches it.
  await seedProduction(peers);
  const refused = await live({ ...account, AWS_S3_BUCKET: names.productionBucket });
  if (refused.code === 0 || !refused.output.includes(`names the bucket "${names.productionBucket}"`)) {
    problems.push('the live tier did not refuse a bucket without the prefix');
  }
  if ((await productionObjects(peers)).join() !== 'orders/2026.csv') problems.push('the production bucket was touched');

  const passing = await command(['npm', 'run', 'test:live'], account);
  if (passing.code !== 0) problems.push(`npm run test:live failed on the peers (exit ${passing.code})`);
  await left('the passing run');

  const supabaseS3 = await live(supabaseS3Env(peers));
  if (supabaseS3.code !== 0) problems.push(`the live tier failed on the Storage server's S3 endpoint (exit ${supabaseS3.code})`);
  await left('the run on the S3 endpoint');

  const failing = await command(['npx', 'vitest', 'run', '--config', 'packages/live/test/failing/vitest.config.ts'], account);
  if (failing.code === 0 || !failing.output.includes('deliberate failure')) problems.push('the deliberately failing run did not fail');
  // The fixtures' teardowns removed what the failing cases wrote; the sweep found only the "crashed run's".
  for (const target of TARGETS) {
    if (!failing.output.includes(`live tier sweep: ${target}: 1 leftover`)) {
      problems.push(`${target}: the sweep after the failing run did not find exactly the crashed run's leftover`);
    }
  }
  await left('the failing run');
  return problems;
}

const started = await Promise.allSettled([...['supabase-storage', 'ceph-rgw', 'moto'].map((name) => startPeer(name)), startCognito()]);
const running = started.filter((result) => result.status === 'fulfilled').map((result) => result.value);
const peers = Object.fromEntries(running.map((peer) => [peer.name, peer.env]));
let problems;
try {
  const failedStart = started.find((result) => result.status === 'rejected');
  if (failedStart) throw failedStart.reason;
  await prepare(peers);
  problems = await check(peers);
} finally {
  await teardown(peers);
  await Promise.allSettled(running.map((peer) => peer.stop()));
}
console.log(`\nlive-on-peers: targets run:\n  ${RAN.join('\n  ')}`);
console.log(`live-on-peers: targets for a real account only, not run here (no local peer): ${NO_PEER.join(', ')}`);
if (problems.length > 0) {
  console.error(`live-on-peers FAILED:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(
  'live-on-peers: passed: a production bucket refused untouched; nothing carrying the prefix left after a passing and a failing run',
);
