import type { LabEndpoints } from '../../run/driver/driver-types.ts';
import {
  type AppCounters,
  DEFAULT_APP_SCRAPE_TIMEOUT_MS,
  scrapeApp,
  subtractAppCounters,
} from './app-metrics.ts';
import {
  type InvalidatorCounters,
  scrapeInvalidator,
  subtractInvalidatorCounters,
} from './invalidator-counters.ts';
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

/** An app server whose /metrics could not be read, and why. */
export interface MissingApp {
  server: string;
  reason: string;
}

/** Every server-side counter at one moment (cumulative). */
export interface ServerSnapshot {
  /** performance.now() when the scrape started. */
  at: number;
  apps: AppCounters[];
  /** App servers that did not answer /metrics (slow under load): left out, never guessed. */
  missingApps?: MissingApp[];
  /** The outbox invalidator, when the topology runs one (a failed read is in `missingInvalidators`). */
  invalidators?: InvalidatorCounters[];
  missingInvalidators?: MissingApp[];
  redis: RedisNodeCounters[];
  postgres: PostgresCounters;
}

/** What the servers did between two snapshots. */
export interface ServerDelta {
  seconds: number;
  /** App servers read at both ends of the window. */
  apps: AppCounters[];
  /** App servers left out because a scrape at either end failed; `apps` covers the others. */
  missingApps?: MissingApp[];
  /** The invalidator read at both ends of the window. */
  invalidators?: InvalidatorCounters[];
  /** An invalidator left out because a scrape at either end failed. */
  missingInvalidators?: MissingApp[];
  redis: RedisNodeCounters[];
  postgres: PostgresCounters;
}

/** Open connections to every server of a topology, for the scrapes around one measured window. */
export interface ScrapeSession {
  /**
   * Reads every app, Redis node and Postgres in parallel. An app that does not answer is listed in
   * `missingApps`; a ScrapeError if every app, a Redis node or Postgres fails.
   */
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

/** Options of openScrapeSession. */
export interface ScrapeSessionOptions {
  /** Per app server /metrics request; default DEFAULT_APP_SCRAPE_TIMEOUT_MS. */
  appTimeoutMs?: number;
}

/** Every app scraped; the ones that failed listed with their reason; a ScrapeError if none answered. */
export async function scrapeApps(
  apps: ScrapeTargets['apps'],
  read: (server: string, url: string) => Promise<AppCounters>,
): Promise<{ apps: AppCounters[]; missingApps: MissingApp[] }> {
  const settled = await Promise.allSettled(apps.map((a) => read(a.server, a.url)));
  const answered = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const missingApps = settled.flatMap((r, i) =>
    r.status === 'rejected' ? [{ server: apps[i]?.server ?? '?', reason: reasonOf(r.reason) }] : [],
  );
  const firstFailure = settled.find((r) => r.status === 'rejected');
  if (answered.length === 0 && firstFailure?.status === 'rejected') throw firstFailure.reason;
  return { apps: answered, missingApps };
}

/** Every invalidator scraped; a failed one is listed, never fatal (its figures are then absent). */
async function scrapeInvalidators(
  targets: readonly { server: string; url: string }[],
  timeoutMs: number,
): Promise<{ invalidators: InvalidatorCounters[]; missingInvalidators: MissingApp[] }> {
  const settled = await Promise.allSettled(
    targets.map((t) => scrapeInvalidator(t.server, t.url, timeoutMs)),
  );
  return {
    invalidators: settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    missingInvalidators: settled.flatMap((r, i) =>
      r.status === 'rejected'
        ? [{ server: targets[i]?.server ?? '?', reason: reasonOf(r.reason) }]
        : [],
    ),
  };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Connects to every Redis node and Postgres of `targets` (apps are read over HTTP keep-alive). */
export async function openScrapeSession(
  targets: ScrapeTargets,
  options: ScrapeSessionOptions = {},
): Promise<ScrapeSession> {
  const { postgres, redis } = await connectAll(targets);
  const timeoutMs = options.appTimeoutMs ?? DEFAULT_APP_SCRAPE_TIMEOUT_MS;
  return {
    async scrape() {
      const at = performance.now();
      const [apps, invalidators, nodes, pg] = await Promise.all([
        scrapeApps(targets.apps, (server, url) => scrapeApp(server, url, timeoutMs)),
        scrapeInvalidators(targets.invalidators ?? [], timeoutMs),
        Promise.all(redis.map((r) => r.read())),
        postgres.read(),
      ]);
      return { at, ...apps, ...invalidators, redis: nodes, postgres: pg };
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
  const missing = [
    ...(before.missingApps ?? []).map((m) => ({
      ...m,
      reason: `at the window's start: ${m.reason}`,
    })),
    ...(after.missingApps ?? []).map((m) => ({ ...m, reason: `at the window's end: ${m.reason}` })),
  ];
  const pairs = pairBy(after.apps, before.apps, 'server');
  const paired = new Set(pairs.map(([a]) => a.server));
  const unpaired = [...after.apps, ...before.apps]
    .filter((a) => !paired.has(a.server) && !missing.some((m) => m.server === a.server))
    .map((a) => ({ server: a.server, reason: 'read at one end of the window only' }));
  return {
    seconds: (after.at - before.at) / 1000,
    apps: pairs.map(([a, b]) => subtractAppCounters(a, b)),
    missingApps: [...missing, ...unpaired],
    invalidators: pairBy(after.invalidators ?? [], before.invalidators ?? [], 'server').map(
      ([a, b]) => subtractInvalidatorCounters(a, b),
    ),
    missingInvalidators: [
      ...(before.missingInvalidators ?? []),
      ...(after.missingInvalidators ?? []),
    ],
    redis: pairBy(after.redis, before.redis, 'node').map(([a, b]) => subtractRedisCounters(a, b)),
    postgres: subtractPostgresCounters(after.postgres, before.postgres),
  };
}

/** The warning that flags server-side figures computed without some app servers, and why. */
export function missingAppsWarning(delta: ServerDelta): string | undefined {
  const missing = delta.missingApps ?? [];
  if (missing.length === 0) return undefined;
  const servers = [...new Set(missing.map((m) => m.server))];
  const total = servers.length + delta.apps.length;
  const why = missing.map((m) => `${m.server} ${m.reason}`).join('; ');
  return (
    `app figures cover ${delta.apps.length} of ${total} servers (${servers.join(', ')} left out: ` +
    `/metrics did not answer; per-request server figures are over the others' requests): ${why}`
  );
}

/** The warning that flags an invalidator whose figures are absent, and why. */
export function missingInvalidatorWarning(delta: ServerDelta): string | undefined {
  const missing = delta.missingInvalidators ?? [];
  if (missing.length === 0) return undefined;
  const why = missing.map((m) => `${m.server}: ${m.reason}`).join('; ');
  return `the invalidator's lag and retry figures are absent (its /metrics did not answer): ${why}`;
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
