import { runLoadWithSeries } from '../../loadtests/runner/run-load.ts';
import type { CostProbe } from '../measure/cost/component-cost.ts';
import {
  type CacheCounts,
  halvesOf,
  type LoadProgressListener,
  type MeasuredWindow,
  measureWindow,
} from '../measure/measure-window.ts';
import type { ScrapeTargets } from '../measure/scrape/snapshot.ts';
import type { MeasuredTopology } from '../report/results-types.ts';
import type { CompareSettings } from './compare-settings.ts';

/** How a topology's warm-up ended (results.json `warmup`). */
export type WarmupRecord = NonNullable<MeasuredTopology['warmup']>;

/** A measured window that followed a warm-up checked for stability. */
export type SettledWindow = MeasuredWindow & { warmup: WarmupRecord };

/** Seconds at the measured rate before a measured window, so the warm-up's pace has passed. */
export const SETTLE_SEC = 1;

const Z95 = 1.959964;

/** The overall hit ratio of some reads (null without any cache answer: no cache, or no reads). */
export function hitRatioOfCounts(c: CacheCounts): number | null {
  const hits = (c['HIT-L1'] ?? 0) + (c['HIT-L2'] ?? 0);
  const reads = hits + (c.MISS ?? 0) + (c.BYPASS ?? 0);
  if (reads === 0 || (hits === 0 && (c.BYPASS ?? 0) === reads)) return null;
  return hits / reads;
}

const readsOf = (c: CacheCounts): number =>
  (c['HIT-L1'] ?? 0) + (c['HIT-L2'] ?? 0) + (c.MISS ?? 0) + (c.BYPASS ?? 0);

/**
 * Whether the two halves agree: |second − first| ≤ the threshold, which is `within` unless the
 * halves hold too few reads to resolve it; then it is the 95 % sampling noise of the difference
 * (at 150 req/s a half of 8 s holds ~570 reads: ±3 points of noise against 2 points asked).
 */
export function halvesStability(
  [first, second]: readonly [CacheCounts, CacheCounts],
  within: number,
): { first: number | null; second: number | null; threshold: number; stable: boolean } {
  const a = hitRatioOfCounts(first);
  const b = hitRatioOfCounts(second);
  if (a === null || b === null) return { first: a, second: b, threshold: within, stable: true };
  const pooled = (a * readsOf(first) + b * readsOf(second)) / (readsOf(first) + readsOf(second));
  const noise = Z95 * Math.sqrt(pooled * (1 - pooled) * (1 / readsOf(first) + 1 / readsOf(second)));
  const threshold = Math.max(within, noise);
  return { first: a, second: b, threshold, stable: Math.abs(b - a) <= threshold };
}

/** One unmeasured chunk of load at the warm-up rate; returns its halves (by the schedule). */
async function warmChunk(baseUrl: string, s: CompareSettings, topology: string, seed: number) {
  const { series } = await runLoadWithSeries({
    baseUrl,
    topology,
    workload: s.workload,
    keyCount: s.keyCount,
    rate: s.warmupPolicy.rps,
    durationSec: s.warmupSec,
    warmupSec: 0,
    seed,
    timeoutMs: s.timeoutMs,
    maxInFlight: s.maxInFlight,
    series: true,
  });
  return halvesOf(series, 0, s.warmupSec);
}

/** Chunks until one's halves agree or the bound is spent; returns the seconds spent (at `rps`). */
async function warmUp(baseUrl: string, s: CompareSettings, topology: string, seed: number) {
  let spent = 0;
  while (s.warmupSec > 0 && spent < s.warmupPolicy.maxSec) {
    const halves = await warmChunk(baseUrl, s, topology, seed + spent);
    spent += s.warmupSec;
    if (halvesStability(halves, s.warmupPolicy.stableWithin).stable) break;
  }
  return spent;
}

/**
 * Warms the topology until its hit ratio settles, then measures a window; when the window's halves
 * still disagree, warms one more chunk and measures again, up to the policy's bound, and records
 * how it ended. Each chunk and window draws a fresh seed, so none replays the keys of another.
 */
export async function measureSettled(
  baseUrl: string,
  targets: ScrapeTargets,
  s: CompareSettings,
  topology: string,
  onProgress?: LoadProgressListener,
  costProbe?: CostProbe,
): Promise<SettledWindow> {
  const policy = s.warmupPolicy;
  const chunkSec = await warmUp(baseUrl, s, topology, s.seed + 1000);
  let warmSec = chunkSec;
  let warmRequests = chunkSec * policy.rps;
  const settle = s.warmupSec > 0 ? SETTLE_SEC : 0;
  const measure = (extra: number) =>
    measureWindow(
      baseUrl,
      targets,
      { ...s, warmupSec: settle, seed: s.seed + extra },
      topology,
      onProgress,
      costProbe,
    );
  let window = await measure(0);
  let check = halvesStability(window.halves, policy.stableWithin);
  let extra = 0;
  while (!check.stable && extra < policy.maxExtraWindows) {
    extra++;
    if (s.warmupSec > 0) await warmChunk(baseUrl, s, topology, s.seed + 2000 + extra);
    warmSec += s.warmupSec + settle + s.durationSec;
    warmRequests += s.warmupSec * policy.rps + (settle + s.durationSec) * s.rate;
    window = await measure(extra);
    check = halvesStability(window.halves, policy.stableWithin);
  }
  const warmup: WarmupRecord = {
    seconds: warmSec + settle,
    requests: Math.round(warmRequests + settle * s.rate),
    extraWindows: extra,
    maxExtraWindows: policy.maxExtraWindows,
    halves: { first: check.first, second: check.second },
    threshold: Math.min(1, check.threshold),
    stable: check.stable,
    boundReached: !check.stable,
  };
  return { ...window, warmup };
}
