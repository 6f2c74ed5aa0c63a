import type { Histogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { CACHE_RESULT_LABELS, type CacheResultLabel } from '../result-types.ts';
import { createRng } from '../workload.ts';
import { StalenessTracker } from './staleness.ts';
import { RunStats } from './stats.ts';
import { mergeStatsParts, statsPartOf } from './stats-part.ts';

interface Sample {
  id: number;
  op: 'read' | 'write';
  sent: boolean;
  lagUs: number;
  latencyUs: number;
  cache: CacheResultLabel;
  server: string;
  status: number;
}

/** Deterministic samples spanning five decades of latency, with errors, drops and both ops. */
function samples(n: number): Sample[] {
  const rng = createRng(7);
  return Array.from({ length: n }, () => {
    const op = rng() < 0.9 ? 'read' : 'write';
    return {
      id: 1 + Math.floor(rng() * 500),
      op,
      sent: rng() > 0.01,
      lagUs: Math.floor(rng() ** 4 * 50_000),
      latencyUs: Math.floor(10 ** (1 + rng() * 5)),
      cache: CACHE_RESULT_LABELS[Math.floor(rng() * 4)] as CacheResultLabel,
      server: `app-${1 + Math.floor(rng() * 3)}`,
      status: rng() < 0.02 ? 503 : 200,
    };
  });
}

function record(stats: RunStats, s: Sample): void {
  stats.recordStart(s.op, s.sent, s.lagUs);
  if (!s.sent) return;
  if (s.status === 503 && s.latencyUs > 500_000) {
    stats.recordFailure('timeout', s.latencyUs, 'timeout');
    return;
  }
  stats.recordResponse({ ...s, servedBy: s.server, latencyUs: s.latencyUs });
}

/** Everything a histogram answers: counts, extremes, mean and a fine percentile grid. */
function fingerprint(h: Histogram): unknown {
  const grid = Array.from({ length: 1001 }, (_, i) => h.getValueAtPercentile(i / 10));
  return {
    total: h.totalCount,
    min: h.minNonZeroValue,
    max: h.maxValue,
    mean: h.mean,
    grid,
    p99999: h.getValueAtPercentile(99.999),
  };
}

function fingerprintStats(s: RunStats): unknown {
  const byCache: Record<string, unknown> = {};
  for (const [label, h] of s.byCache) byCache[label] = fingerprint(h);
  return {
    latency: fingerprint(s.latency),
    lag: fingerprint(s.lag),
    read: fingerprint(s.byOp.read),
    write: fingerprint(s.byOp.write),
    byCache,
    requests: s.requests,
    cacheResults: s.cacheResults,
    servedBy: s.servedBy,
    errors: s.errors,
  };
}

describe('mergeStatsParts', () => {
  const all = samples(20_000);

  it.each([2, 3, 8])(
    'merging %i shares recorded apart equals one RunStats of every sample',
    (shares) => {
      const whole = new RunStats();
      const parts = Array.from({ length: shares }, () => new RunStats());
      for (const s of all) {
        record(whole, s);
        record(parts[s.id % shares] as RunStats, s);
      }
      const encoded = parts.map((p) => statsPartOf(p, new StalenessTracker()));
      const merged = mergeStatsParts(encoded).stats;
      expect(fingerprintStats(merged)).toEqual(fingerprintStats(whole));
      expect(merged.latency.totalCount).toBe(whole.latency.totalCount);
    },
  );

  it('a single share merged equals that share (N = 1 is the single runner)', () => {
    const one = new RunStats();
    for (const s of all) record(one, s);
    const merged = mergeStatsParts([statsPartOf(one, new StalenessTracker())]).stats;
    expect(fingerprintStats(merged)).toEqual(fingerprintStats(one));
    expect(merged.errorSamples).toEqual(one.errorSamples);
  });

  it('sums stale-read counts and keeps the longest window when shares own disjoint keys', () => {
    const whole = new StalenessTracker();
    const parts = [new StalenessTracker(), new StalenessTracker()];
    const rng = createRng(3);
    for (let t = 0; t < 5000; t++) {
      const id = 1 + Math.floor(rng() * 20);
      const part = parts[id % 2] as StalenessTracker;
      if (rng() < 0.2) {
        whole.recordAck(id, t, t);
        part.recordAck(id, t, t);
      } else {
        const version = Math.max(0, t - Math.floor(rng() * 40));
        whole.checkRead(id, version, t + 0.5, true);
        part.checkRead(id, version, t + 0.5, true);
      }
    }
    const encoded = parts.map((p) => statsPartOf(new RunStats(), p));
    const { staleness } = mergeStatsParts(encoded);
    expect(whole.staleReads).toBeGreaterThan(0);
    expect(staleness.staleReads).toBe(whole.staleReads);
    expect(staleness.checkedReads).toBe(whole.checkedReads);
    expect(staleness.maxStaleWindowMs).toBe(whole.maxStaleWindowMs);
    expect(staleness.staleReadRate).toBe(whole.staleReadRate);
  });
});
