import type { RecoveryFigures, RunFigures } from './recovery-figures.ts';

/** Goal (a): reads of steady write-heavy load per shared-cache topology, with no stale read. */
export const GOAL_READS = 100_000;
/** Goal (b): no stale read later than this after the cache tier answers again, seconds. */
export const GOAL_STALE_AFTER_BACK_SEC = 1;

/** A topology's steady run(s): the figures summed over its chunks. */
export interface SteadyFigures extends RunFigures {
  /** Load runs the reads were split into (each at most the scenario engine's 600 s). */
  runs: number;
}

/** One goal's outcome for one mode. */
export interface GoalOutcome {
  pass: boolean;
  /** Why, per topology (and failure), in words. */
  details: string[];
}

/** What one consistency mode achieved. */
export interface ModeGoals {
  mode: string;
  steady: SteadyFigures[];
  recovery: RecoveryFigures[];
  goals: { steady: GoalOutcome; recovery: GoalOutcome };
}

/** Sums the chunks of one topology's steady load into one line. */
export function sumSteady(topology: string, chunks: readonly RunFigures[]): SteadyFigures {
  const failed = chunks.find((c) => !c.completed);
  return {
    topology,
    reads: chunks.reduce((sum, c) => sum + c.reads, 0),
    staleReads: chunks.reduce((sum, c) => sum + c.staleReads, 0),
    graceStaleReads: chunks.reduce((sum, c) => sum + c.graceStaleReads, 0),
    maxStaleWindowMs: Math.max(0, ...chunks.map((c) => c.maxStaleWindowMs)),
    completed: chunks.length > 0 && failed === undefined,
    error: failed?.error ?? null,
    runs: chunks.length,
  };
}

function steadyProblem(s: SteadyFigures, minReads: number): string | undefined {
  if (!s.completed) return `run failed: ${s.error ?? 'unknown error'}`;
  if (s.staleReads > 0) return `${s.staleReads} stale read(s)`;
  if (s.reads < minReads) return `only ${s.reads} reads (< ${minReads}): not shown`;
  return undefined;
}

/**
 * Goal (a): every topology asked for ran to completion with at least `minReads` reads and no stale
 * read; a topology that did not run at all fails the goal.
 */
export function evaluateSteady(
  topologies: readonly string[],
  steady: readonly SteadyFigures[],
  minReads = GOAL_READS,
): GoalOutcome {
  const details = topologies.map((topology) => {
    const s = steady.find((x) => x.topology === topology);
    if (s === undefined) return `${topology}: not run`;
    const problem = steadyProblem(s, minReads);
    return `${topology}: ${problem ?? `0 stale reads over ${s.reads} reads`}`;
  });
  const pass =
    topologies.length > 0 &&
    topologies.every((topology) => {
      const s = steady.find((x) => x.topology === topology);
      return s !== undefined && steadyProblem(s, minReads) === undefined;
    });
  return { pass, details };
}

function recoveryProblem(r: RecoveryFigures, limitSec: number): string | undefined {
  if (!r.completed) return `run failed: ${r.error ?? 'unknown error'}`;
  if (r.cacheBackSec === null) return 'the cache never answered again during the run';
  const after = r.latestStaleAfterBackSec;
  if (after !== null && after > limitSec) {
    return `stale read up to ${after.toFixed(1)} s after the cache answered again (${r.staleReads} stale)`;
  }
  return undefined;
}

function recoveryLine(r: RecoveryFigures, limitSec: number): string {
  const label = `${r.failure} on ${r.topology}`;
  const problem = recoveryProblem(r, limitSec);
  if (problem !== undefined) return `${label}: ${problem}`;
  const after = r.latestStaleAfterBackSec;
  const latest =
    after === null
      ? 'no stale read after the failure'
      : `latest stale read ≤ ${after.toFixed(1)} s after the cache answered again`;
  return `${label}: ${latest}`;
}

/**
 * Goal (b): every failure run completed, the cache answered again, and no stale read started more
 * than `limitSec` after it did (at the runner's 1-second resolution, an upper bound). No run: fails.
 */
export function evaluateRecovery(
  recovery: readonly RecoveryFigures[],
  limitSec = GOAL_STALE_AFTER_BACK_SEC,
): GoalOutcome {
  return {
    pass: recovery.length > 0 && recovery.every((r) => recoveryProblem(r, limitSec) === undefined),
    details:
      recovery.length === 0 ? ['no failure run'] : recovery.map((r) => recoveryLine(r, limitSec)),
  };
}

/** Both goals of one mode. */
export function evaluateMode(
  mode: string,
  topologies: readonly string[],
  steady: SteadyFigures[],
  recovery: RecoveryFigures[],
  minReads = GOAL_READS,
): ModeGoals {
  return {
    mode,
    steady,
    recovery,
    goals: {
      steady: evaluateSteady(topologies, steady, minReads),
      recovery: evaluateRecovery(recovery),
    },
  };
}
