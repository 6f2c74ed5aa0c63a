import { Toxiproxy, type Proxy as ToxiproxyProxy } from 'toxiproxy-node-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppServerHandle } from '../lab/run/processes/app-server.ts';
import { type FaultProxyHandle, startFaultProxyProcess } from '../lab/run/processes/fault-proxy.ts';
import {
  type Backends,
  call,
  errorOf,
  pollUntil,
  readProfile,
  startBackends,
} from './app-support.ts';
import { portOf } from './fault-proxy-support.ts';

// Faults injected between a real app server and its real Redis and Postgres, as ioredis and pg see
// them: the command timeout and the Postgres fallback must hold, and nothing may hang.

/** Bound on one request while a backend misbehaves: Redis command timeout 100 ms, query timeout 1.5 s. */
const BOUND_MS = 3_000;
const IDS = [21, 22, 23, 24];

let backends: Backends;
let faults: FaultProxyHandle;
let toxiproxy: Toxiproxy;
let redisProxy: ToxiproxyProxy;
let pgProxy: ToxiproxyProxy;
let globalApp: AppServerHandle;
let localApp: AppServerHandle;

beforeAll(async () => {
  backends = await startBackends({ prefix: 'cachelab-fault-proxy-app', redis: true });
  faults = await startFaultProxyProcess({ runDir: backends.runDir });
  toxiproxy = new Toxiproxy(faults.url);
  const redis = backends.redis as NonNullable<Backends['redis']>;
  redisProxy = await toxiproxy.createProxy({
    name: 'redis',
    listen: '127.0.0.1:0',
    upstream: redis.address,
  });
  pgProxy = await toxiproxy.createProxy({
    name: 'postgres',
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${backends.pg.port}`,
  });
  const databaseUrl = new URL(backends.pg.url);
  databaseUrl.port = String(portOf(pgProxy.listen));
  const env = {
    REDIS_URL: `redis://127.0.0.1:${portOf(redisProxy.listen)}`,
    DATABASE_URL: databaseUrl.toString(),
    DB_STATEMENT_TIMEOUT_MS: '500',
    DB_CONNECT_TIMEOUT_MS: '500',
  };
  [globalApp, localApp] = await Promise.all([
    backends.startApp('via-proxy-global', { ...env, CACHE_MODE: 'global' }),
    backends.startApp('via-proxy-local', { ...env, CACHE_MODE: 'local' }),
  ]);
});
afterAll(async () => {
  await faults?.stop();
  await backends?.stop();
});
afterEach(async () => {
  await toxiproxy.reset();
});

/** Reads each id once: every answer bounded in time, 200, and the right profile. */
async function readsStayCorrect(url: string): Promise<string[]> {
  const caches: string[] = [];
  for (const id of IDS) {
    const started = performance.now();
    const reply = await readProfile(url, id);
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    expect(reply.status).toBe(200);
    expect((JSON.parse(reply.text) as { id: number }).id).toBe(id);
    caches.push(reply.cache ?? '');
  }
  return caches;
}

/** Waits (bounded) until every id is served from Redis again, with the right body. */
async function cacheRecovers(url: string): Promise<void> {
  await pollUntil(
    'reads to be served from Redis again',
    async () =>
      (await readsStayCorrect(url)).every((cache) => cache === 'HIT-L2') ? true : undefined,
    { timeoutMs: 10_000, intervalMs: 100 },
  );
}

describe('app → Redis through the fault proxy (global)', () => {
  it('black hole (timeout 0 both ways): reads fall back to Postgres within the command timeout, then recover', async () => {
    await cacheRecovers(globalApp.url);
    await redisProxy.addToxic({
      name: 'hole-up',
      type: 'timeout',
      stream: 'upstream',
      attributes: { timeout: 0 },
    } as never);
    await redisProxy.addToxic({
      name: 'hole-down',
      type: 'timeout',
      stream: 'downstream',
      attributes: { timeout: 0 },
    } as never);
    const caches = await readsStayCorrect(globalApp.url);
    expect(caches.every((cache) => cache === 'BYPASS' || cache === 'MISS')).toBe(true);
    await toxiproxy.reset();
    await cacheRecovers(globalApp.url);
  });

  it('reset_peer: every Redis connection reset, reads still answered from Postgres, then recover', async () => {
    await cacheRecovers(globalApp.url);
    await redisProxy.addToxic({
      type: 'reset_peer',
      stream: 'upstream',
      attributes: { timeout: 0 },
    } as never);
    const caches = await readsStayCorrect(globalApp.url);
    expect(caches.some((cache) => cache !== 'HIT-L2')).toBe(true);
    await toxiproxy.reset();
    await cacheRecovers(globalApp.url);
  });

  it('link down: reads served from Postgres, /readyz names the cache; link up: the cache is used again', async () => {
    await cacheRecovers(globalApp.url);
    await redisProxy.update({
      enabled: false,
      listen: redisProxy.listen,
      upstream: redisProxy.upstream,
    });
    const caches = await readsStayCorrect(globalApp.url);
    expect(caches.every((cache) => cache === 'BYPASS' || cache === 'MISS')).toBe(true);
    const ready = await call(globalApp.url, '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toMatchObject({
      error: { details: { checks: { cache: 'fail' } } },
    });
    await toxiproxy.reset();
    await cacheRecovers(globalApp.url);
  });
});

describe('app → Postgres through the fault proxy (local)', () => {
  it('link down: cached profiles still served, uncached ones 503 within the bound; link up: 200 again', async () => {
    expect((await readProfile(localApp.url, 31)).status).toBe(200);
    await pgProxy.update({ enabled: false, listen: pgProxy.listen, upstream: pgProxy.upstream });
    const hit = await readProfile(localApp.url, 31);
    expect([hit.status, hit.cache]).toEqual([200, 'HIT-L1']);
    const started = performance.now();
    const miss = await readProfile(localApp.url, 32);
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    expect([miss.status, errorOf(miss).code]).toEqual([503, 'DATABASE_UNAVAILABLE']);
    await toxiproxy.reset();
    await pollUntil(
      'Postgres to answer through the proxy again',
      async () => ((await readProfile(localApp.url, 33)).status === 200 ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
  });

  it('black hole: an uncached read fails with 503 after the query timeout instead of hanging', async () => {
    expect((await readProfile(localApp.url, 34)).status).toBe(200);
    await pgProxy.addToxic({
      type: 'timeout',
      stream: 'upstream',
      attributes: { timeout: 0 },
    } as never);
    const started = performance.now();
    const miss = await readProfile(localApp.url, 35);
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    expect([miss.status, errorOf(miss).code]).toEqual([503, 'DATABASE_UNAVAILABLE']);
    await toxiproxy.reset();
    await pollUntil(
      'Postgres to answer through the proxy again',
      async () => ((await readProfile(localApp.url, 36)).status === 200 ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
  });
});
