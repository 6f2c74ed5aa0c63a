// Turns k6's handleSummary data into the shared RunResult. No k6 or Node imports: unit-tested in Node.
import { assembleRunResult, type RunMeasurements, type RunSettings } from '../result-assembly.ts';
import {
  CACHE_RESULT_LABELS,
  type CacheResultLabel,
  ERROR_CLASSES,
  type ErrorClass,
  emptyLatency,
  type LatencySummary,
  type RequestCounts,
  type RunResult,
} from '../result-types.ts';
import { type K6Config, MEASURE_SCENARIO } from './k6-config.ts';

/** One metric of k6's summary data: values keyed by stat (count, rate, avg, p(95), …). */
export interface K6MetricSummary {
  type: string;
  values: Record<string, number | undefined>;
}

/** The part of k6's handleSummary argument this module reads. */
export interface K6SummaryData {
  metrics: Record<string, K6MetricSummary | undefined>;
  setup_data?: unknown;
}

const slug = (s: string): string => s.toLowerCase().replace(/-/g, '_');

/** Names of the custom metrics profile-load.ts records (measured window only). */
export const K6_METRICS = {
  reads: 'reads',
  writes: 'writes',
  responses: 'responses',
  versionedReads: 'versioned_reads',
  staleReads: 'stale_reads',
  staleWindow: 'stale_window_ms',
  latencyRead: 'latency_read',
  latencyWrite: 'latency_write',
  servedByOther: 'served_by_other',
  cacheCount: (label: CacheResultLabel): string => `xcache_${slug(label)}`,
  cacheLatency: (label: CacheResultLabel): string => `latency_${slug(label)}`,
  error: (cls: ErrorClass): string => `errors_${cls}`,
  servedBy: (index: number): string => `served_by_${index}`,
} as const;

/** The duration trend of the measured scenario (a submetric kept in the summary by its thresholds). */
export const MEASURED_DURATION = `http_req_duration{scenario:${MEASURE_SCENARIO}}`;
/** Dropped iterations of the measured scenario. */
export const MEASURED_DROPPED = `dropped_iterations{scenario:${MEASURE_SCENARIO}}`;

function counter(data: K6SummaryData, name: string): number {
  return data.metrics[name]?.values.count ?? 0;
}

function trend(data: K6SummaryData, name: string): LatencySummary | undefined {
  const v = data.metrics[name]?.values;
  // 'count' is in summaryTrendStats; without it a trend with a max still has samples.
  if (!v || v.count === 0 || (v.count === undefined && v.max === undefined)) return undefined;
  return {
    count: v.count ?? 0,
    mean: v.avg ?? 0,
    p50: v['p(50)'] ?? v.med ?? 0,
    p90: v['p(90)'] ?? 0,
    p95: v['p(95)'] ?? 0,
    p99: v['p(99)'] ?? 0,
    p999: v['p(99.9)'] ?? 0,
    max: v.max ?? 0,
  };
}

function byCache(data: K6SummaryData) {
  const counts: Partial<Record<CacheResultLabel, number>> = {};
  const latency: Partial<Record<CacheResultLabel, LatencySummary>> = {};
  for (const label of CACHE_RESULT_LABELS) {
    const n = counter(data, K6_METRICS.cacheCount(label));
    if (n > 0) counts[label] = n;
    const l = trend(data, K6_METRICS.cacheLatency(label));
    if (l) latency[label] = l;
  }
  return { counts, latency };
}

function servedBy(data: K6SummaryData, serverIds: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  serverIds.forEach((id, i) => {
    const n = counter(data, K6_METRICS.servedBy(i));
    if (n > 0) out[id] = n;
  });
  const other = counter(data, K6_METRICS.servedByOther);
  if (other > 0) out.other = other;
  return out;
}

function latencyByOp(data: K6SummaryData): RunResult['latencyMsByOp'] {
  const read = trend(data, K6_METRICS.latencyRead);
  const write = trend(data, K6_METRICS.latencyWrite);
  return { ...(read ? { read } : {}), ...(write ? { write } : {}) };
}

function settingsOf(data: K6SummaryData, c: K6Config): RunSettings {
  const setup = data.setup_data as { startedAt?: unknown } | undefined;
  return {
    generator: 'k6',
    topology: c.topology,
    workload: c.workload,
    startedAt: typeof setup?.startedAt === 'string' ? setup.startedAt : new Date().toISOString(),
    durationSec: c.durationSec,
    warmupSec: c.warmupSec,
    keyCount: c.keyCount,
    seed: c.seed,
    offeredRps: c.rate,
    maxInFlight: c.maxVUs,
    timeoutMs: c.timeoutMs,
  };
}

function requestsOf(data: K6SummaryData): RequestCounts {
  const reads = counter(data, K6_METRICS.reads);
  const writes = counter(data, K6_METRICS.writes);
  const dropped = counter(data, MEASURED_DROPPED);
  const completed = counter(data, K6_METRICS.responses);
  return {
    scheduled: reads + writes + dropped,
    sent: reads + writes,
    dropped,
    completed,
    reads,
    writes,
  };
}

function measurementsOf(data: K6SummaryData, c: K6Config): RunMeasurements {
  const requests = requestsOf(data);
  const cache = byCache(data);
  const versioned = counter(data, K6_METRICS.versionedReads);
  const staleReads = counter(data, K6_METRICS.staleReads);
  return {
    requests,
    achievedRps: requests.sent / c.durationSec,
    // k6 does not expose how late its executor started iterations.
    schedulingLagMs: null,
    errors: errorsOf(data),
    // VUs share no memory and k6 summaries hold numbers only: no messages to report.
    errorSamples: {},
    latencyMs: trend(data, MEASURED_DURATION) ?? emptyLatency(),
    latencyMsByCacheResult: cache.latency,
    latencyMsByOp: latencyByOp(data),
    cacheResults: cache.counts,
    servedBy: servedBy(data, c.serverIds),
    staleReads,
    staleReadRate: versioned === 0 ? 0 : staleReads / versioned,
    maxStaleWindowMs: trend(data, K6_METRICS.staleWindow)?.max ?? 0,
  };
}

function errorsOf(data: K6SummaryData): Record<ErrorClass, number> {
  const errors = { timeout: 0, connection: 0, http4xx: 0, http5xx: 0, other: 0 };
  for (const e of ERROR_CLASSES) errors[e] = counter(data, K6_METRICS.error(e));
  return errors;
}

/** Builds the RunResult (generator 'k6') of a finished k6 run. */
export function toRunResult(data: K6SummaryData, c: K6Config): RunResult {
  return assembleRunResult(settingsOf(data, c), measurementsOf(data, c));
}
