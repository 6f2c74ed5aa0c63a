import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import {
  DockerScope,
  describeWithDocker,
  docker,
  probeDockerEngine,
} from '../docker/docker-cli.ts';
import { testImage } from './support.ts';

// The app image ships production dependencies only: what `npm ci --omit=dev` would install, without
// the leftovers of pruning (empty @scope folders, dangling .bin links, the hidden lockfile).
const probe = await probeDockerEngine();

const readJson = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));
const { devDependencies = {} } = readJson('package.json') as {
  devDependencies?: Record<string, string>;
};
const lock = readJson('package-lock.json') as { packages: Record<string, { dev?: boolean }> };
/** Top-level packages only devDependencies need (transitive ones included), per the lockfile. */
const devOnly = Object.entries(lock.packages)
  .filter(([key, entry]) => entry.dev === true && /^node_modules\/(@[^/]+\/)?[^/]+$/.test(key))
  .map(([key]) => key.slice('node_modules/'.length));

// Runs in the image's own Node: every package folder (scoped ones as @scope/name), empty folders,
// .bin entries whose target is gone, and whether the hidden lockfile is there.
const INVENTORY = `
const fs = require('node:fs');
const top = fs.readdirSync('node_modules').filter((n) => !n.startsWith('.'));
const packages = top.flatMap((n) => n.startsWith('@') ? fs.readdirSync('node_modules/' + n).map((p) => n + '/' + p) : [n]);
const empty = top.filter((n) => n.startsWith('@') && fs.readdirSync('node_modules/' + n).length === 0);
const bin = fs.existsSync('node_modules/.bin') ? fs.readdirSync('node_modules/.bin') : [];
const dangling = bin.filter((n) => { try { fs.statSync('node_modules/.bin/' + n); return false; } catch { return true; } });
const hiddenLock = fs.existsSync('node_modules/.package-lock.json');
console.log(JSON.stringify({ packages, empty, dangling, hiddenLock }));
`;

interface Inventory {
  packages: string[];
  empty: string[];
  dangling: string[];
  hiddenLock: boolean;
}

describeWithDocker('the app image', probe, () => {
  it('has no devDependencies in node_modules, nor what pruning them leaves', async () => {
    const scope = new DockerScope('app-image');
    try {
      const args = ['run', '--rm', '--label', scope.label, testImage('APP')];
      const result = await docker([...args, 'node', '-e', INVENTORY], 60_000);
      expect(result.code, result.stderr).toBe(0);
      const inventory = JSON.parse(result.stdout) as Inventory;
      const dev = Object.keys(devDependencies);
      expect(dev).toContain('vitest');
      expect(devOnly).toContain('@vitest/runner');
      expect(inventory.packages.filter((p) => dev.includes(p) || devOnly.includes(p))).toEqual([]);
      expect(inventory.packages).toContain('express');
      expect(inventory).toMatchObject({ empty: [], dangling: [], hiddenLock: false });
    } finally {
      await scope.cleanup();
    }
  });
});
