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

/** What a warm-up chunk did: its halves, and how many requests the servers answered. */
export interface ChunkResult {
  halves: [CacheCounts, CacheCounts];
  /** Requests that got a response (what filled the caches). */
  completed: number;
  /** Requests the schedule asked for. */
  scheduled: number;
}

/** One unmeasured chunk of load at `rps`; returns its halves (by the schedule) and counts. */
async function warmChunk(
  baseUrl: string,
  s: CompareSettings,
  topology: string,
  seed: number,
  rps: number,
): Promise<ChunkResult> {
  const { result, series } = await runLoadWithSeries({
    baseUrl,
    topology,
    workload: s.workload,
    keyCount: s.keyCount,
    rate: rps,
    durationSec: s.warmupSec,
    warmupSec: 0,
    seed,
    timeoutMs: s.timeoutMs,
    maxInFlight: s.maxInFlight,
    series: true,
  });
  const { completed, scheduled } = result.requests;
  return { halves: halvesOf(series, 0, s.warmupSec), completed, scheduled };
}

/** A chunk that got fewer answers than this share of its schedule was too fast for the topology. */
export const CHUNK_ANSWERED_SHARE = 0.95;

/** What the settle loop needs to know about the run besides the policy. */
export interface SettlePlan {
  policy: CompareSettings['warmupPolicy'];
  /** Seconds per warm-up chunk (0: no warm-up at all). */
  chunkSec: number;
  /** The measured rate and window length. */
  rate: number;
  durationSec: number;
}

/** The load the settle loop drives: a warm-up chunk and a measured window, each with its seed. */
export interface SettleSteps<W extends { halves: [CacheCounts, CacheCounts] }> {
  warmChunk(index: number, rps: number): Promise<ChunkResult>;
  measure(extra: number, settleSec: number): Promise<W>;
}

/**
 * Warm-up chunks until one's halves agree or `maxSec` is spent; then a measured window, and while
 * its halves disagree one more chunk and window, at most `maxExtraWindows` times. Returns the last
 * window and how the warm-up ended (a window that is still moving at the bound is flagged).
 */
export async function settleLoop<W extends { halves: [CacheCounts, CacheCounts] }>(
  plan: SettlePlan,
  steps: SettleSteps<W>,
): Promise<{ window: W; warmup: WarmupRecord }> {
  const { policy, chunkSec } = plan;
  let rps = policy.rps;
  let chunks = 0;
  let requests = 0;
  // A chunk the topology could not keep up with fills less than asked: halve the next one's rate
  // (never below the measured rate), and count only what was answered.
  const chunk = async (): Promise<ChunkResult> => {
    const result = await steps.warmChunk(chunks++, rps);
    requests += result.completed;
    if (result.completed < CHUNK_ANSWERED_SHARE * result.scheduled)
      rps = Math.max(plan.rate, rps / 2);
    return result;
  };
  // At least one chunk; after it, only as many as fit in maxSec.
  while (chunkSec > 0 && (chunks === 0 || (chunks + 1) * chunkSec <= policy.maxSec)) {
    if (halvesStability((await chunk()).halves, policy.stableWithin).stable) break;
  }
  const settle = chunkSec > 0 ? SETTLE_SEC : 0;
  let seconds = chunks * chunkSec + settle;
  requests += settle * plan.rate;
  let window = await steps.measure(0, settle);
  let check = halvesStability(window.halves, policy.stableWithin);
  let extra = 0;
  while (!check.stable && extra < policy.maxExtraWindows) {
    extra++;
    if (chunkSec > 0) await chunk();
    seconds += chunkSec + plan.durationSec + settle;
    requests += (plan.durationSec + settle) * plan.rate;
    window = await steps.measure(extra, settle);
    check = halvesStability(window.halves, policy.stableWithin);
  }
  const warmup: WarmupRecord = {
    seconds,
    requests: Math.round(requests),
    extraWindows: extra,
    maxExtraWindows: policy.maxExtraWindows,
    halves: { first: check.first, second: check.second },
    threshold: Math.min(1, check.threshold),
    stable: check.stable,
    boundReached: !check.stable,
  };
  return { window, warmup };
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
  const plan = {
    policy: s.warmupPolicy,
    chunkSec: s.warmupSec,
    rate: s.rate,
    durationSec: s.durationSec,
  };
  const { window, warmup } = await settleLoop(plan, {
    warmChunk: (index, rps) => warmChunk(baseUrl, s, topology, s.seed + 1000 + index, rps),
    measure: (extra, settleSec) =>
      measureWindow(
        baseUrl,
        targets,
        { ...s, warmupSec: settleSec, seed: s.seed + extra },
        topology,
        onProgress,
        costProbe,
      ),
  });
  return { ...window, warmup };
}
