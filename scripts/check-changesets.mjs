#!/usr/bin/env node
// Fails when a published package changed since the last release without a pending changeset
// naming it, and says which packages lack one. Run by `npm test`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

/** Changes under these paths do not reach the published tarball. */
const UNPUBLISHED = [/^test\//, /^CHANGELOG\.md$/, /^tsconfig\.json$/, /^vitest\.config\./];

function published() {
  const dirs = readdirSync(join(root, 'packages')).filter((d) => existsSync(join(root, 'packages', d, 'package.json')));
  return dirs
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({ dir: `packages/${dir}/`, name: manifest.name }));
}

/** The last release: its tag, else the last `changeset version` commit (it writes CHANGELOGs), else the first commit. */
function releasePoint() {
  const tag = git('tag', '--merged', 'HEAD', '--list', '@switchyard/*@*', '--sort=-creatordate').split('\n')[0];
  if (tag) return { ref: tag, what: `release tag ${tag}` };
  const versioned = git('log', '-1', '--format=%H', '--', 'packages/*/CHANGELOG.md');
  if (versioned) return { ref: versioned, what: `version commit ${versioned.slice(0, 8)}` };
  const first = git('rev-list', '--max-parents=0', 'HEAD').split('\n')[0];
  return { ref: first, what: 'the first commit (nothing released yet)' };
}

function changedFiles(ref) {
  const tracked = git('diff', '--name-only', ref, '--');
  const untracked = git('ls-files', '--others', '--exclude-standard');
  return [...tracked.split('\n'), ...untracked.split('\n')].filter(Boolean);
}

/** Package names in the front matter of every pending changeset. */
function namedInChangesets() {
  const dir = join(root, '.changeset');
  const names = new Set();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(dir, file), 'utf8'))?.[1] ?? '';
    for (const m of front.matchAll(/^\s*["']?(@?[^"':\s]+)["']?\s*:\s*(major|minor|patch)\s*$/gm)) names.add(m[1]);
  }
  return names;
}

const point = releasePoint();
const files = changedFiles(point.ref);
const covered = namedInChangesets();
const missing = published().filter(
  ({ dir, name }) => !covered.has(name) && files.some((f) => f.startsWith(dir) && !UNPUBLISHED.some((re) => re.test(f.slice(dir.length)))),
);

if (missing.length > 0) {
  console.error(`These packages changed since ${point.what} but no changeset names them:`);
  for (const { name } of missing) console.error(`  - ${name}`);
  console.error('Run `npx changeset`, pick them, describe the change, and commit the file it writes in .changeset/.');
  process.exit(1);
}
console.log(`Changesets cover every published package changed since ${point.what}.`);
