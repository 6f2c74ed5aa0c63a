import {
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
} from 'hdr-histogram-js';
import {
  CACHE_RESULT_LABELS,
  type CacheResultLabel,
  ERROR_CLASSES,
  type RequestCounts,
} from '../result-types.ts';
import { StalenessTracker } from './staleness.ts';
import { MAX_SERVER_IDS, RunStats } from './stats.ts';

/**
 * A histogram as plain data: its bucket counts (compressed base64) and its exact smallest non-zero
 * and largest values, which bucket counts alone would round to their buckets.
 */
export interface EncodedHistogram {
  counts: string;
  minNonZero: number;
  max: number;
}

/** What one share of a spread run measured, as plain data that crosses a thread boundary. */
export interface StatsPart {
  histograms: {
    latency: EncodedHistogram;
    lag: EncodedHistogram;
    read: EncodedHistogram;
    write: EncodedHistogram;
    byCache: Partial<Record<CacheResultLabel, EncodedHistogram>>;
  };
  requests: Required<RequestCounts>;
  cacheResults: RunStats['cacheResults'];
  servedBy: Record<string, number>;
  errors: RunStats['errors'];
  errorSamples: RunStats['errorSamples'];
  staleness: {
    checkedReads: number;
    staleReads: number;
    graceStaleReads: number;
    maxStaleWindowMs: number;
  };
}

/** Encodes a histogram losslessly (see EncodedHistogram). */
export function encodeHistogram(h: Histogram): EncodedHistogram {
  return { counts: encodeIntoCompressedBase64(h), minNonZero: h.minNonZeroValue, max: h.maxValue };
}

type Extremes = { -readonly [K in 'maxValue' | 'minNonZeroValue']: number };

/** Adds an encoded histogram's samples to `into`, min and max exactly. */
export function addEncoded(into: Histogram, encoded: EncodedHistogram): void {
  const decoded = decodeFromCompressedBase64(encoded.counts);
  // A JS histogram keeps min and max as plain fields and add() takes them from the other histogram:
  // restoring the exact values here makes the sum's min and max exact, not rounded to a bucket.
  (decoded as unknown as Extremes).maxValue = encoded.max;
  (decoded as unknown as Extremes).minNonZeroValue = encoded.minNonZero;
  into.add(decoded);
  decoded.destroy();
}

/** Serializes one share's statistics and stale-read counts. */
export function statsPartOf(stats: RunStats, staleness: StalenessTracker): StatsPart {
  const byCache: StatsPart['histograms']['byCache'] = {};
  for (const [label, h] of stats.byCache) byCache[label] = encodeHistogram(h);
  return {
    histograms: {
      latency: encodeHistogram(stats.latency),
      lag: encodeHistogram(stats.lag),
      read: encodeHistogram(stats.byOp.read),
      write: encodeHistogram(stats.byOp.write),
      byCache,
    },
    requests: { ...stats.requests },
    cacheResults: { ...stats.cacheResults },
    servedBy: { ...stats.servedBy },
    errors: { ...stats.errors },
    errorSamples: { ...stats.errorSamples },
    staleness: {
      checkedReads: staleness.checkedReads,
      staleReads: staleness.staleReads,
      graceStaleReads: staleness.graceStaleReads,
      maxStaleWindowMs: staleness.maxStaleWindowMs,
    },
  };
}

function addCounts<K extends string>(
  into: Partial<Record<K, number>>,
  from: Partial<Record<K, number>>,
): void {
  for (const [key, value] of Object.entries(from) as [K, number | undefined][]) {
    if (value !== undefined) into[key] = (into[key] ?? 0) + value;
  }
}

function addServers(into: Record<string, number>, from: Record<string, number>): void {
  for (const [id, n] of Object.entries(from)) {
    const known = Object.hasOwn(into, id);
    const key = known || Object.keys(into).length < MAX_SERVER_IDS ? id : 'other';
    into[key] = (into[key] ?? 0) + n;
  }
}

function absorb(stats: RunStats, part: StatsPart): void {
  const h = part.histograms;
  addEncoded(stats.latency, h.latency);
  addEncoded(stats.lag, h.lag);
  addEncoded(stats.byOp.read, h.read);
  addEncoded(stats.byOp.write, h.write);
  for (const label of CACHE_RESULT_LABELS) {
    const encoded = h.byCache[label];
    if (encoded !== undefined) addEncoded(stats.cacheHistogram(label), encoded);
  }
  for (const key of Object.keys(part.requests) as (keyof Required<RequestCounts>)[]) {
    stats.requests[key] += part.requests[key];
  }
  addCounts(stats.cacheResults, part.cacheResults);
  addServers(stats.servedBy, part.servedBy);
  for (const cls of ERROR_CLASSES) {
    stats.errors[cls] += part.errors[cls];
    const sample = part.errorSamples[cls];
    if (sample !== undefined) stats.errorSamples[cls] ??= sample;
  }
}

/**
 * Merges the shares of a spread run into one RunStats and one stale-read tally. Exact: histogram
 * buckets and counters are added; shares split the keys, so every key's writes and reads were seen
 * by one share and its stale reads were judged exactly as one generator would have.
 */
export function mergeStatsParts(parts: readonly StatsPart[]): {
  stats: RunStats;
  staleness: StalenessTracker;
} {
  const stats = new RunStats();
  const staleness = new StalenessTracker();
  for (const part of parts) {
    absorb(stats, part);
    staleness.checkedReads += part.staleness.checkedReads;
    staleness.staleReads += part.staleness.staleReads;
    staleness.graceStaleReads += part.staleness.graceStaleReads;
    staleness.maxStaleWindowMs = Math.max(
      staleness.maxStaleWindowMs,
      part.staleness.maxStaleWindowMs,
    );
  }
  return { stats, staleness };
}
