#!/usr/bin/env node
/**
 * Removes devDependencies from an installed node_modules using package-lock.json, like
 * `npm prune --omit=dev` but with Node alone (the offline node image has no npm).
 * Usage: node prune-dev-deps.mjs <project-dir> [--keep-build-tools]
 *   --keep-build-tools  keep `typescript` and `@types/*` (what the image's build stage compiles with)
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const [dir = '.', ...flags] = process.argv.slice(2);
const keepBuildTools = flags.includes('--keep-build-tools');
const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));

/** The package name of a lockfile key such as `node_modules/a/node_modules/@scope/b`. */
const nameOf = (key) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
const isBuildTool = (name) => name === 'typescript' || name.startsWith('@types/');

let removed = 0;
for (const [key, entry] of Object.entries(lock.packages ?? {})) {
  // `dev` = only reachable from devDependencies; `devOptional` packages are optional prod deps too.
  if (!key.startsWith('node_modules/') || entry.dev !== true) continue;
  if (keepBuildTools && isBuildTool(nameOf(key))) continue;
  rmSync(join(dir, key), { recursive: true, force: true });
  removed += 1;
}
process.stdout.write(`prune-dev-deps: removed ${removed} dev packages from ${dir}/node_modules\n`);
