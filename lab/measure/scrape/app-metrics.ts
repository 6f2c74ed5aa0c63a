import { fetchMetrics } from './fetch-metrics.ts';
import { type Sample, sumBy, sumSamples } from './prometheus-text.ts';

/** Counters of one app server's /metrics (cumulative since it started, except the gauges). */
export interface AppCounters {
  server: string;
  /** Profile requests (GET + PATCH) the server answered, from the HTTP duration histogram. */
  profileRequests: number;
  /** Profile reads per X-Cache result. */
  profileReads: Record<string, number>;
  /** Cache operations keyed `tier:op:result`, e.g. `l1:get:hit`. */
  cacheOps: Record<string, number>;
  /** Database queries per query label (profile_aggregate, profile_update, ping), any result. */
  dbQueries: Record<string, number>;
  /** Seconds spent in database queries per query label. */
  dbSeconds: Record<string, number>;
  evictions: number;
  invalidationsSent: number;
  invalidationsReceived: number;
  cacheErrors: number;
  /** Gauge: entries in the local tier when scraped. */
  l1Entries: number;
  /** Gauge: bytes the local tier holds when scraped. */
  l1Bytes: number;
  /** Consistency mode events (lease_granted, fill_refused, invalidate_failed …). */
  consistencyEvents?: Record<string, number>;
  /** Reads that met a database failure, by grace result (served, expired, missing). */
  graceReads?: Record<string, number>;
  /** Staleness audit checks keyed `tier:result` (fresh, stale, healed, unversioned). */
  auditChecks?: Record<string, number>;
}

const HTTP = 'cachelab_http_request_duration_seconds';
const DB = 'cachelab_db_query_duration_seconds';
const PROFILE_ROUTES = ['profile_get', 'profile_patch'];

function cacheOpsOf(samples: readonly Sample[]): Record<string, number> {
  const ops: Record<string, number> = {};
  for (const s of samples) {
    if (s.name !== 'cachelab_cache_operations_total') continue;
    const key = `${s.labels.tier ?? '?'}:${s.labels.op ?? '?'}:${s.labels.result ?? '?'}`;
    ops[key] = (ops[key] ?? 0) + s.value;
  }
  return ops;
}

/** Extracts the lab's counters from parsed /metrics samples of server `server`. */
export function appCountersOf(server: string, samples: readonly Sample[]): AppCounters {
  const invalidations = sumBy(samples, 'cachelab_invalidations_total', 'direction');
  return {
    server,
    profileRequests: PROFILE_ROUTES.reduce(
      (sum, route) => sum + sumSamples(samples, `${HTTP}_count`, { route }),
      0,
    ),
    profileReads: sumBy(samples, 'cachelab_profile_reads_total', 'result'),
    cacheOps: cacheOpsOf(samples),
    dbQueries: sumBy(samples, `${DB}_count`, 'query'),
    dbSeconds: sumBy(samples, `${DB}_sum`, 'query'),
    evictions: sumSamples(samples, 'cachelab_cache_evictions_total'),
    invalidationsSent: invalidations.sent ?? 0,
    invalidationsReceived: invalidations.received ?? 0,
    cacheErrors: sumSamples(samples, 'cachelab_cache_errors_total'),
    l1Entries: sumSamples(samples, 'cachelab_l1_entries'),
    l1Bytes: sumSamples(samples, 'cachelab_l1_bytes'),
    consistencyEvents: sumBy(samples, 'cachelab_consistency_events_total', 'event'),
    graceReads: sumBy(samples, 'cachelab_grace_reads_total', 'result'),
    auditChecks: auditChecksOf(samples),
  };
}

function auditChecksOf(samples: readonly Sample[]): Record<string, number> {
  const checks: Record<string, number> = {};
  for (const s of samples) {
    if (s.name !== 'cachelab_audit_checks_total') continue;
    const key = `${s.labels.tier ?? '?'}:${s.labels.result ?? '?'}`;
    checks[key] = (checks[key] ?? 0) + s.value;
  }
  return checks;
}

function subtractRecord(
  after: Record<string, number>,
  before: Record<string, number>,
): Record<string, number> {
  const keys = new Set([...Object.keys(after), ...Object.keys(before)]);
  return Object.fromEntries([...keys].map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]));
}

/** What happened between two scrapes of one server: counters subtracted, gauges as of `after`. */
export function subtractAppCounters(after: AppCounters, before: AppCounters): AppCounters {
  return {
    server: after.server,
    profileRequests: after.profileRequests - before.profileRequests,
    profileReads: subtractRecord(after.profileReads, before.profileReads),
    cacheOps: subtractRecord(after.cacheOps, before.cacheOps),
    dbQueries: subtractRecord(after.dbQueries, before.dbQueries),
    dbSeconds: subtractRecord(after.dbSeconds, before.dbSeconds),
    evictions: after.evictions - before.evictions,
    invalidationsSent: after.invalidationsSent - before.invalidationsSent,
    invalidationsReceived: after.invalidationsReceived - before.invalidationsReceived,
    cacheErrors: after.cacheErrors - before.cacheErrors,
    l1Entries: after.l1Entries,
    l1Bytes: after.l1Bytes,
    consistencyEvents: subtractRecord(
      after.consistencyEvents ?? {},
      before.consistencyEvents ?? {},
    ),
    graceReads: subtractRecord(after.graceReads ?? {}, before.graceReads ?? {}),
    auditChecks: subtractRecord(after.auditChecks ?? {}, before.auditChecks ?? {}),
  };
}

/**
 * How long an app server's /metrics may take: under load on 2 shared cores a busy event loop answers
 * it in seconds, and a figure left out is worse than a slow one.
 */
export const DEFAULT_APP_SCRAPE_TIMEOUT_MS = 15_000;

/** GETs `<url>/metrics` of app server `server` and extracts its counters; ScrapeError on failure. */
export async function scrapeApp(
  server: string,
  url: string,
  timeoutMs = DEFAULT_APP_SCRAPE_TIMEOUT_MS,
): Promise<AppCounters> {
  return appCountersOf(server, await fetchMetrics('app', server, url, timeoutMs));
}
