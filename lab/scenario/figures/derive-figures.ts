import type { ScenarioFigures, ScenarioSecond } from '../../report/scenario-results-schema.ts';
import { type Baseline, failedIn } from '../hypothesis.ts';

/** Consecutive seconds inside the hypothesis that count as recovered. */
export const RECOVERY_SECONDS = 5;

/** What the figures are computed over. */
export interface FigureInputs {
  series: readonly ScenarioSecond[];
  baseline: Baseline;
  /** Offsets of the first and the last action (undefined: no action, e.g. cold-start). */
  firstActionSec: number | undefined;
  lastActionSec: number | undefined;
  maxStaleWindowMs: number;
  keyMovement: ScenarioFigures['keyMovement'];
  /** cluster-node-timeout of a failover action, ms. */
  failoverNodeTimeoutMs: number | undefined;
  coldStart: boolean;
  /** Seconds of warm-up at the start of the load: counted apart from availability. */
  warmupSec: number;
  /** One server's bus cut, when the scenario makes one (computed from per-server counts). */
  busPartition: ScenarioFigures['busPartition'];
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** First second at/after `from` breaking the hypothesis. */
function firstBreach(series: readonly ScenarioSecond[], from: number): number | undefined {
  return series.find((s) => s.t >= from && !s.holds)?.t;
}

/** Start of the first run of RECOVERY_SECONDS held seconds after `from`. */
function recoveredAt(series: readonly ScenarioSecond[], from: number): number | undefined {
  let run = 0;
  for (const s of series.filter((x) => x.t > from)) {
    run = s.holds ? run + 1 : 0;
    if (run === RECOVERY_SECONDS) return s.t - RECOVERY_SECONDS + 1;
  }
  return undefined;
}

function coldStartSeconds(series: readonly ScenarioSecond[]): number | null {
  const tail = series.slice(-5).flatMap((s) => (s.hitRatio === null ? [] : [s.hitRatio]));
  if (tail.length === 0) return null;
  const steady = sum(tail) / tail.length;
  const reached = series.find((s) => s.hitRatio !== null && s.hitRatio >= 0.9 * steady);
  return reached ? reached.t + 1 : null;
}

function dipOf(after: readonly ScenarioSecond[], baseline: Baseline) {
  const hits = after.flatMap((s) => (s.hitRatio === null ? [] : [s.hitRatio]));
  if (baseline.hitRatio === null || hits.length === 0) return { dip: null, seconds: 0 };
  const floor = 0.9 * baseline.hitRatio;
  return {
    dip: Math.max(0, baseline.hitRatio - Math.min(...hits)),
    seconds: hits.filter((h) => h < floor).length,
  };
}

/** Seconds after the action whose reads bypassed a failed cache or failed outright. */
function unavailableSeconds(after: readonly ScenarioSecond[]): number {
  return after.filter((s) => s.reads.bypass > 0 || failedIn(s) > 0).length;
}

function hotNodeOf(after: readonly ScenarioSecond[]): ScenarioFigures['hotNode'] {
  const totals = new Map<string, number>();
  for (const s of after) {
    for (const [node, ops] of Object.entries(s.redisOps)) {
      totals.set(node, (totals.get(node) ?? 0) + (ops ?? 0));
    }
  }
  const all = sum([...totals.values()]);
  if (totals.size < 2 || all === 0) return null;
  const [node, ops] = [...totals.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  return { node, share: ops / all };
}

function l1ShareOf(after: readonly ScenarioSecond[]): number | null {
  const reads = sum(after.map((s) => s.reads.l1 + s.reads.l2 + s.reads.miss + s.reads.bypass));
  const l1 = sum(after.map((s) => s.reads.l1));
  return reads === 0 || l1 === 0 ? null : l1 / reads;
}

/** Every derived figure of one run (item 5 of the scenario brief). */
export function deriveFigures(x: FigureInputs): ScenarioFigures {
  const { series, baseline } = x;
  // The warm-up is the lab settling and its caches filling, before the method starts.
  const measured = series.filter((s) => s.t >= x.warmupSec);
  const answered = sum(measured.map((s) => s.ok + failedIn(s)));
  const failed = sum(measured.map(failedIn));
  const warmupFailed = sum(series.filter((s) => s.t < x.warmupSec).map(failedIn));
  const start = x.firstActionSec;
  const after = start === undefined ? [] : series.filter((s) => s.t >= start);
  const detect = start === undefined ? undefined : firstBreach(series, start);
  const recover = detect === undefined ? undefined : recoveredAt(series, detect);
  const db = after.flatMap((s) => (s.dbQps === null ? [] : [s.dbQps]));
  const peakDbQps = db.length === 0 ? null : Math.max(...db);
  const dip = dipOf(after, baseline);
  const failover =
    x.failoverNodeTimeoutMs === undefined
      ? null
      : {
          unavailableSec: unavailableSeconds(after),
          // Redis Cluster spec: FAIL after the node timeout, then the replica waits 500 ms + 0–500 ms (rank 0).
          predictedSec: x.failoverNodeTimeoutMs / 1000 + 0.75,
        };
  return {
    requests: answered,
    requestsFailed: failed,
    availability: answered === 0 ? 0 : 1 - failed / answered,
    warmupRequestsFailed: warmupFailed,
    timeToDetectSec: detect === undefined || start === undefined ? null : detect - start,
    timeToRecoverSec: recover === undefined || start === undefined ? null : recover - start,
    baselineDbQps: baseline.dbQps,
    peakDbQps,
    peakDbFactor:
      peakDbQps === null || !baseline.dbQps ? null : peakDbQps / Math.max(baseline.dbQps, 1e-9),
    staleReads: sum(series.map((s) => s.staleReads)),
    maxStaleWindowMs: x.maxStaleWindowMs,
    hitRatioDip: dip.dip,
    dipSeconds: dip.seconds,
    timeTo90PctSec: x.coldStart ? coldStartSeconds(series) : null,
    keyMovement: x.keyMovement,
    failover,
    hotNode: hotNodeOf(after),
    l1Share: l1ShareOf(after),
    busPartition: x.busPartition,
  };
}
