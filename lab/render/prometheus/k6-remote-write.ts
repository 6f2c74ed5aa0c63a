/** Trend stats k6 sends as gauges (k6_<trend>_p95…); the k6 dashboard reads exactly these. */
export const K6_TREND_STATS = ['p(50)', 'p(95)', 'p(99)', 'max'] as const;

/** One trend stat k6 sends. */
export type K6TrendStat = (typeof K6_TREND_STATS)[number];

/** The Prometheus name of a k6 counter: `k6_<name>_total`. */
export function k6CounterName(metric: string): string {
  return `k6_${metric}_total`;
}

/** The Prometheus name of one stat of a k6 trend: `p(95)` → `k6_<name>_p95` (time values in seconds). */
export function k6TrendName(metric: string, stat: K6TrendStat): string {
  return `k6_${metric}_${stat.replace(/[()]/g, '')}`;
}

/**
 * Environment for `k6 run -o experimental-prometheus-rw` against the lab's Prometheus. profile-load.ts
 * tags every series with topology and testid (TOPOLOGY, TESTID).
 */
export function k6RemoteWriteEnv(prometheusUrl: string): Record<string, string> {
  return {
    K6_PROMETHEUS_RW_SERVER_URL: `${prometheusUrl.replace(/\/+$/, '')}/api/v1/write`,
    K6_PROMETHEUS_RW_TREND_STATS: K6_TREND_STATS.join(','),
    K6_PROMETHEUS_RW_PUSH_INTERVAL: '2s',
    K6_PROMETHEUS_RW_STALE_MARKERS: 'true',
  };
}
