import type { GeneratorCpu, LatencySummary } from '../../loadtests/result-types.ts';
import type { WorkloadName } from '../../loadtests/workload.ts';
import { clientHitRatio, dbQueriesPerRequestOf, tiersOf } from '../compare/figures.ts';
import type { CostProbe, WindowCost } from '../measure/cost/component-cost.ts';
import { measureWindow } from '../measure/measure-window.ts';
import type { LabEndpoints } from '../run/driver/driver-types.ts';
import type { Topology } from '../topology/model.ts';
import { type Slo, sloBreaches } from './slo.ts';
import type { SearchStep } from './step-search.ts';

/** How each step of a capacity search loads the lab. */
export interface StepSettings {
  workload: WorkloadName;
  keyCount: number;
  seed: number;
  /** Unmeasured lead-in of each step at the step's rate, so the queue reaches its level. */
  stepWarmupSec: number;
  /** Measured seconds of each step. */
  stepSec: number;
  timeoutMs: number;
  maxInFlight: number;
  maxLagP99Ms: number;
  slo: Slo;
}

/** One measured step of the search: an offered rate and what it gave. */
export interface CapacityStep extends SearchStep {
  offeredRps: number;
  achievedRps: number;
  throughputRps: number;
  /** The generator kept its schedule (see invalidReasons). */
  valid: boolean;
  invalidReasons: string[];
  /** Why the step broke the SLO (empty: it met it). */
  sloBreaches: string[];
  latencyMs: LatencySummary;
  errorRate: number;
  /** Requests in the system on average, by Little's law: throughput × mean latency. */
  concurrency: number;
  /** Reads not answered by the database, 1 − MISS/reads (null when nothing was read). */
  hitRatio: number | null;
  /** Reads answered by the app server's own L1, over all reads (null: no L1, or nothing read). */
  l1HitRatio?: number | null;
  /** Database queries per request the app servers took, from the step's scrapes. */
  dbQueriesPerRequest?: number | null;
  /** Reads over reads + writes the generator sent. */
  readShare?: number;
  generatorCpu?: GeneratorCpu;
  cost?: WindowCost;
}

function hitRatioOf(cache: Partial<Record<string, number>>): number | null {
  const reads = Object.values(cache).reduce<number>((sum, n) => sum + (n ?? 0), 0);
  return reads > 0 ? 1 - (cache.MISS ?? 0) / reads : null;
}

/** Loads the lab at `rate` for one short window and judges the step against the SLO and validity. */
export async function measureStep(
  url: string,
  endpoints: LabEndpoints,
  s: StepSettings,
  topology: Pick<Topology, 'name' | 'cache'>,
  rate: number,
  costProbe?: CostProbe,
): Promise<CapacityStep> {
  const w = await measureWindow(
    url,
    endpoints,
    {
      workload: s.workload,
      keyCount: s.keyCount,
      rate,
      warmupSec: s.stepWarmupSec,
      durationSec: s.stepSec,
      seed: s.seed + rate,
      timeoutMs: s.timeoutMs,
      maxInFlight: s.maxInFlight,
      maxLagP99Ms: s.maxLagP99Ms,
    },
    topology.name,
    undefined,
    costProbe,
  );
  const r = w.run;
  const failed = Object.values(r.errors).reduce((a, b) => a + b, 0);
  const errorRate = r.requests.sent > 0 ? Math.min(1, failed / r.requests.sent) : 0;
  const ops = r.requests.reads + r.requests.writes;
  const breaches = sloBreaches(s.slo, { latencyMs: r.latencyMs, errorRate });
  return {
    rate,
    ok: r.valid && breaches.length === 0,
    offeredRps: r.offeredRps,
    achievedRps: r.achievedRps,
    throughputRps: r.throughputRps,
    valid: r.valid,
    invalidReasons: r.invalidReasons,
    sloBreaches: breaches,
    latencyMs: r.latencyMs,
    errorRate,
    concurrency: (r.throughputRps * r.latencyMs.mean) / 1000,
    hitRatio: hitRatioOf(r.cacheResults),
    l1HitRatio: clientHitRatio(tiersOf(topology.cache.mode), r.cacheResults).l1,
    dbQueriesPerRequest: dbQueriesPerRequestOf(w.delta),
    readShare: ops > 0 ? r.requests.reads / ops : 1,
    ...(r.generatorCpu ? { generatorCpu: r.generatorCpu } : {}),
    ...(w.cost ? { cost: w.cost } : {}),
  };
}
