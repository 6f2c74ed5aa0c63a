import { build, type Histogram } from 'hdr-histogram-js';
import {
  CACHE_RESULT_LABELS,
  type CacheResultLabel,
  type ErrorClass,
  emptyLatency,
  type LatencySummary,
  type RequestCounts,
} from '../result-types.ts';

/** Distinct X-Served-By values kept by name; more than this many are folded into 'other'. */
export const MAX_SERVER_IDS = 64;

/** A histogram of microseconds, three significant digits, growing as needed. */
export function microsecondHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

/** Percentiles (ms) of a microsecond histogram. */
export function summarizeMicros(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return emptyLatency();
  const at = (p: number): number => h.getValueAtPercentile(p) / 1000;
  return {
    count: h.totalCount,
    mean: h.mean / 1000,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max: h.maxValue / 1000,
  };
}

/** Each label by its own text: a lookup returns the one interned string, cheap to use as a key. */
const KNOWN_CACHE_LABELS: ReadonlyMap<string, CacheResultLabel> = new Map(
  CACHE_RESULT_LABELS.map((label) => [label, label]),
);

/** Maps an X-Cache header value onto a bounded label. */
export function cacheLabelOf(header: string | undefined): CacheResultLabel {
  if (header === undefined || header === '') return 'NONE';
  return KNOWN_CACHE_LABELS.get(header) ?? 'OTHER';
}

/** What one completed HTTP exchange contributes to the statistics. */
export interface ResponseSample {
  op: 'read' | 'write';
  cache: CacheResultLabel;
  servedBy: string | undefined;
  status: number;
  latencyUs: number;
}

/** Counters and histograms of the measured window. */
export class RunStats {
  readonly latency = microsecondHistogram();
  readonly lag = microsecondHistogram();
  readonly byCache = new Map<CacheResultLabel, Histogram>();
  readonly byOp = { read: microsecondHistogram(), write: microsecondHistogram() };
  readonly cacheResults: Partial<Record<CacheResultLabel, number>> = {};
  readonly servedBy: Record<string, number> = {};
  private readonly serverKeys: string[] = [];
  readonly errors: Record<ErrorClass, number> = {
    timeout: 0,
    connection: 0,
    http4xx: 0,
    http5xx: 0,
    other: 0,
  };
  readonly errorSamples: Partial<Record<ErrorClass, string>> = {};
  readonly requests: Required<RequestCounts> = {
    scheduled: 0,
    sent: 0,
    dropped: 0,
    completed: 0,
    reads: 0,
    writes: 0,
    retried: 0,
  };

  /** Counts one scheduled start, sent or dropped. */
  recordStart(op: 'read' | 'write', sent: boolean, lagUs: number): void {
    this.requests.scheduled++;
    this.lag.recordValue(Math.max(0, Math.round(lagUs)));
    if (!sent) {
      this.requests.dropped++;
      return;
    }
    this.requests.sent++;
    if (op === 'read') this.requests.reads++;
    else this.requests.writes++;
  }

  /** Counts a request that was sent a second time after its keep-alive connection was lost. */
  recordRetry(): void {
    this.requests.retried++;
  }

  /** Records an HTTP response of any status; X-Cache is tallied for reads only. */
  recordResponse(s: ResponseSample): void {
    const us = Math.max(1, Math.round(s.latencyUs));
    this.requests.completed++;
    this.latency.recordValue(us);
    this.byOp[s.op].recordValue(us);
    if (s.op === 'read') this.countCacheResult(s.cache, us);
    this.countServer(s.servedBy ?? 'unknown');
    if (s.status >= 400)
      this.countError(s.status >= 500 ? 'http5xx' : 'http4xx', `HTTP ${s.status}`);
  }

  /** Records a request that ended without a response; timeouts are also timed. */
  recordFailure(cls: ErrorClass, latencyUs: number, message: string): void {
    this.countError(cls, message);
    if (cls === 'timeout') this.latency.recordValue(Math.max(1, Math.round(latencyUs)));
  }

  /** Latency per X-Cache label, in ms. */
  latencyByCache(): Partial<Record<CacheResultLabel, LatencySummary>> {
    const out: Partial<Record<CacheResultLabel, LatencySummary>> = {};
    for (const label of CACHE_RESULT_LABELS) {
      const h = this.byCache.get(label);
      if (h) out[label] = summarizeMicros(h);
    }
    return out;
  }

  private countError(cls: ErrorClass, message: string): void {
    this.errors[cls]++;
    this.errorSamples[cls] ??= message;
  }

  /** The latency histogram of one X-Cache label, created on first use. */
  cacheHistogram(label: CacheResultLabel): Histogram {
    let h = this.byCache.get(label);
    if (!h) {
      h = microsecondHistogram();
      this.byCache.set(label, h);
    }
    return h;
  }

  private countCacheResult(label: CacheResultLabel, us: number): void {
    this.cacheHistogram(label).recordValue(us);
    this.cacheResults[label] = (this.cacheResults[label] ?? 0) + 1;
  }

  private countServer(id: string): void {
    // A short linear scan by value finds the key already in servedBy, so the count is kept under
    // that string and a fresh header string is never hashed.
    let key = this.serverKeys.find((k) => k === id);
    if (key === undefined) {
      const known = Object.hasOwn(this.servedBy, id);
      key = known || Object.keys(this.servedBy).length < MAX_SERVER_IDS ? id : 'other';
      if (!this.serverKeys.includes(key)) this.serverKeys.push(key);
    }
    this.servedBy[key] = (this.servedBy[key] ?? 0) + 1;
  }
}
