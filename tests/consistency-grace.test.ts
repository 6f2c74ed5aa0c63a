import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lab/repo-root.ts';
import {
  APP_ENTRY,
  type AppServerHandle,
  startAppServer,
} from '../lab/run/processes/app-server.ts';
import { INVALIDATOR_ENTRY } from '../lab/run/processes/invalidator-process.ts';
import { type PostgresHandle, startPostgres } from '../lab/run/processes/postgres.ts';
import { type RedisNode, startRedis } from '../lab/run/processes/redis.ts';
import { redisCommand } from '../lab/run/processes/resp.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { applySchema, seedUsers } from '../services/app/src/db/setup.ts';
import { call, errorOf } from './app-support.ts';
import { until } from './consistency-support.ts';

// Stale-if-error through real app processes: Postgres is stopped under servers with grace on,
// off, and too short; and configurations the app and the invalidator must refuse at start-up.

const TTL_MS = 300;

describe('grace (stale-if-error) with Postgres stopped', () => {
  let runDir = '';
  let postgres: PostgresHandle;
  let redis: RedisNode;
  const apps: Record<'on' | 'onOther' | 'off' | 'short', AppServerHandle | undefined> = {
    on: undefined,
    onOther: undefined,
    off: undefined,
    short: undefined,
  };

  beforeAll(async () => {
    runDir = await makeRunDir('cachelab-grace');
    [postgres, redis] = await Promise.all([startPostgres({ runDir }), startRedis({ runDir })]);
    await applySchema(postgres.url);
    await seedUsers(postgres.url, 10);
    const start = (name: string, graceMs: number) =>
      startAppServer({
        runDir,
        name,
        env: {
          DATABASE_URL: postgres.url,
          CACHE_MODE: 'global',
          REDIS_URL: redis.url,
          CONSISTENCY: 'delete',
          CACHE_TTL_MS: String(TTL_MS),
          CACHE_TTL_JITTER: '0',
          GRACE_MS: String(graceMs),
          DB_CONNECT_TIMEOUT_MS: '500',
          LOG_LEVEL: 'warn',
        },
      });
    [apps.on, apps.onOther, apps.off, apps.short] = await Promise.all([
      start('grace-on', 60_000),
      start('grace-on-2', 60_000),
      start('grace-off', 0),
      start('grace-short', 400),
    ]);
  });
  afterAll(async () => {
    await Promise.allSettled(Object.values(apps).map((app) => app?.stop()));
    await Promise.allSettled([redis?.stop(), postgres?.stop()]);
    await removeRunDir(runDir);
  });

  const url = (app: AppServerHandle | undefined) => app?.url ?? 'http://127.0.0.1:1';

  it('serves the last known value as STALE with Age within grace, and the JSON 503 otherwise', async () => {
    const loadedAt = Date.now();
    for (const [app, id] of [
      [apps.on, 1],
      [apps.off, 2],
      [apps.short, 3],
    ] as const) {
      expect((await call(url(app), `/profiles/${id}`)).headers.get('x-cache')).toBe('MISS');
    }
    await until('the entries expired in Redis', async () => {
      const counts = await Promise.all(
        [1, 2, 3].map((id) => redisCommand(redis.port, ['EXISTS', `profile:${id}`])),
      );
      return counts.every((count) => Number(count) === 0);
    });
    await until(
      'grace-short is past TTL + grace',
      () => Date.now() - loadedAt > TTL_MS + 400 + 100,
    );
    await postgres.stop();

    const stale = await call(url(apps.on), '/profiles/1');
    expect(stale.status).toBe(200);
    expect(stale.headers.get('x-cache')).toBe('STALE');
    expect(Number(stale.headers.get('age'))).toBeGreaterThanOrEqual(0);
    expect(stale.headers.get('x-profile-version')).toBe('1');

    // Another server has no local copy: the grace copy beside the entry in Redis answers.
    const fromRedis = await call(url(apps.onOther), '/profiles/1');
    expect(fromRedis.headers.get('x-cache')).toBe('STALE');

    for (const [app, path] of [
      [apps.off, '/profiles/2'],
      [apps.short, '/profiles/3'],
      [apps.on, '/profiles/4'],
    ] as const) {
      const failed = await call(url(app), path);
      expect(failed.status).toBe(503);
      expect(failed.headers.get('content-type')).toContain('application/json');
      expect(errorOf(failed).code).toBe('DATABASE_UNAVAILABLE');
    }
  });
});

interface Exit {
  code: number | null;
  stderr: string;
}

function run(entry: string, env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', entry],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
}

describe('consistency settings refused at start-up', () => {
  it.each([
    [APP_ENTRY, { CONSISTENCY: 'eventually' }],
    [APP_ENTRY, { CONSISTENCY: 'lease', CACHE_MODE: 'local' }],
    [APP_ENTRY, { CONSISTENCY: 'outbox', CACHE_MODE: 'global', TOMBSTONE_TTL_MS: '1000' }],
    [INVALIDATOR_ENTRY, { CONSISTENCY: 'delete', CACHE_MODE: 'global' }],
    [INVALIDATOR_ENTRY, { CONSISTENCY: 'sometimes', CACHE_MODE: 'global' }],
  ])('%s with %j exits 1 naming CONSISTENCY or its bound', async (entry, env) => {
    const exit = await run(entry, env);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/CONSISTENCY|TOMBSTONE_TTL_MS/);
    expect(exit.stderr.trim().split('\n')).toHaveLength(1);
  });
});
