import type { ScenarioSecond } from '../report/scenario-results-schema.ts';
import type { HypothesisTolerances, Scenario } from './scenario-model.ts';

/** The default steady-state hypothesis: errors ≤ 0.1 %, p99 ≤ 2× baseline, hit ratio ≥ 0.9× baseline. */
export const DEFAULT_TOLERANCES: Readonly<HypothesisTolerances> = {
  maxErrorRate: 0.001,
  maxP99Factor: 2,
  minHitRatioFactor: 0.9,
};

/**
 * Below this p99 a doubling is scheduler noise on a shared 2-core machine, not a change of regime:
 * the p99 bound is never tighter than this many ms.
 */
export const P99_FLOOR_MS = 10;

/** The steady state measured before the first action. */
export interface Baseline {
  errorRate: number;
  p99Ms: number;
  hitRatio: number | null;
  dbQps: number | null;
}

/** The scenario's tolerances: its overrides over the defaults. */
export function tolerancesOf(scenario: Scenario): HypothesisTolerances {
  return { ...DEFAULT_TOLERANCES, ...scenario.hypothesis };
}

/** Requests of a second that failed: a 5xx or no response. */
export function failedIn(s: Pick<ScenarioSecond, 'errors'>): number {
  return s.errors.http5xx + s.errors.timeout + s.errors.connection + s.errors.other;
}

const mean = (values: number[]): number =>
  values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor((sorted.length - 1) / 2)] ?? 0);
}

/** The baseline of seconds [from, to): error rate over all, median p99, mean hit ratio and DB q/s. */
export function baselineOf(series: readonly ScenarioSecond[], from: number, to: number): Baseline {
  const window = series.filter((s) => s.t >= from && s.t < to);
  const answered = window.reduce((n, s) => n + s.ok + failedIn(s), 0);
  const failed = window.reduce((n, s) => n + failedIn(s), 0);
  const hits = window.flatMap((s) => (s.hitRatio === null ? [] : [s.hitRatio]));
  const db = window.flatMap((s) => (s.dbQps === null ? [] : [s.dbQps]));
  return {
    errorRate: answered === 0 ? 0 : failed / answered,
    p99Ms: median(window.map((s) => s.p99Ms)),
    hitRatio: hits.length === 0 ? null : mean(hits),
    dbQps: db.length === 0 ? null : mean(db),
  };
}

/**
 * The p99 the hypothesis judges for each second: the median of its own and its neighbours' p99, so
 * that one stray slow request among ~150 (the second-slowest is the p99) does not break it alone.
 */
export function smoothedP99(series: readonly ScenarioSecond[]): number[] {
  return series.map((_, i) => median(series.slice(Math.max(0, i - 1), i + 2).map((s) => s.p99Ms)));
}

/** Whether one second is inside the hypothesis, and which tolerance it breaks if not. */
export function breachesOf(
  s: ScenarioSecond,
  p99Ms: number,
  baseline: Baseline,
  tol: HypothesisTolerances,
): string[] {
  const breaches: string[] = [];
  const answered = s.ok + failedIn(s);
  if (answered > 0 && failedIn(s) / answered > tol.maxErrorRate) breaches.push('errors');
  if (p99Ms > Math.max(tol.maxP99Factor * baseline.p99Ms, P99_FLOOR_MS)) breaches.push('p99');
  if (
    baseline.hitRatio !== null &&
    s.hitRatio !== null &&
    s.hitRatio < tol.minHitRatioFactor * baseline.hitRatio
  ) {
    breaches.push('hit ratio');
  }
  const reads = s.reads.l1 + s.reads.l2 + s.reads.miss + s.reads.bypass;
  if (
    tol.maxStaleReadRate !== undefined &&
    reads > 0 &&
    s.staleReads / reads > tol.maxStaleReadRate
  ) {
    breaches.push('stale reads');
  }
  return breaches;
}
