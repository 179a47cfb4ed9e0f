#!/usr/bin/env node
// `npm run release`: builds every package and publishes the public ones with `changeset publish`
// to the private registry that `.npmrc` maps the @switchyard scope to (SWITCHYARD_REGISTRY).
// The token comes from NPM_TOKEN and is never written to disk: the temporary npmrc below holds
// the literal `${NPM_TOKEN}`, which npm expands when it reads the file.
// Extra arguments go to `changeset publish` (for example `--no-git-tag`, `--tag next`).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);

function fail(message) {
  console.error(`release: ${message}`);
  process.exit(1);
}

const registry = execFileSync('npm', ['config', 'get', '@switchyard:registry'], { cwd: root, encoding: 'utf8' }).trim();
if (!registry || registry === 'undefined') {
  fail(
    'SWITCHYARD_REGISTRY is not set. Set it to your private registry URL (e.g. https://npm.example.com/); .npmrc maps @switchyard to it.',
  );
}
let url;
try {
  url = new URL(registry);
} catch {
  fail(`SWITCHYARD_REGISTRY must be a URL such as https://npm.example.com/; got ${JSON.stringify(registry)}.`);
}
if (url.hostname === 'registry.npmjs.org') fail('refusing to publish @switchyard packages to the public npm registry.');
if (!process.env.NPM_TOKEN) fail(`NPM_TOKEN is not set: give the publish token for ${url.origin}.`);

const build = spawnSync(bin('turbo'), ['run', 'build', '--filter=./packages/*', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) fail('the build failed; nothing was published.');

// npm keys auth by registry host and path, without the protocol.
const authKey = `//${url.host}${url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`}:_authToken`;
const userConfig = process.env.NPM_CONFIG_USERCONFIG ?? join(homedir(), '.npmrc');
const dir = mkdtempSync(join(tmpdir(), 'switchyard-release-'));
const npmrc = join(dir, 'npmrc');
const inherited = existsSync(userConfig) ? `${readFileSync(userConfig, 'utf8')}\n` : '';
writeFileSync(npmrc, `${inherited}${authKey}=\${NPM_TOKEN}\n`, { mode: 0o600 });

try {
  const publish = spawnSync(bin('changeset'), ['publish', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    // changesets reads the scoped registry from this variable; npm does not export it to scripts.
    env: { ...process.env, NPM_CONFIG_USERCONFIG: npmrc, 'npm_config_@switchyard:registry': url.href },
  });
  if (publish.status !== 0) fail('changeset publish failed (see above).');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
