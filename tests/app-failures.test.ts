import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServerHandle } from '../lab/run/processes/app-server.ts';
import {
  type Backends,
  call,
  errorOf,
  patchProfile,
  pollUntil,
  readProfile,
  startBackends,
} from './app-support.ts';

// Backend failures and shutdown, each on its own backends because each one breaks them.

/** Upper bound on one profile read while Redis is dead (command timeout 100 ms, plus the database). */
const READ_BOUND_MS = 2_000;

describe('Redis killed mid-test (global)', () => {
  let backends: Backends;
  let app: AppServerHandle;
  beforeAll(async () => {
    backends = await startBackends({ prefix: 'cachelab-app-redis-down', redis: true });
    app = await backends.startApp('redis-down', { CACHE_MODE: 'global' });
  });
  afterAll(() => backends?.stop());

  it('keeps serving profiles from Postgres, within a bounded time, and /readyz names the cache', async () => {
    expect((await readProfile(app.url, 5)).cache).toBe('MISS');
    expect((await readProfile(app.url, 5)).cache).toBe('HIT-L2');
    await backends.redis?.kill();
    for (const id of [5, 6, 5, 7]) {
      const started = performance.now();
      const reply = await readProfile(app.url, id);
      expect(performance.now() - started).toBeLessThan(READ_BOUND_MS);
      expect(reply.status).toBe(200);
      expect(['BYPASS', 'MISS']).toContain(reply.cache);
      expect((JSON.parse(reply.text) as { id: number }).id).toBe(id);
    }
    const ready = await call(app.url, '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toMatchObject({
      error: { code: 'NOT_READY', details: { checks: { database: 'ok', cache: 'fail' } } },
    });
  });

  it('writes still commit while Redis is down', async () => {
    const before = await readProfile(app.url, 9);
    const reply = await patchProfile(app.url, 9, { headline: 'written without a cache' });
    expect(reply.status).toBe(200);
    expect((await readProfile(app.url, 9)).version).toBe(before.version + 1);
  });
});

describe('Postgres stopped mid-test (local)', () => {
  let backends: Backends;
  let app: AppServerHandle;
  beforeAll(async () => {
    backends = await startBackends({ prefix: 'cachelab-app-pg-down', redis: false });
    app = await backends.startApp('pg-down', { CACHE_MODE: 'local' });
  });
  afterAll(() => backends?.stop());

  it('serves a cached profile and answers an uncached one with 503 JSON', async () => {
    const cached = await readProfile(app.url, 11);
    expect(cached.cache).toBe('MISS');
    await backends.pg.stop();
    const hit = await readProfile(app.url, 11);
    expect([hit.status, hit.cache]).toEqual([200, 'HIT-L1']);
    expect(hit.bytes.equals(cached.bytes)).toBe(true);
    const miss = await readProfile(app.url, 12);
    expect(miss.status).toBe(503);
    expect(errorOf(miss).code).toBe('DATABASE_UNAVAILABLE');
    expect(miss.text).not.toMatch(/stack|ECONNREFUSED|\n\s+at /);
    expect(miss.headers.get('x-served-by')).toBe('pg-down');
    const write = await patchProfile(app.url, 11, { headline: 'no database' });
    expect([write.status, errorOf(write).code]).toEqual([503, 'DATABASE_UNAVAILABLE']);
    const ready = await call(app.url, '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toMatchObject({
      error: { details: { checks: { database: 'fail', cache: 'ok' } } },
    });
  });
});

describe('SIGTERM with a request in flight', () => {
  let backends: Backends;
  let app: AppServerHandle;
  let locker: pg.Client;
  beforeAll(async () => {
    backends = await startBackends({ prefix: 'cachelab-app-drain', redis: false });
    app = await backends.startApp('drain', {
      CACHE_MODE: 'none',
      DB_STATEMENT_TIMEOUT_MS: '30000',
      LOG_LEVEL: 'info',
    });
    locker = new pg.Client({ connectionString: backends.pg.url });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.end();
    await backends?.stop();
  });

  it('stops accepting, completes the in-flight PATCH, then exits 0', async () => {
    await locker.query('BEGIN');
    await locker.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [15]);
    const inFlight = patchProfile(app.url, 15, { headline: 'drained' });
    await pollUntil('the PATCH to wait on the row lock', () => lockWaiters(locker), {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    process.kill(app.pid, 'SIGTERM');
    await pollUntil('the listener to close', () => refused(app.url), { timeoutMs: 5_000 });
    await locker.query('COMMIT');
    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toMatchObject({ id: 15 });
    await pollUntil('the process to exit', () => exited(app.pid), { timeoutMs: 10_000 });
    const log = await readFile(app.logPath, 'utf8');
    const stopped = log.split('\n').find((line) => line.includes('"msg":"stopped"'));
    expect(JSON.parse(stopped ?? '{}')).toMatchObject({ drained: true, exitCode: 0 });
  });
});

async function lockWaiters(client: pg.Client): Promise<true | undefined> {
  // Inside a transaction the activity view is a snapshot: clear it so each poll sees the present.
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query<{ n: string }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
  );
  return Number(rows[0]?.n) > 0 ? true : undefined;
}

async function refused(url: string): Promise<true | undefined> {
  try {
    await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
    return undefined;
  } catch {
    return true;
  }
}

async function exited(pid: number): Promise<true | undefined> {
  try {
    process.kill(pid, 0);
    return undefined;
  } catch {
    return true;
  }
}
