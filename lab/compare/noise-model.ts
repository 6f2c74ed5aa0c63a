import type { MeasuredTopology } from '../report/results-types.ts';

/**
 * How a figure of a single run (no repeats) gets an interval.
 * - `relative`: machine noise. Half-width max(abs, rel·|value|). Calibrated on this 2-core shared
 *   machine, where two `make demo` runs of one build differ by 10–30 % at p50: ±20 % at p50,
 *   ±30 % at p99, ±50 % at p99.9, ±3 % on throughput.
 * - `proportion`: sampling noise of a share of `trials` events: the 95 % Wilson score interval,
 *   widened to at least ±abs (±3 points for hit ratios: how warm a run starts varies).
 */
export type NoiseModel =
  | { kind: 'relative'; rel: number; abs: number }
  | { kind: 'proportion'; trials: (t: MeasuredTopology) => number; abs: number };

/** A figure with the interval it is known within. */
export interface Estimate {
  value: number;
  low: number;
  high: number;
  /** `repeats`: the median and its order-statistic interval; `noise-model`: a single run. */
  source: 'repeats' | 'noise-model';
}

const Z95 = 1.959964;

/** The 95 % Wilson score interval of a proportion p observed over n trials. */
export function wilsonInterval(p: number, n: number, z: number = Z95): [number, number] {
  if (n <= 0) return [0, 1];
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** A single run's value with the interval its noise model gives it. */
export function noiseInterval(
  model: NoiseModel,
  t: MeasuredTopology,
  value: number,
): [number, number] {
  if (model.kind === 'relative') {
    const half = Math.max(model.abs, model.rel * Math.abs(value));
    return [value - half, value + half];
  }
  const [low, high] = wilsonInterval(Math.min(1, Math.max(0, value)), model.trials(t));
  const top = Math.max(1, value);
  return [
    Math.max(0, Math.min(low, value - model.abs)),
    Math.min(top, Math.max(high, value + model.abs)),
  ];
}

/** Reads answered with an X-Cache label (the denominator of the client-side hit ratios). */
export function labelledReads(t: MeasuredTopology): number {
  return Object.values(t.cacheResults).reduce<number>((sum, n) => sum + (n ?? 0), 0);
}

/** Reads that reached the shared tier: the denominator of the L2 hit ratio. */
export function l1MissedReads(t: MeasuredTopology): number {
  return labelledReads(t) - (t.cacheResults['HIT-L1'] ?? 0);
}

/** Whether two intervals leave no room for one common value: the change is real. */
export function disjoint(a: Estimate, b: Estimate): boolean {
  return b.low > a.high || b.high < a.low;
}
