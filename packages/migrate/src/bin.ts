#!/usr/bin/env node
import { runCommand } from './cli/main.js';

// Ctrl-C (or SIGTERM from a task runner) stops copies and verifies at their next checkpoint; a
// second Ctrl-C leaves at once.
const controller = new AbortController();
let interrupted = false;
const stop = (signal: NodeJS.Signals) => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write(`\nswitchyard: ${signal}: stopping at the next checkpoint (again to quit now)\n`);
  controller.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

runCommand(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: { write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY },
  signal: controller.signal,
}).then((code) => {
  process.exitCode = code;
});
