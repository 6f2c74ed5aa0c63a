import { DEFAULT_CONFIDENCE, type MedianInterval, summariseRuns } from '../compare/confidence.ts';
import type { CapacityStep } from './capacity-step.ts';

/** The shape of a searched topology this module needs (capacity-run's SearchedTopology). */
interface Searched {
  status: 'ok';
  maxSustainableRps: number | null;
  steps: CapacityStep[];
  warnings: string[];
}

/** A topology searched `--repeat N` times: medians and 95 % intervals of its capacity figures. */
export interface CapacityRepeat {
  /** Searches asked for. */
  runs: number;
  /** Searches that completed (a failed one is left out and noted in the warnings). */
  measured: number;
  confidence: number;
  method: 'order-statistic interval of the median';
  /** Each completed search's maximum sustainable rate, in run order (null: below the first step). */
  maxSustainableRps: (number | null)[];
  /** maxSustainableRps, p50Ms / p99Ms and cpuUsPerRequest at capacity, over the searches. */
  figures: Record<string, MedianInterval>;
}

const atCapacity = (t: Searched): CapacityStep | undefined =>
  t.steps.find((s) => s.ok && s.rate === t.maxSustainableRps);

/** The figures a repeated capacity search summarises, each read from one search. */
export const CAPACITY_FIGURES: Readonly<Record<string, (t: Searched) => number | null>> = {
  maxSustainableRps: (t) => t.maxSustainableRps,
  p50Ms: (t) => atCapacity(t)?.latencyMs.p50 ?? null,
  p99Ms: (t) => atCapacity(t)?.latencyMs.p99 ?? null,
  cpuUsPerRequest: (t) => atCapacity(t)?.cost?.totalCpuUsPerRequest ?? null,
};

/** The search with the median capacity (the lower one of an even count; none counts as 0). */
function medianSearch<T extends Searched>(runs: readonly T[]): T {
  const sorted = [...runs].sort((a, b) => (a.maxSustainableRps ?? 0) - (b.maxSustainableRps ?? 0));
  const run = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!run) throw new RangeError('medianSearch needs at least one search');
  return run;
}

/**
 * Folds N searches of one topology into one: the search with the median capacity is the record
 * (its steps draw the curve), and `repeat` holds the median and order-statistic interval of each
 * capacity figure. A single outcome is returned as it is; when none completed, the first failure.
 */
export function mergeCapacityRepeats<
  T extends Searched & { repeat?: CapacityRepeat },
  F extends { status: 'failed' },
>(outcomes: readonly (T | F)[], describe: (failure: F) => string): T | F {
  const first = outcomes[0];
  if (!first) throw new RangeError('mergeCapacityRepeats needs at least one outcome');
  if (outcomes.length === 1) return first;
  const searched = outcomes.filter((o): o is T => o.status === 'ok');
  if (searched.length === 0) return first;
  const failed = outcomes.filter((o): o is F => o.status === 'failed');
  const record = medianSearch(searched);
  return {
    ...record,
    warnings: [...record.warnings, ...failed.map((f) => `a repeat failed: ${describe(f)}`)],
    repeat: {
      runs: outcomes.length,
      measured: searched.length,
      confidence: DEFAULT_CONFIDENCE,
      method: 'order-statistic interval of the median',
      maxSustainableRps: searched.map((s) => s.maxSustainableRps),
      figures: summariseRuns(searched, CAPACITY_FIGURES),
    },
  };
}
