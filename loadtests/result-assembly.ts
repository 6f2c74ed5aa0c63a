// Validity and assembly of a RunResult. No imports at run time: shared by the Node runner and k6.
import type { RunResult } from './result-types.ts';

/** Most scheduled starts a valid run may drop. */
export const MAX_DROPPED_FRACTION = 0.01;
/** Least achieved/offered ratio of a valid run. */
export const MIN_ACHIEVED_FRACTION = 0.95;

/** Busiest generator event loop's utilization above which its window is invalid (saturated). */
export const MAX_GENERATOR_LOOP_UTILIZATION = 0.9;

/** Below this many cores per thread, a busy generator loop was starved rather than saturated. */
export const STARVED_CORES_PER_THREAD = 0.5;

/** The fields of a RunResult that decide whether the generator kept up. */
export type GeneratorFigures = Pick<
  RunResult,
  'requests' | 'offeredRps' | 'achievedRps' | 'schedulingLagMs' | 'generatorCpu'
>;

/** Why a run cannot be trusted as a measurement of the system (empty when it can). */
export function invalidReasonsOf(
  r: GeneratorFigures,
  maxLagP99Ms = Number.POSITIVE_INFINITY,
): string[] {
  const reasons: string[] = [];
  const { scheduled, dropped } = r.requests;
  if (scheduled === 0) reasons.push('no request was scheduled in the measured window');
  if (scheduled > 0 && dropped / scheduled > MAX_DROPPED_FRACTION) {
    const pct = ((dropped / scheduled) * 100).toFixed(2);
    reasons.push(`dropped ${pct}% of scheduled starts (limit ${MAX_DROPPED_FRACTION * 100}%)`);
  }
  if (r.achievedRps < r.offeredRps * MIN_ACHIEVED_FRACTION) {
    reasons.push(
      `achieved ${r.achievedRps.toFixed(1)}/s < ${MIN_ACHIEVED_FRACTION * 100}% of offered ${r.offeredRps}/s`,
    );
  }
  const lag = r.schedulingLagMs;
  if (lag && lag.p99 > maxLagP99Ms) {
    reasons.push(`scheduling lag p99 ${lag.p99.toFixed(2)} ms > ${maxLagP99Ms} ms`);
  }
  const cpu = r.generatorCpu;
  if (cpu && cpu.maxEventLoopUtilization > MAX_GENERATOR_LOOP_UTILIZATION) {
    const busy = `its busiest event loop was busy ${(cpu.maxEventLoopUtilization * 100).toFixed(0)}% of the window`;
    const limit = `limit ${MAX_GENERATOR_LOOP_UTILIZATION * 100}%, ${cpu.workers} thread(s), ${cpu.coresUsed.toFixed(2)} cores`;
    // A loop busy while its process got little CPU was starved by other processes, not by its own work.
    const starved = cpu.coresUsed < STARVED_CORES_PER_THREAD * cpu.workers;
    reasons.push(
      starved
        ? `generator CPU-starved (the machine is overloaded): ${busy} (${limit})`
        : `generator CPU saturated: ${busy} (${limit})`,
    );
  }
  return reasons;
}

/** What a generator knows before it starts. */
export type RunSettings = Pick<
  RunResult,
  | 'generator'
  | 'topology'
  | 'workload'
  | 'startedAt'
  | 'durationSec'
  | 'warmupSec'
  | 'keyCount'
  | 'seed'
  | 'offeredRps'
  | 'maxInFlight'
  | 'timeoutMs'
>;

/** What a generator measured; validity and throughput are derived from it. */
export type RunMeasurements = Omit<
  RunResult,
  keyof RunSettings | 'schemaVersion' | 'throughputRps' | 'valid' | 'invalidReasons'
>;

/** Puts a RunResult together and judges whether the generator kept up. */
export function assembleRunResult(
  settings: RunSettings,
  measured: RunMeasurements,
  maxLagP99Ms?: number,
): RunResult {
  const reasons = invalidReasonsOf({ ...measured, offeredRps: settings.offeredRps }, maxLagP99Ms);
  return {
    schemaVersion: 1,
    ...settings,
    ...measured,
    throughputRps: measured.requests.completed / settings.durationSec,
    valid: reasons.length === 0,
    invalidReasons: reasons,
  };
}
