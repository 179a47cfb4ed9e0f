import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, startServer } from './server.js';

function readPort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be an integer from 0 to 65535 (0 picks a free port); got ${JSON.stringify(value)}.`);
    process.exit(1);
  }
  return port;
}

// By default dist/main.js → the example's own `.data`, so `npm start` from anywhere keeps one data folder.
const dataDir = process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : fileURLToPath(new URL('../.data', import.meta.url));

let server: RunningServer;
try {
  server = await startServer({ port: readPort(process.env.PORT), host: process.env.HOST || '127.0.0.1', dataDir, printSignInEmails: true });
} catch (error) {
  // A port in use or an unreadable data folder: say what failed without a stack trace.
  console.error(`Community app could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
// The match job's local runner reads this: PGlite is one process's database, and a second process
// opening the same folder would corrupt it.
const pidFile = join(dataDir, 'app.pid');
writeFileSync(pidFile, String(process.pid));
console.log(`Community app listening on ${server.url}`);
console.log(`Data in ${dataDir}.`);
if (server.mailbox) console.log('Sign in with any email address: the code and link are printed here.');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  try {
    await server.close();
    rmSync(pidFile, { force: true });
    process.exit(0);
  } catch (error) {
    console.error('Shutdown failed', error);
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
