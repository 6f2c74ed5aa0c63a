import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lab/repo-root.ts';
import { APP_ENTRY } from '../lab/run/processes/app-server.ts';

// Configuration errors stop start-up before anything is opened: exit 1, one line on stderr, no stack.

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runApp(env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', APP_ENTRY],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

describe('start-up with an invalid configuration', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DB_POOL_SIZE: '0' }, 'DB_POOL_SIZE'],
    [{ CACHE_MODE: 'everywhere' }, 'CACHE_MODE'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ CACHE_MODE: 'global-sharded' }, 'REDIS_NODES'],
  ])('%j exits 1 naming %s on stderr, without a stack', async (env, variable) => {
    const exit = await runApp(env);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain(variable);
    expect(exit.stderr.trim().split('\n')).toHaveLength(1);
    expect(exit.stderr).not.toMatch(/\n\s+at |AppError/);
    expect(exit.stdout).toBe('');
  });
});
