// The RunResult contract. No imports: the Node runner, k6 (goja) and the reports all load it.

/** The X-Cache values the API sends; NONE = no header (errors), OTHER = anything unexpected. */
export const CACHE_RESULT_LABELS = [
  'HIT-L1',
  'HIT-L2',
  'MISS',
  'BYPASS',
  'STALE',
  'NONE',
  'OTHER',
] as const;

/** One X-Cache bucket. */
export type CacheResultLabel = (typeof CACHE_RESULT_LABELS)[number];

/** Error classes a request can end in. */
export const ERROR_CLASSES = ['timeout', 'connection', 'http4xx', 'http5xx', 'other'] as const;

/** One error class. */
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** Latency percentiles of one population of requests, in milliseconds. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

/** Request counts of the measured window (warm-up excluded). */
export interface RequestCounts {
  /** Starts the schedule asked for: offered rate × duration. */
  scheduled: number;
  /** Requests actually started. */
  sent: number;
  /** Scheduled starts skipped because the in-flight cap (k6: maxVUs) was reached. */
  dropped: number;
  /** Requests that got an HTTP response, whatever its status. */
  completed: number;
  reads: number;
  writes: number;
  /**
   * Requests sent a second time, on a fresh connection, because the server closed their reused
   * keep-alive connection before any response byte: reads, and writes, which carry a fresh
   * Idempotency-Key so the server applies them once (Node runner only; k6's Go client does the same
   * without counting it). Each is still one request in every other count, timed from its first start.
   */
  retried?: number;
}

/**
 * The outcome of one load run, written by the Node runner and by k6's handleSummary alike.
 * Latency is measured from each request's scheduled start (no coordinated omission) and covers
 * requests that got a response or timed out; connection failures are counted, not timed.
 */
export interface RunResult {
  schemaVersion: 1;
  generator: 'node' | 'k6';
  topology: string;
  workload: string;
  /** ISO-8601 time the run (warm-up included) started. */
  startedAt: string;
  /** Length of the measured window. */
  durationSec: number;
  warmupSec: number;
  keyCount: number;
  seed: number;
  offeredRps: number;
  /** Requests started per second over the measured window (what the generator managed). */
  achievedRps: number;
  /** Responses per second over the measured window (what the system under test managed). */
  throughputRps: number;
  /** False when the generator could not keep up; invalidReasons says why. */
  valid: boolean;
  invalidReasons: string[];
  requests: RequestCounts;
  errors: Record<ErrorClass, number>;
  /** The first message seen per error class (e.g. 'HTTP 503', 'connect ECONNREFUSED …'), to diagnose. */
  errorSamples: Partial<Record<ErrorClass, string>>;
  latencyMs: LatencySummary;
  /** Read latency per X-Cache value (writes carry no cache result). */
  latencyMsByCacheResult: Partial<Record<CacheResultLabel, LatencySummary>>;
  latencyMsByOp: { read?: LatencySummary; write?: LatencySummary };
  /** Reads per X-Cache value. */
  cacheResults: Partial<Record<CacheResultLabel, number>>;
  /** Responses per X-Served-By server id. */
  servedBy: Record<string, number>;
  /**
   * Silent stale reads: reads started after a write was acknowledged that returned an older version
   * as if fresh (grace answers, X-Cache: STALE, are counted in graceStaleReads instead).
   */
  staleReads: number;
  /** Grace answers (X-Cache: STALE, stale-if-error) older than an acknowledged write (Node runner). */
  graceStaleReads?: number;
  /** staleReads / reads that returned a version. */
  staleReadRate: number;
  /** Longest time from a write's acknowledgement to the start of the last read that missed it. */
  maxStaleWindowMs: number;
  /** How late requests started against their schedule (null when the generator cannot tell). */
  schedulingLagMs: { p50: number; p99: number; max: number } | null;
  /** The generator's own CPU over the measured window (Node runner only; k6 does not expose it). */
  generatorCpu?: GeneratorCpu;
  /** In-flight cap (k6: maxVUs). */
  maxInFlight: number;
  timeoutMs: number;
}

/** What the load generator itself spent during the measured window. */
export interface GeneratorCpu {
  /** Threads (event loops) the schedule was spread over. */
  workers: number;
  /** CPU time, user + system, of the generator's process. */
  cpuMs: number;
  /** cpuMs per request sent, in µs. */
  cpuUsPerRequest: number;
  /** cpuMs / wall time of the window: how many cores it kept busy. */
  coresUsed: number;
  /** Busiest event loop's utilization over the window (0..1); near 1 it could not keep up. */
  maxEventLoopUtilization: number;
}

/** An empty latency summary (no samples). */
export function emptyLatency(): LatencySummary {
  return { count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
}
