// `npm test`: the machine and changeset checks, the build and the lint, then the type check and the
// test suite side by side. The type check (tsc in every workspace, about 70 s of one core) needs
// only the build, and the suite waits on PostgreSQL, Redis and its servers part of the time; on 2
// cores the suite still slows by some of what the type check would have taken alone (vitest 383
// and 442 s beside it). Arguments go to vitest.
import { spawn } from 'node:child_process';

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function step(command, args) {
  const code = await run(command, args);
  if (code !== 0) process.exit(code);
}

await step(process.execPath, ['scripts/check-node.mjs']);
await step(process.execPath, ['scripts/check-system.mjs']);
await step(process.execPath, ['scripts/check-changesets.mjs']);
await step('turbo', ['run', 'build', '--output-logs=errors-only']);
await step('biome', ['check', '.']);
// --only: the builds are done, and must not be touched while the suite reads dist/.
const [typecheck, tests] = await Promise.all([
  run('turbo', ['run', 'typecheck', '--only', '--concurrency=1', '--output-logs=errors-only']),
  run('vitest', ['run', ...process.argv.slice(2)]),
]);
if (typecheck !== 0) console.error('npm test: the type check failed (turbo run typecheck); see its errors above.');
if (tests !== 0) console.error('npm test: the test suite failed; see above.');
process.exit(typecheck || tests);
