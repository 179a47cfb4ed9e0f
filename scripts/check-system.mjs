#!/usr/bin/env node
// What `npm test` needs from the machine beside npm packages, checked (and set up where a tool can)
// before anything runs, so a fresh machine needs no step by hand:
// - Debian's Chromium (the browser test) and PostGIS for the machine's PostgreSQL (distance queries
//   as on RDS and Supabase): installed with apt-get when missing;
// - PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379: started when installed but stopped.
// Anything it cannot do, it says how to do, and exits 1.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';

const problems = [];
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

function reachable(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function waitFor(port, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await reachable(port)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function run(command, args) {
  console.log(`check-system: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

const pgVersions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
const pgVersion = pgVersions.sort().at(-1);

// 1. Services.
if (!(await reachable(5432))) {
  if (pgVersion && has('pg_ctlcluster')) run('pg_ctlcluster', ['--skip-systemctl-redirect', pgVersion, 'main', 'start']);
  if (!(await waitFor(5432, 15_000)))
    problems.push('PostgreSQL is not answering on 127.0.0.1:5432 (trust auth, databases test and postgres): start it.');
}
if (!(await reachable(6379))) {
  if (has('redis-server'))
    run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no']);
  if (!(await waitFor(6379, 10_000))) problems.push('Redis is not answering on 127.0.0.1:6379: start it.');
}

// 2. Debian packages.
const missing = [];
if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
if (pgVersion && !existsSync(`/usr/share/postgresql/${pgVersion}/extension/postgis.control`))
  missing.push(`postgresql-${pgVersion}-postgis-3`);
if (missing.length > 0) {
  const installed = isRoot && has('apt-get') && run('apt-get', ['update', '-qq']) && run('apt-get', ['install', '-y', '-qq', ...missing]);
  if (!installed) problems.push(`Missing Debian packages: run apt-get update && apt-get install -y ${missing.join(' ')} (as root).`);
}

if (problems.length > 0) {
  console.error(`npm test cannot run on this machine yet:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('check-system: PostgreSQL, Redis, Chromium and PostGIS are ready.');
