import {
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
} from 'hdr-histogram-js';
import {
  CACHE_RESULT_LABELS,
  type CacheResultLabel,
  ERROR_CLASSES,
  type ErrorClass,
} from '../result-types.ts';
import { MAX_SERVER_IDS, microsecondHistogram } from './stats.ts';

/** What the generator saw in one second of the schedule (by each request's due time). */
export interface SecondPoint {
  /** Seconds since the schedule started (warm-up included): this point covers [t, t+1). */
  t: number;
  /** Starts the schedule asked for in this second. */
  scheduled: number;
  sent: number;
  dropped: number;
  /** Responses with a status below 500 (a 4xx is the client's mistake, not an outage). */
  ok: number;
  errors: Record<ErrorClass, number>;
  /** Latency from the scheduled start, ms, of responses and timeouts started in this second. */
  p50Ms: number;
  p99Ms: number;
  /** Reads per X-Cache value. */
  cache: Partial<Record<CacheResultLabel, number>>;
  staleReads: number;
  /** Longest stale window among this second's stale reads, ms. */
  maxStaleWindowMs: number;
  /** Reads per X-Cache value and stale reads, per X-Served-By (at most MAX_SERVER_IDS, then 'other'). */
  servers: Record<string, ServerSecond>;
}

/** One server's reads in one second, as the generator saw them. */
export interface ServerSecond {
  cache: Partial<Record<CacheResultLabel, number>>;
  staleReads: number;
}

/** One second's counters while the run goes. */
interface Bucket {
  scheduled: number;
  sent: number;
  dropped: number;
  ok: number;
  errors: Record<ErrorClass, number>;
  latency: Histogram;
  cache: Partial<Record<CacheResultLabel, number>>;
  staleReads: number;
  maxStaleWindowMs: number;
  servers: Record<string, ServerSecond>;
}

/** A bucket as plain data (its histogram compressed) that crosses a thread boundary. */
export type SeriesPartBucket = Omit<Bucket, 'latency'> & { t: number; latency: string };

/** What one share of the schedule recorded second by second. */
export interface SeriesPart {
  buckets: SeriesPartBucket[];
}

const zeroErrors = (): Record<ErrorClass, number> => ({
  timeout: 0,
  connection: 0,
  http4xx: 0,
  http5xx: 0,
  other: 0,
});

function emptyBucket(): Bucket {
  return {
    scheduled: 0,
    sent: 0,
    dropped: 0,
    ok: 0,
    errors: zeroErrors(),
    latency: microsecondHistogram(),
    cache: {},
    staleReads: 0,
    maxStaleWindowMs: 0,
    servers: {},
  };
}

/** The per-server counters of `id` in `b` (the id folded into 'other' past MAX_SERVER_IDS). */
function serverOf(b: Pick<Bucket, 'servers'>, id: string | undefined): ServerSecond {
  const name = id ?? 'unknown';
  const key =
    Object.hasOwn(b.servers, name) || Object.keys(b.servers).length < MAX_SERVER_IDS
      ? name
      : 'other';
  b.servers[key] ??= { cache: {}, staleReads: 0 };
  return b.servers[key];
}

function addServers(into: Bucket, from: Record<string, ServerSecond>): void {
  for (const [id, s] of Object.entries(from)) {
    const server = serverOf(into, id);
    server.staleReads += s.staleReads;
    for (const [label, n] of Object.entries(s.cache) as [CacheResultLabel, number][]) {
      server.cache[label] = (server.cache[label] ?? 0) + n;
    }
  }
}

/** Per-second counters and latency histograms of a whole run, keyed by due time. */
export class SecondSeries {
  private readonly buckets = new Map<number, Bucket>();

  private at(sec: number): Bucket {
    const t = Math.max(0, Math.floor(sec));
    let b = this.buckets.get(t);
    if (!b) {
      b = emptyBucket();
      this.buckets.set(t, b);
    }
    return b;
  }

  /** Counts one scheduled start due `sec` seconds into the schedule. */
  start(sec: number, sent: boolean): void {
    const b = this.at(sec);
    b.scheduled++;
    if (sent) b.sent++;
    else b.dropped++;
  }

  /** Records a response (any status) of a request due at `sec`. */
  response(
    sec: number,
    r: { status: number; read: boolean; cache: CacheResultLabel; us: number; servedBy?: string },
  ) {
    const b = this.at(sec);
    b.latency.recordValue(Math.max(1, Math.round(r.us)));
    if (r.status >= 500) b.errors.http5xx++;
    else b.ok++;
    if (r.status >= 400 && r.status < 500) b.errors.http4xx++;
    if (!r.read) return;
    b.cache[r.cache] = (b.cache[r.cache] ?? 0) + 1;
    const server = serverOf(b, r.servedBy);
    server.cache[r.cache] = (server.cache[r.cache] ?? 0) + 1;
  }

  /** Records a request due at `sec` that got no response. */
  failure(sec: number, cls: ErrorClass, us: number): void {
    const b = this.at(sec);
    b.errors[cls]++;
    if (cls === 'timeout') b.latency.recordValue(Math.max(1, Math.round(us)));
  }

  /** Records a stale read of a request due at `sec`, served by `servedBy`. */
  stale(sec: number, windowMs: number, servedBy?: string): void {
    const b = this.at(sec);
    b.staleReads++;
    b.maxStaleWindowMs = Math.max(b.maxStaleWindowMs, windowMs);
    serverOf(b, servedBy).staleReads++;
  }

  /** The series as plain data; frees the histograms. */
  toPart(): SeriesPart {
    const buckets = [...this.buckets.entries()].map(([t, b]) => {
      const latency = encodeIntoCompressedBase64(b.latency);
      b.latency.destroy();
      return { ...b, t, latency };
    });
    this.buckets.clear();
    return { buckets };
  }
}

function addBucket(into: Bucket, from: SeriesPartBucket): void {
  into.scheduled += from.scheduled;
  into.sent += from.sent;
  into.dropped += from.dropped;
  into.ok += from.ok;
  for (const cls of ERROR_CLASSES) into.errors[cls] += from.errors[cls];
  for (const label of CACHE_RESULT_LABELS) {
    const n = from.cache[label];
    if (n !== undefined) into.cache[label] = (into.cache[label] ?? 0) + n;
  }
  into.staleReads += from.staleReads;
  into.maxStaleWindowMs = Math.max(into.maxStaleWindowMs, from.maxStaleWindowMs);
  addServers(into, from.servers);
  const decoded = decodeFromCompressedBase64(from.latency);
  into.latency.add(decoded);
  decoded.destroy();
}

/** Merges the shares' series (exact: counts and histogram buckets add) into one point per second. */
export function mergeSeriesParts(parts: readonly SeriesPart[]): SecondPoint[] {
  const merged = new Map<number, Bucket>();
  for (const part of parts) {
    for (const bucket of part.buckets) {
      let into = merged.get(bucket.t);
      if (!into) {
        into = emptyBucket();
        merged.set(bucket.t, into);
      }
      addBucket(into, bucket);
    }
  }
  const last = Math.max(-1, ...merged.keys());
  return Array.from({ length: last + 1 }, (_, t) => pointOf(t, merged.get(t) ?? emptyBucket()));
}

function pointOf(t: number, b: Bucket): SecondPoint {
  const h = b.latency;
  const at = (p: number): number => (h.totalCount === 0 ? 0 : h.getValueAtPercentile(p) / 1000);
  const point = {
    t,
    scheduled: b.scheduled,
    sent: b.sent,
    dropped: b.dropped,
    ok: b.ok,
    errors: b.errors,
    p50Ms: at(50),
    p99Ms: at(99),
    cache: b.cache,
    staleReads: b.staleReads,
    maxStaleWindowMs: b.maxStaleWindowMs,
    servers: b.servers,
  };
  h.destroy();
  return point;
}
