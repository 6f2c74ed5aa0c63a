import { assembleRunResult } from '../../../../loadtests/result-assembly.ts';
import type { RunResult } from '../../../../loadtests/result-types.ts';
import type { ResolvedOptions } from '../../../../loadtests/runner/options.ts';
import { measurementsOf, settingsOf } from '../../../../loadtests/runner/run-load.ts';
import type { ShareResult } from '../../../../loadtests/runner/share-run.ts';

/**
 * One RunResult from the shares of a distributed run, merged as the runner merges its threads
 * (HdrHistograms and counters added: exact). The generators' CPU is not known across hosts.
 */
export function mergeShareResults(o: ResolvedOptions, shares: readonly ShareResult[]): RunResult {
  const startedAt = shares.map((s) => s.startedAt).sort()[0] ?? new Date().toISOString();
  return assembleRunResult(settingsOf(o, startedAt), measurementsOf(o, [...shares]), o.maxLagP99Ms);
}
