import { fetchMetrics } from './fetch-metrics.ts';
import { type Sample, sumBy, sumSamples } from './prometheus-text.ts';

/** Counters of the outbox invalidator's /metrics (cumulative, except the gauges). */
export interface InvalidatorCounters {
  server: string;
  /** Outbox rows applied (deleted in Redis, published) and marked done. */
  applied: number;
  /** Failed batches, any stage (Redis or database): each one is retried. */
  failures: number;
  /** Keys invalidated again after a Redis error (a failover can lose a delete). */
  replayed: number;
  /** Gauge: outbox rows still pending when scraped. */
  pending: number;
  /** Gauge: age of the oldest pending row when scraped, seconds (0 when none). */
  lagSeconds: number;
  /** Commit-to-applied histogram: cumulative count per upper bound (`le`, `+Inf` included). */
  delayBuckets: Record<string, number>;
}

const DELAY = 'cachelab_invalidator_apply_delay_seconds';

/** Extracts the invalidator's counters from parsed /metrics samples. */
export function invalidatorCountersOf(
  server: string,
  samples: readonly Sample[],
): InvalidatorCounters {
  return {
    server,
    applied: sumSamples(samples, 'cachelab_invalidator_applied_total'),
    failures: sumSamples(samples, 'cachelab_invalidator_failures_total'),
    replayed: sumSamples(samples, 'cachelab_invalidator_replayed_total'),
    pending: sumSamples(samples, 'cachelab_invalidator_pending'),
    lagSeconds: sumSamples(samples, 'cachelab_invalidator_lag_seconds'),
    delayBuckets: sumBy(samples, `${DELAY}_bucket`, 'le'),
  };
}

/** What the invalidator did between two scrapes: counters subtracted, gauges as of `after`. */
export function subtractInvalidatorCounters(
  after: InvalidatorCounters,
  before: InvalidatorCounters,
): InvalidatorCounters {
  const buckets = Object.fromEntries(
    Object.entries(after.delayBuckets).map(([le, n]) => [le, n - (before.delayBuckets[le] ?? 0)]),
  );
  return {
    server: after.server,
    applied: after.applied - before.applied,
    failures: after.failures - before.failures,
    replayed: after.replayed - before.replayed,
    pending: after.pending,
    lagSeconds: after.lagSeconds,
    delayBuckets: buckets,
  };
}

/**
 * The upper bound of the histogram bucket holding quantile `q` of the apply delays (seconds): an
 * upper estimate, as precise as the buckets; Infinity when it lies beyond the last bound, null when
 * nothing was applied.
 */
export function delayQuantileUpperBound(buckets: Record<string, number>, q: number): number | null {
  const bounds = Object.entries(buckets)
    .map(([le, n]) => [le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), n] as const)
    .filter(([le]) => !Number.isNaN(le))
    .sort(([a], [b]) => a - b);
  const total = bounds.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const found = bounds.find(([, n]) => n >= q * total);
  return found ? found[0] : Number.POSITIVE_INFINITY;
}

/** GETs `<url>/metrics` of the invalidator and extracts its counters; ScrapeError on failure. */
export async function scrapeInvalidator(
  server: string,
  url: string,
  timeoutMs: number,
): Promise<InvalidatorCounters> {
  return invalidatorCountersOf(server, await fetchMetrics('invalidator', server, url, timeoutMs));
}
