import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLeftovers } from '../lab/run/driver/pid-control.ts';
import { readState } from '../lab/run/driver/state-file.ts';
import { freePort } from '../lab/run/processes/ports.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { topologyNames } from '../lab/topology/catalog.ts';

const BIN = join(import.meta.dirname, '..', 'lab', 'bin', 'cachelab.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `cachelab` binary with LAB_DIR pointing at a private folder. */
function cachelab(labDir: string, args: string[], timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, LAB_DIR: labDir, DRIVER: '', LAB_HTTP_PORT: '' };
    execFile(
      process.execPath,
      [BIN, ...args],
      { env, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function withLabDir(fn: (labDir: string) => Promise<void>): Promise<void> {
  const labDir = await makeRunDir('cli');
  let failure: unknown;
  try {
    await fn(labDir);
  } catch (error) {
    failure = error;
  }
  // A test that failed after `up` must still take its lab down, not leave processes behind.
  if (existsSync(join(labDir, 'current.json'))) {
    const down = await cachelab(labDir, ['down']);
    if (down.code !== 0) failure ??= new Error(`cleanup: cachelab down failed: ${down.stderr}`);
  }
  await removeRunDir(labDir);
  if (failure !== undefined) throw failure;
}

describe('cachelab CLI', () => {
  it('list prints every topology with its servers, balancing, cache, redis and question', async () => {
    await withLabDir(async (labDir) => {
      const run = await cachelab(labDir, ['list']);
      expect(run.code).toBe(0);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^NAME\s+SERVERS\s+LB\s+CACHE\s+REDIS\s+QUESTION$/);
      expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(topologyNames());
      expect(run.stdout).toMatch(/local-hash\s+3\s+consistent-hash\s+local\s+-\s+Does routing/);
      expect(run.stdout).toMatch(
        /global-cluster\s+3\s+round-robin\s+global-cluster\s+cluster 3\+3/,
      );
    });
  });

  it('refuses an unknown topology and bad flags with exit code 2', async () => {
    await withLabDir(async (labDir) => {
      const unknown = await cachelab(labDir, ['up', 'nope']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("unknown topology 'nope'; valid names: no-cache, local");
      const badPort = await cachelab(labDir, ['up', 'local', '--http-port', 'abc']);
      expect(badPort.code).toBe(2);
      expect(badPort.stderr).toMatch(/expected an integer/);
      expect((await cachelab(labDir, ['frobnicate'])).code).toBe(2);
      expect(existsSync(join(labDir, 'current.json'))).toBe(false);
    });
  });

  // lab/cli/main.test.ts checks --help of every command in-process; this checks the binary's exit code.
  it('answers --help with the commands and, for compare, its options, exit code 0', async () => {
    await withLabDir(async (labDir) => {
      const top = await cachelab(labDir, ['--help']);
      expect(top.code).toBe(0);
      for (const name of ['compare', 'demo', 'diff', 'bench', 'simulate']) {
        expect(top.stdout, name).toMatch(new RegExp(`^  ${name} `, 'm'));
      }
      const help = await cachelab(labDir, ['compare', '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: cachelab compare');
      expect(help.stdout).toMatch(/--driver <name>\s+native \| compose/);
    });
  });

  it('refuses bad options of compare, diff and bench with exit code 2, running nothing', async () => {
    await withLabDir(async (labDir) => {
      const cases: [string[], RegExp][] = [
        [['compare', '--driver', 'podman'], /'--driver <name>' argument 'podman' is invalid/],
        [['diff', 'only-one'], /missing required argument 'run-b'/],
        [
          ['bench', '--only', 'disk'],
          /expected one of ladder, ceilings, peer, nginx-settings, got 'disk'/,
        ],
      ];
      for (const [args, message] of cases) {
        const run = await cachelab(labDir, args);
        expect(run.code, args.join(' ')).toBe(2);
        expect(run.stderr, args.join(' ')).toMatch(message);
      }
      expect(await readdir(labDir)).toEqual([]);
    });
  });

  it('up local, status, down: leaves nothing running', { timeout: 180_000 }, async () => {
    await withLabDir(async (labDir) => {
      const port = await freePort();
      const up = await cachelab(labDir, [
        'up',
        'local',
        '--driver',
        'native',
        '--http-port',
        String(port),
        '--seed-users',
        '300',
      ]);
      expect(up.stderr).toContain('driver native (chosen with --driver)');
      expect(up.code, up.stderr).toBe(0);
      const state = await readState(join(labDir, 'current.json'));
      expect(state?.httpUrl).toBe(`http://127.0.0.1:${port}`);
      const res = await fetch(`${state?.httpUrl}/profiles/1`);
      expect(res.status).toBe(200);
      const status = await cachelab(labDir, ['status']);
      expect(status.code, status.stdout).toBe(0);
      expect(status.stdout).toContain('serving');
      expect(status.stdout).toMatch(/app-3\s+app\s+\d+\s+running/);
      const loadArgs = ['--rate', '40', '--duration', '2', '--warmup', '1', '--keys', '300'];
      const load = await cachelab(labDir, ['load', '--topology', 'local', ...loadArgs]);
      expect(load.code, load.stderr).toBe(0);
      expect(load.stderr).toMatch(/loading local with (k6|the Node runner)/);
      expect(load.stderr).toMatch(/result: .*local-read-heavy-\d+\.json/);
      const wrong = await cachelab(labDir, ['load', '--topology', 'global', ...loadArgs]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('local is running, not global');
      const logs = await cachelab(labDir, ['logs', 'nginx-access', '--lines', '5']);
      expect(logs.stdout).toContain('GET /profiles/1');
      const down = await cachelab(labDir, ['down']);
      expect(down.code, down.stderr).toBe(0);
      expect(existsSync(join(labDir, 'current.json'))).toBe(false);
      expect(await findLeftovers(state?.services ?? [])).toEqual({ alive: [], busyPorts: [] });
      expect((await cachelab(labDir, ['status'])).code).toBe(3);
    });
  });
});
