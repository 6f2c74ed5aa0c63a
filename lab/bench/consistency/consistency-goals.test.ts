import { describe, expect, it } from 'vitest';
import {
  evaluateMode,
  evaluateRecovery,
  evaluateSteady,
  GOAL_READS,
  sumSteady,
} from './consistency-goals.ts';
import type { RecoveryFigures, RunFigures } from './recovery-figures.ts';

const chunk = (o: Partial<RunFigures> = {}): RunFigures => ({
  topology: 'global',
  reads: 60_000,
  staleReads: 0,
  graceStaleReads: 0,
  maxStaleWindowMs: 0,
  completed: true,
  error: null,
  ...o,
});

const recovery = (o: Partial<RecoveryFigures> = {}): RecoveryFigures => ({
  ...chunk({ reads: 5_000 }),
  failure: 'redis-kill',
  failedAtSec: 8,
  cacheBackSec: 13,
  latestStaleSec: null,
  latestStaleAfterBackSec: null,
  seconds: [],
  ...o,
});

describe('steady goal', () => {
  it('sums a topology’s chunks: reads and stale reads add up, the longest window wins', () => {
    const s = sumSteady('global', [chunk({ maxStaleWindowMs: 12 }), chunk({ staleReads: 2 })]);
    expect(s).toEqual({
      topology: 'global',
      reads: 120_000,
      staleReads: 2,
      graceStaleReads: 0,
      maxStaleWindowMs: 12,
      completed: true,
      error: null,
      runs: 2,
    });
    expect(
      sumSteady('global', [chunk(), chunk({ completed: false, error: 'down' })]),
    ).toMatchObject({ completed: false, error: 'down' });
  });

  it('passes with zero stale reads over ≥ 100,000 reads in every topology asked for', () => {
    const steady = ['global', 'two-tier'].map((t) => sumSteady(t, [chunk(), chunk()]));
    expect(evaluateSteady(['global', 'two-tier'], steady)).toEqual({
      pass: true,
      details: [
        'global: 0 stale reads over 120000 reads',
        'two-tier: 0 stale reads over 120000 reads',
      ],
    });
  });

  it('fails on one stale read, too few reads, a failed run, or a topology that did not run', () => {
    const stale = [sumSteady('global', [chunk({ reads: 200_000, staleReads: 1 })])];
    expect(evaluateSteady(['global'], stale).pass).toBe(false);
    const short = [sumSteady('global', [chunk({ reads: GOAL_READS - 1 })])];
    expect(evaluateSteady(['global'], short).details).toEqual([
      `global: only ${GOAL_READS - 1} reads (< ${GOAL_READS}): not shown`,
    ]);
    const failed = [sumSteady('global', [chunk({ reads: 200_000, completed: false })])];
    expect(evaluateSteady(['global'], failed).pass).toBe(false);
    const missing = evaluateSteady(
      ['global', 'two-tier'],
      [sumSteady('global', [chunk(), chunk()])],
    );
    expect(missing).toEqual({
      pass: false,
      details: ['global: 0 stale reads over 120000 reads', 'two-tier: not run'],
    });
    expect(evaluateSteady([], []).pass).toBe(false);
  });

  it('takes the read target it is given (a shortened run)', () => {
    const s = [sumSteady('global', [chunk({ reads: 5_000 })])];
    expect(evaluateSteady(['global'], s, 5_000).pass).toBe(true);
  });
});

describe('recovery goal', () => {
  it('passes when no stale read started more than 1 s after the cache answered again', () => {
    const runs = [
      recovery(),
      recovery({ failure: 'redis-restart', latestStaleSec: 14, latestStaleAfterBackSec: 1 }),
      recovery({ failure: 'cluster-failover', latestStaleSec: 10, latestStaleAfterBackSec: -3 }),
    ];
    expect(evaluateRecovery(runs)).toEqual({
      pass: true,
      details: [
        'redis-kill on global: no stale read after the failure',
        'redis-restart on global: latest stale read ≤ 1.0 s after the cache answered again',
        'cluster-failover on global: latest stale read ≤ -3.0 s after the cache answered again',
      ],
    });
  });

  it('fails on a later stale read, a cache that never came back, a failed run, or no run', () => {
    const late = recovery({ staleReads: 9, latestStaleSec: 16, latestStaleAfterBackSec: 3 });
    expect(evaluateRecovery([late])).toEqual({
      pass: false,
      details: [
        'redis-kill on global: stale read up to 3.0 s after the cache answered again (9 stale)',
      ],
    });
    expect(evaluateRecovery([recovery({ cacheBackSec: null })]).details).toEqual([
      'redis-kill on global: the cache never answered again during the run',
    ]);
    expect(evaluateRecovery([recovery({ completed: false, error: 'x' })]).pass).toBe(false);
    expect(evaluateRecovery([])).toEqual({ pass: false, details: ['no failure run'] });
  });

  it('evaluates both goals of a mode side by side', () => {
    const goals = evaluateMode(
      'delete',
      ['global'],
      [sumSteady('global', [chunk(), chunk()])],
      [recovery({ latestStaleSec: 17, latestStaleAfterBackSec: 4, staleReads: 3 })],
    );
    expect(goals.goals.steady.pass).toBe(true);
    expect(goals.goals.recovery.pass).toBe(false);
  });
});
