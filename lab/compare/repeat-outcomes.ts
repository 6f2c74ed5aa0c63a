import type { MeasuredTopology, TopologyOutcome } from '../report/results-types.ts';
import { DEFAULT_CONFIDENCE, summariseRuns } from './confidence.ts';
import { DIFF_METRICS } from './diff-results.ts';

/** Every figure `cachelab diff` compares, by its diff key: what a repeated run summarises. */
const FIGURES = Object.fromEntries(DIFF_METRICS.map((m) => [m.key, m.get]));

const unique = (items: readonly string[]): string[] => [...new Set(items)];

/** The run whose p50 is the median (the lower one of an even count). */
function medianRun(runs: readonly MeasuredTopology[]): MeasuredTopology {
  const sorted = [...runs].sort((a, b) => a.latencyMs.p50 - b.latencyMs.p50);
  const run = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!run) throw new RangeError('medianRun needs at least one run');
  return run;
}

/**
 * Folds the N runs of one topology into one outcome: the run with the median p50 as the record,
 * plus `repeat` with the median and 95 % order-statistic interval of every compared figure. It is
 * valid only when every measured run was; a failed repeat is left out and noted. A single outcome
 * is returned as it is; when no run was measured, the first failure.
 */
export function mergeRepeats(outcomes: readonly TopologyOutcome[]): TopologyOutcome {
  const first = outcomes[0];
  if (!first) throw new RangeError('mergeRepeats needs at least one outcome');
  if (outcomes.length === 1) return first;
  const measured = outcomes.filter((o): o is MeasuredTopology => o.status === 'ok');
  if (measured.length === 0) return first;
  const record = medianRun(measured);
  const failures = outcomes.filter((o) => o.status === 'failed');
  const warnings = failures.map((f) => `a repeat failed (${f.phase}): ${f.error}`);
  const invalid = measured.filter((m) => !m.valid);
  const merged = {
    ...record,
    valid: invalid.length === 0,
    invalidReasons: unique(invalid.flatMap((m) => m.invalidReasons)),
    warnings: unique([...record.warnings, ...warnings]),
  };
  // One measured run has no spread: diff then falls back to the noise model.
  if (measured.length === 1) return merged;
  return {
    ...merged,
    repeat: {
      runs: outcomes.length,
      measured: measured.length,
      confidence: DEFAULT_CONFIDENCE,
      method: 'order-statistic interval of the median',
      figures: summariseRuns(measured, FIGURES),
    },
  };
}
