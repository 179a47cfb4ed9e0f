import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@switchyard/test-peers/redis';
import { Redis } from 'ioredis';

/** A redis-server this test started (for restarts and clusters; the shared server is never touched). */
export interface TestServer {
  port: number;
  /** A plain client for inspection. */
  client: Redis;
  stop(): Promise<void>;
}

/**
 * Somewhere in 12000–17999, spaced by three so one cluster's ports do not overlap another's. Kept
 * below Linux's ephemeral range (32768+), including the cluster bus port (+10000), so an outgoing
 * socket never holds it.
 */
export function randomPort(): number {
  return 12000 + Math.floor(Math.random() * 2000) * 3;
}

/** Starts `redis-server` on `port`; fails loudly when it is not installed or does not come up. */
export async function startServer(port: number, dir: string, extra: string[] = []): Promise<TestServer> {
  // biome-ignore format: one flag and value per pair
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no',
    '--dbfilename', `dump-${port}.rdb`, ...extra];
  const child: ChildProcess = spawn('redis-server', args, { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', reject);
    // For example, the port is taken.
    child.once('exit', (code) => reject(new Error(`redis-server on port ${port} exited with ${code}`)));
  });
  failed.catch(() => undefined);
  // The server needs a moment to listen: let ioredis retry until it is ready.
  const client = new Redis({ port, retryStrategy: (times) => (times > 50 ? null : 100) });
  client.on('error', () => undefined);
  const stop = async () => {
    client.disconnect();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  };
  try {
    const ready = new Promise((resolve, reject) => {
      client.once('ready', resolve);
      client.once('end', () => reject(new Error(`redis-server on port ${port} did not start`)));
    });
    await Promise.race([ready, failed]);
  } catch (error) {
    await stop();
    throw new Error('Could not start redis-server for this test', { cause: error });
  }
  return { port, client, stop };
}

/** A throwaway three-primary Redis Cluster. */
export interface TestCluster {
  nodes: { host: string; port: number }[];
  clients: Redis[];
  stop(): Promise<void>;
}

const SLOTS = 16384;

/** Runs `start` on fresh random ports until it works, so a port some other process holds costs a retry, not the run. */
export async function onFreePorts<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(randomPort());
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/** Starts three cluster-enabled servers on `base`, `base + 1`, `base + 2`, assigns the slots and joins them. */
export async function startCluster(base: number): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'sy-redis-cluster-'));
  const servers: TestServer[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const port of [base, base + 1, base + 2]) {
      servers.push(await startServer(port, dir, ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`)]));
    }
    const clients = servers.map((server) => server.client);
    const per = Math.ceil(SLOTS / servers.length);
    await Promise.all(clients.map((client, i) => client.call('CLUSTER', 'ADDSLOTSRANGE', i * per, Math.min(SLOTS, (i + 1) * per) - 1)));
    for (const server of servers.slice(1)) await clients[0]!.call('CLUSTER', 'MEET', '127.0.0.1', server.port);
    await eventually('the cluster to be ok on every node', async () => {
      const infos = await Promise.all(clients.map((client) => client.call('CLUSTER', 'INFO') as Promise<string>));
      return infos.every((info) => info.includes('cluster_state:ok') && info.includes('cluster_known_nodes:3'));
    });
    return { nodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })), clients, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A fresh temporary directory for a server's files, removed by the returned function. */
export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'sy-redis-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
