import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The real servers this package can start; each folder of the peers kit holds `up.sh` and `down.sh`. */
export type PeerName = 'supabase-storage' | 'ceph-rgw' | 'moto';

/** A started peer: the client settings its `up.sh` printed, and how to stop it. */
export interface RunningPeer {
  name: PeerName;
  env: Record<string, string>;
  stop(): Promise<void>;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const holdsKit = (dir: string) => existsSync(join(dir, 'supabase-storage', 'up.sh')) && existsSync(join(dir, 'ceph-rgw', 'up.sh'));

/**
 * Where the peers kit lives: `SWITCHYARD_PEERS_DIR`, else `../shared/peers` beside the checkout,
 * else the team machines' `/work/shared/peers` (CI clones the repository elsewhere).
 * A missing kit is an error that says where to get it, never an empty pass.
 */
export function peersDir(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.SWITCHYARD_PEERS_DIR ? [env.SWITCHYARD_PEERS_DIR] : [resolve(REPO_ROOT, '../shared/peers'), '/work/shared/peers'];
  const dir = candidates.find(holdsKit);
  if (!dir) {
    throw new Error(
      `The real-peer tier needs the peers kit (supabase-storage/ and ceph-rgw/, each with up.sh and down.sh), and none of ${candidates.join(', ')} holds it. ` +
        'Set SWITCHYARD_PEERS_DIR to the folder holding it (on the team machines it is ../shared/peers beside the checkout; see CONTRIBUTING.md).',
    );
  }
  return dir;
}

/**
 * Where peers keep what is worth keeping between runs (installed server modules); not the repo.
 * Under the temp folder: run as root, the kit's PostgreSQL belongs to the `postgres` user, who must
 * be able to enter it.
 */
function stateDir(name: string): string {
  const root = process.env.SWITCHYARD_PEERS_STATE ?? join(tmpdir(), 'switchyard-peers');
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function parseEnv(stdout: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1]) env[match[1]] = match[2] ?? '';
  }
  return env;
}

async function script(path: string, args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await run('bash', [path, ...args], {
      env: { ...process.env, ...extraEnv },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 10 * 60_000,
    });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${path} ${args.join(' ')} failed: ${e.stderr?.trim().split('\n').slice(-20).join('\n') || e.message}`, {
      cause: error,
    });
  }
}

/**
 * The Supabase Storage API server. Its installed modules stay in the state folder between runs
 * (a cold install takes about a minute); the signed upload URL lifetime is set to 120 s, neither
 * the kit's 7,200 nor the server's 60, so an adapter that assumes either is caught.
 */
async function startSupabaseStorage(kit: string): Promise<RunningPeer> {
  const dir = stateDir('supabase-storage');
  const up = join(kit, 'supabase-storage', 'up.sh');
  const env = parseEnv(await script(up, [dir], { UPLOAD_SIGNED_URL_EXPIRATION_TIME: '120' }));
  if (!env.SUPABASE_URL) throw new Error(`${up} printed no SUPABASE_URL`);
  return { name: 'supabase-storage', env, stop: () => script(join(kit, 'supabase-storage', 'down.sh'), [dir]).then(() => undefined) };
}

async function startCeph(kit: string): Promise<RunningPeer> {
  // Ceph's down.sh removes its folder: each run gets a fresh one.
  const dir = join(tmpdir(), `switchyard-ceph-${process.pid}-${Date.now()}`);
  const [s3Port, monPort] = [await freePort(), await freePort()];
  const down = join(kit, 'ceph-rgw', 'down.sh');
  try {
    const env = parseEnv(
      await script(join(kit, 'ceph-rgw', 'up.sh'), [dir, String(s3Port), String(monPort)], { MEMSTORE_BYTES: String(2 * 1024 ** 3) }),
    );
    if (!env.S3_ENDPOINT) throw new Error('ceph-rgw/up.sh printed no S3_ENDPOINT');
    return { name: 'ceph-rgw', env, stop: () => script(down, [dir]).then(() => undefined) };
  } catch (error) {
    await script(down, [dir]).catch(() => undefined);
    throw error;
  }
}

/** moto_server, for Secrets Manager (and the other AWS APIs it emulates). */
async function startMoto(): Promise<RunningPeer> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const spawnFailed = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`moto_server could not start (${error.message}); install it with: pip install 'moto[server]'`)),
    );
    child.once('exit', (code) => reject(new Error(`moto_server exited with ${code}: ${stderr}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let i = 0; i < 150; i++) {
      try {
        const response = await fetch(`${endpoint}/moto-api/`);
        await response.arrayBuffer();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`moto_server did not answer at ${endpoint} within 15 s: ${stderr}`);
  })();
  await Promise.race([ready, spawnFailed]);
  spawnFailed.catch(() => undefined);
  return {
    name: 'moto',
    env: { MOTO_ENDPOINT: endpoint },
    stop: async () => {
      child.kill('SIGTERM');
    },
  };
}

/** Starts one peer; throws (never skips) when it cannot. */
export async function startPeer(name: PeerName): Promise<RunningPeer> {
  if (name === 'moto') return startMoto();
  const kit = peersDir();
  return name === 'supabase-storage' ? startSupabaseStorage(kit) : startCeph(kit);
}
