import type { LabEndpoints } from '../../run/driver/types.ts';
import { type AppCounters, scrapeApp, subtractAppCounters } from './app-metrics.ts';
import {
  openPostgresScraper,
  type PostgresCounters,
  type PostgresScraper,
  subtractPostgresCounters,
} from './postgres-stats.ts';
import {
  openRedisScraper,
  type RedisNodeCounters,
  type RedisScraper,
  subtractRedisCounters,
} from './redis-info.ts';

/** Where the server-side figures of a running topology are read: what its driver says. */
export type ScrapeTargets = LabEndpoints;

/** Every server-side counter at one moment (cumulative). */
export interface ServerSnapshot {
  /** performance.now() when the scrape started. */
  at: number;
  apps: AppCounters[];
  redis: RedisNodeCounters[];
  postgres: PostgresCounters;
}

/** What the servers did between two snapshots. */
export interface ServerDelta {
  seconds: number;
  apps: AppCounters[];
  redis: RedisNodeCounters[];
  postgres: PostgresCounters;
}

/** Open connections to every server of a topology, for the scrapes around one measured window. */
export interface ScrapeSession {
  /** Reads every app, Redis node and Postgres in parallel; a ScrapeError if any source fails. */
  scrape(): Promise<ServerSnapshot>;
  close(): Promise<void>;
}

/** Opens every connection, or closes the ones that opened and rethrows the first failure. */
async function connectAll(targets: ScrapeTargets) {
  const [pgResult, ...redisResults] = await Promise.allSettled([
    openPostgresScraper(targets.postgresUrl),
    ...targets.redis.map((r) => openRedisScraper(r.node, r.host, r.port, r.password)),
  ]);
  const redis = redisResults.flatMap((r) =>
    r.status === 'fulfilled' ? [r.value as RedisScraper] : [],
  );
  const failure = [pgResult, ...redisResults].find((r) => r?.status === 'rejected');
  if (pgResult?.status === 'fulfilled' && !failure) {
    return { postgres: pgResult.value as PostgresScraper, redis };
  }
  for (const r of redis) r.close();
  if (pgResult?.status === 'fulfilled') await (pgResult.value as PostgresScraper).close();
  throw failure?.status === 'rejected' ? failure.reason : new Error('no Postgres scraper');
}

/** Connects to every Redis node and Postgres of `targets` (apps are read over HTTP keep-alive). */
export async function openScrapeSession(targets: ScrapeTargets): Promise<ScrapeSession> {
  const { postgres, redis } = await connectAll(targets);
  return {
    async scrape() {
      const at = performance.now();
      const [apps, nodes, pg] = await Promise.all([
        Promise.all(targets.apps.map((a) => scrapeApp(a.server, a.url))),
        Promise.all(redis.map((r) => r.read())),
        postgres.read(),
      ]);
      return { at, apps, redis: nodes, postgres: pg };
    },
    async close() {
      for (const r of redis) r.close();
      await postgres.close();
    },
  };
}

function pairBy<T, K extends keyof T>(after: T[], before: T[], key: K): [T, T][] {
  return after.flatMap((a) => {
    const b = before.find((x) => x[key] === a[key]);
    return b ? [[a, b] as [T, T]] : [];
  });
}

/** The difference of two snapshots of the same topology (servers matched by label). */
export function subtractSnapshots(after: ServerSnapshot, before: ServerSnapshot): ServerDelta {
  return {
    seconds: (after.at - before.at) / 1000,
    apps: pairBy(after.apps, before.apps, 'server').map(([a, b]) => subtractAppCounters(a, b)),
    redis: pairBy(after.redis, before.redis, 'node').map(([a, b]) => subtractRedisCounters(a, b)),
    postgres: subtractPostgresCounters(after.postgres, before.postgres),
  };
}

function clampValue(value: unknown, path: string, paths: string[]): unknown {
  if (typeof value === 'number') {
    if (value >= 0 || Number.isNaN(value)) return value;
    paths.push(path);
    return 0;
  }
  if (Array.isArray(value)) return value.map((v, i) => clampValue(v, `${path}[${i}]`, paths));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [
      k,
      clampValue(v, `${path}.${k}`, paths),
    ]);
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * A delta with every negative counter set to 0, and where that happened: a counter only goes
 * backwards when its server restarted inside the window, which the caller reports as a warning.
 */
export function clampNegatives(delta: ServerDelta): { delta: ServerDelta; paths: string[] } {
  const paths: string[] = [];
  const clamped = clampValue(delta, 'delta', paths) as ServerDelta;
  return { delta: clamped, paths };
}
