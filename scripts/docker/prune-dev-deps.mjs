#!/usr/bin/env node
/**
 * Removes devDependencies from an installed node_modules using package-lock.json, like
 * `npm prune --omit=dev` but with Node alone (the offline node image has no npm): the dev packages,
 * then what they leave behind — empty `@scope` folders, `.bin` links into removed packages — and the
 * hidden lockfile `node_modules/.package-lock.json`, which still lists them (npm rebuilds it from the
 * tree when it is missing). Only unlinks: node_modules may be hard-linked to a shared cache.
 * Usage: node prune-dev-deps.mjs <project-dir> [--keep-build-tools]
 *   --keep-build-tools  keep `typescript` and `@types/*` (what the image's build stage compiles with)
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [dir = '.', ...flags] = process.argv.slice(2);
const keepBuildTools = flags.includes('--keep-build-tools');
const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));

/** The package name of a lockfile key such as `node_modules/a/node_modules/@scope/b`. */
const nameOf = (key) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
const isBuildTool = (name) => name === 'typescript' || name.startsWith('@types/');
/** The node_modules folder holding a lockfile key's package. */
const modulesOf = (key) => join(dir, key.slice(0, key.lastIndexOf('node_modules/') + 12));

const touched = new Set();
let removed = 0;
for (const [key, entry] of Object.entries(lock.packages ?? {})) {
  // `dev` = only reachable from devDependencies; `devOptional` packages are optional prod deps too.
  if (!key.startsWith('node_modules/') || entry.dev !== true) continue;
  if (keepBuildTools && isBuildTool(nameOf(key))) continue;
  rmSync(join(dir, key), { recursive: true, force: true });
  const scope = nameOf(key).startsWith('@') ? dirname(join(dir, key)) : undefined;
  if (scope && existsSync(scope) && readdirSync(scope).length === 0) rmdirSync(scope);
  touched.add(modulesOf(key));
  removed += 1;
}

// A `.bin` entry is a symlink into its package: dangling once the package is gone (statSync follows it).
let links = 0;
for (const modules of touched) {
  const bin = join(modules, '.bin');
  if (!existsSync(bin)) continue;
  for (const name of readdirSync(bin)) {
    try {
      statSync(join(bin, name));
    } catch {
      rmSync(join(bin, name), { force: true });
      links += 1;
    }
  }
}

if (removed > 0) rmSync(join(dir, 'node_modules', '.package-lock.json'), { force: true });
process.stdout.write(
  `prune-dev-deps: removed ${removed} dev packages and ${links} .bin links from ${dir}/node_modules\n`,
);
