import type { ScenarioRunRecord, ScenarioSecond } from '../../report/scenario-results-schema.ts';
import { failedIn } from '../../scenario/hypothesis.ts';

/** The failures the goal is checked after: a Redis kill, a Redis restart, a Cluster master failover. */
export const FAILURE_KINDS = ['redis-kill', 'redis-restart', 'cluster-failover'] as const;
/** One failure kind; each is the scenario of the same name in lab/scenario. */
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** What one run under steady load or through a failure measured. */
export interface RunFigures {
  topology: string;
  /** Reads the generator checked (every X-Cache outcome). */
  reads: number;
  /** Silent stale reads (an older version served as fresh): what the goals judge. */
  staleReads: number;
  /** Grace answers (X-Cache: STALE) older than an acknowledged write: declared, counted apart. */
  graceStaleReads: number;
  /** Longest time from a write's acknowledgement to the start of a read that missed it, ms. */
  maxStaleWindowMs: number;
  completed: boolean;
  error: string | null;
}

/** A failure run's figures, on the load's clock (seconds from its start). */
export interface RecoveryFigures extends RunFigures {
  failure: FailureKind;
  /** When the first action started. */
  failedAtSec: number | null;
  /**
   * When the cache tier answered again: the end of the action that restarted it; after a failover,
   * the earliest moment it can have (the start of the last second of the first stretch in which
   * more than 10 % of reads bypassed it); null when that stretch lasts to the end of the run.
   */
  cacheBackSec: number | null;
  /** End of the last second (after the failure) with a stale read: the latest it can have started. */
  latestStaleSec: number | null;
  /**
   * Upper bound of how long after the cache answered again the last stale read started
   * (latestStaleSec − cacheBackSec, 1-second resolution); null without a stale read after the failure.
   */
  latestStaleAfterBackSec: number | null;
  /** Each second of the run: reads, reads that bypassed the cache, stale reads, failed requests. */
  seconds: { t: number; reads: number; bypass: number; stale: number; failed: number }[];
}

/** Reads of one second, whatever tier answered. */
export function readsIn(second: Pick<ScenarioSecond, 'reads'>): number {
  const { l1, l2, miss, bypass } = second.reads;
  return l1 + l2 + miss + bypass;
}

/** Reads, stale reads and the longest stale window of any run. */
export function runFiguresOf(run: ScenarioRunRecord): RunFigures {
  return {
    topology: run.topology,
    reads: run.series.reduce((sum, s) => sum + readsIn(s), 0),
    staleReads: run.series.reduce((sum, s) => sum + s.staleReads, 0),
    graceStaleReads: run.figures?.graceStaleReads ?? 0,
    maxStaleWindowMs: run.figures?.maxStaleWindowMs ?? 0,
    completed: run.status === 'completed',
    error: run.error,
  };
}

type Timing = Pick<ScenarioRunRecord, 'series' | 'events'>;

/** A second in which at most this share of reads bypassed the cache counts as answered. */
export const ANSWERED_BYPASS_SHARE = 0.1;

const bypassShare = (s: ScenarioSecond): number => s.reads.bypass / Math.max(1, readsIn(s));

/**
 * When the cache tier answered again after the first action: the end of the last action that
 * restarted it (the process layer returns once it answers); else (a failover) the start of the last
 * second of the first stretch in which more than 10 % of reads bypassed it (stragglers that
 * reconnect late do not move it); the last action's end when no such second came; null when that
 * stretch lasts to the end of the run.
 */
export function cacheBackSecOf(run: Timing): number | null {
  const actions = run.events.filter((e) => e.phase === 'action');
  const first = actions[0];
  if (first === undefined) return null;
  const restarted = actions.filter((e) => e.kind === 'restart' && e.ok).at(-1);
  if (restarted !== undefined) return restarted.endedSec;
  const after = run.series.filter((s) => s.t + 1 > first.startedSec);
  const outage = after.findIndex((s) => bypassShare(s) > ANSWERED_BYPASS_SHARE);
  if (outage === -1) return Math.max(...actions.map((e) => e.endedSec));
  const back = after.slice(outage).find((s) => bypassShare(s) <= ANSWERED_BYPASS_SHARE);
  return back === undefined ? null : back.t - 1;
}

/** End of the last second after the first action with a stale read (null: none). */
export function latestStaleSecOf(run: Timing): number | null {
  const first = run.events.find((e) => e.phase === 'action');
  if (first === undefined) return null;
  const stale = run.series.filter((s) => s.t + 1 > first.startedSec && s.staleReads > 0);
  const last = stale.at(-1);
  return last === undefined ? null : last.t + 1;
}

/** Every figure of one failure run. */
export function recoveryFiguresOf(run: ScenarioRunRecord, failure: FailureKind): RecoveryFigures {
  const cacheBackSec = cacheBackSecOf(run);
  const latestStaleSec = latestStaleSecOf(run);
  const failedAtSec = run.events.find((e) => e.phase === 'action')?.startedSec ?? null;
  const latestStaleAfterBackSec =
    latestStaleSec === null || cacheBackSec === null ? null : latestStaleSec - cacheBackSec;
  return {
    ...runFiguresOf(run),
    failure,
    failedAtSec,
    cacheBackSec,
    latestStaleSec,
    latestStaleAfterBackSec,
    seconds: run.series.map((s) => ({
      t: s.t,
      reads: readsIn(s),
      bypass: s.reads.bypass,
      stale: s.staleReads,
      failed: failedIn(s),
    })),
  };
}
