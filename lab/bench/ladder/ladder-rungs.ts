import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import {
  type CacheObserver,
  type CacheStrategy,
  silentObserver,
} from '../../../services/app/src/cache/cache-types.ts';
import { createCache } from '../../../services/app/src/cache/create-cache.ts';
import { loadConfig } from '../../../services/app/src/config.ts';
import type { Logger } from '../../../services/app/src/logger.ts';
import type { AppMetrics } from '../../../services/app/src/metrics.ts';
import type { BenchEnv } from '../bench-env.ts';
import {
  type LatencySummary,
  type SampleCount,
  sampleAsync,
  sampleInterleaved,
  sampleSyncBatched,
} from './sampler.ts';

/** The rule-of-thumb figure a rung is compared with, and where that figure comes from. */
export interface Quote {
  ms: number;
  source: string;
}

/** Rules of thumb usually quoted for each level of the ladder. */
export const QUOTES = {
  ram: {
    ms: 10e-6,
    source:
      'popular "RAM ~10 ns" rule of thumb (Dean/Norvig "latency numbers every programmer should know" say 100 ns per main-memory reference)',
  },
  disk: {
    ms: 0.1,
    source:
      'popular "disk (SSD) read ~100 µs" (Dean/Norvig: 4 KB random SSD read ~150 µs; measured SSDs 16–150 µs)',
  },
  network: {
    ms: 1,
    source: 'popular "network cache ~1 ms" (Dean/Norvig: round trip within one datacenter 0.5 ms)',
  },
  database: {
    ms: 10,
    source:
      'popular "a database query ~10 ms" (the disk-seek figure of the Dean/Norvig table, 10 ms)',
  },
} as const satisfies Record<string, Quote>;

/** The two rungs of the Redis goal (cache layer ≤ 1.2× raw ioredis). */
export const REDIS_LAYER = 'Redis GET (single) via cache layer';
/** See REDIS_LAYER. */
export const REDIS_RAW = 'Redis GET (single) raw ioredis';

/** One measured rung before the ratio is computed. */
export interface Rung extends LatencySummary {
  name: string;
  quote: Quote;
}

/** What every rung measurement gets: the services, the value, the sample counts, the app's metrics. */
export interface RungContext {
  env: BenchEnv;
  profile: Buffer;
  count: SampleCount;
  metrics: AppMetrics;
  logger: Logger;
}

/** Distinct keys stored before measuring; gets cycle over them. */
const KEYS = Array.from({ length: 1_000 }, (_, i) => `profile:${i + 1}`);
const TTL_MS = 600_000;

function cycler(): () => string {
  let index = 0;
  return () => KEYS[index++ % KEYS.length] as string;
}

async function withCache<T>(
  ctx: RungContext,
  env: Record<string, string>,
  use: (cache: CacheStrategy) => Promise<T>,
  observer: CacheObserver = ctx.metrics.observer,
): Promise<T> {
  // A loose command timeout: on a shared box one slow reply must not abort the run (the value only
  // sets the timer ioredis arms per command, so the cost measured is the same as the app's 100 ms).
  const config = loadConfig({ REDIS_COMMAND_TIMEOUT_MS: '2000', ...env });
  const cache = await createCache(config, { observer, logger: ctx.logger });
  try {
    for (const key of KEYS) await cache.set(key, ctx.profile, TTL_MS);
    return await use(cache);
  } finally {
    await cache.close();
  }
}

/**
 * L1 RAM hit through the `local` strategy, with the app's metrics observer and without it (the
 * difference is what metrics cost per get), and a raw lru-cache get beside them.
 */
export async function ramRungs(ctx: RungContext): Promise<Rung[]> {
  const next = cycler();
  const local = { CACHE_MODE: 'local' };
  const get = (cache: CacheStrategy) => sampleAsync(() => cache.get(next()), ctx.count);
  const metered = await withCache(ctx, local, get);
  const silent = await withCache(ctx, local, get, silentObserver);
  const lru = new LRUCache<string, Buffer>({ max: 10_000 });
  for (const key of KEYS) lru.set(key, ctx.profile);
  const raw = sampleSyncBatched(() => lru.get(next()), { ...ctx.count, batch: 100 });
  return [
    { name: 'L1 RAM hit (local strategy get)', quote: QUOTES.ram, ...metered },
    { name: 'L1 RAM hit (local strategy get, metrics off)', quote: QUOTES.ram, ...silent },
    { name: 'lru-cache get (raw, sync, mean of 100)', quote: QUOTES.ram, ...raw },
  ];
}

/** Disk hit through the `local-disk` strategy (LMDB; warm, so served from the page cache). */
export async function diskRungs(ctx: RungContext): Promise<Rung[]> {
  const next = cycler();
  const env = { CACHE_MODE: 'local-disk', DISK_CACHE_PATH: join(ctx.env.runDir, 'ladder-disk') };
  const summary = await withCache(ctx, env, (cache) =>
    sampleAsync(() => cache.get(next()), ctx.count),
  );
  return [{ name: 'disk hit (local-disk strategy get)', quote: QUOTES.disk, ...summary }];
}

/**
 * Redis GET through the `global` strategy (app metrics on, and off), raw ioredis GET, and raw
 * ioredis with a commandTimeout (the strategy's client arms that timer per command), taking turns.
 */
export async function redisRungs(ctx: RungContext): Promise<Rung[]> {
  const redis = await ctx.env.redis();
  const env = { CACHE_MODE: 'global', REDIS_URL: redis.url };
  const raw = new Redis({ host: redis.host, port: redis.port });
  const timed = new Redis({ host: redis.host, port: redis.port, commandTimeout: 2_000 });
  try {
    const result = await withCache(ctx, env, (metered) =>
      withCache(
        ctx,
        env,
        (silent) => sampleInterleaved(redisOps({ metered, silent, raw, timed }), ctx.count),
        silentObserver,
      ),
    );
    const row = (name: string, summary: LatencySummary) => ({
      name,
      quote: QUOTES.network,
      ...summary,
    });
    return [
      row(REDIS_LAYER, result.layer),
      row('Redis GET (single) via cache layer, metrics off', result.quiet),
      row(REDIS_RAW, result.raw),
      row('Redis GET (single) raw ioredis, commandTimeout', result.timed),
    ];
  } finally {
    raw.disconnect();
    timed.disconnect();
  }
}

/** One GET per client, each cycling over the keys on its own. */
function redisOps(clients: {
  metered: CacheStrategy;
  silent: CacheStrategy;
  raw: Redis;
  timed: Redis;
}) {
  const [layer, quiet, direct, withTimeout] = [cycler(), cycler(), cycler(), cycler()];
  return {
    layer: () => clients.metered.get(layer()),
    quiet: () => clients.silent.get(quiet()),
    raw: () => clients.raw.getBuffer(direct()),
    timed: () => clients.timed.getBuffer(withTimeout()),
  };
}

/** Redis Cluster GET through the `global-cluster` strategy and a raw ioredis Cluster GET. */
export async function clusterRungs(ctx: RungContext): Promise<Rung[]> {
  const cluster = await ctx.env.cluster();
  const raw = new Cluster(cluster.seeds.map(hostPort));
  try {
    const [layer, direct] = [cycler(), cycler()];
    const env = { CACHE_MODE: 'global-cluster', REDIS_NODES: cluster.seeds.join(',') };
    const result = await withCache(ctx, env, (cache) =>
      sampleInterleaved(
        { layer: () => cache.get(layer()), raw: () => raw.getBuffer(direct()) },
        ctx.count,
      ),
    );
    return [
      { name: 'Redis GET (cluster) via cache layer', quote: QUOTES.network, ...result.layer },
      { name: 'Redis GET (cluster) raw ioredis', quote: QUOTES.network, ...result.raw },
    ];
  } finally {
    raw.disconnect();
  }
}

function hostPort(address: string): { host: string; port: number } {
  const [host, port] = address.split(':');
  return { host: host ?? '127.0.0.1', port: Number(port) };
}

/** The cost of the clock read and one await, which every async sample above includes. */
export async function timerFloor(count: SampleCount): Promise<LatencySummary> {
  return sampleAsync(async () => undefined, count);
}
