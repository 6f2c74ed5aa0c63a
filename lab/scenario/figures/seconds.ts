import type { SecondPoint } from '../../../loadtests/runner/run-load.ts';
import type { ScenarioSecond } from '../../report/scenario-results-schema.ts';
import type { ServerSample } from './server-sample.ts';

/** Hit ratio of one second's reads: 1 − (misses + bypasses) / reads; null without a cache or reads. */
function hitRatioOf(reads: ScenarioSecond['reads'], cached: boolean): number | null {
  const total = reads.l1 + reads.l2 + reads.miss + reads.bypass;
  if (!cached || total === 0) return null;
  return (reads.l1 + reads.l2) / total;
}

/**
 * Joins the generator's per-second points with the servers' per-second samples (both on the load's
 * clock, second t covering [t, t+1)); `holds` is filled in later, once the baseline is known.
 */
export function joinSeconds(
  points: readonly SecondPoint[],
  samples: readonly ServerSample[],
  cached: boolean,
): ScenarioSecond[] {
  return points.map((p) => {
    const sample = samples.find((s) => s.t === p.t);
    const reads = {
      l1: p.cache['HIT-L1'] ?? 0,
      l2: p.cache['HIT-L2'] ?? 0,
      miss: p.cache.MISS ?? 0,
      bypass: p.cache.BYPASS ?? 0,
    };
    return {
      t: p.t,
      offered: p.scheduled,
      sent: p.sent,
      ok: p.ok,
      errors: { ...p.errors },
      p50Ms: p.p50Ms,
      p99Ms: p.p99Ms,
      hitRatio: hitRatioOf(reads, cached),
      reads,
      dbQps: sample?.dbQps ?? null,
      redisOps: sample?.redisOps ?? {},
      staleReads: p.staleReads,
      holds: true,
    };
  });
}
