import { describe, expect, it } from 'vitest';
import type { ScenarioRunRecord } from '../../report/scenario-results-schema.ts';
import {
  cacheBackSecOf,
  latestStaleSecOf,
  readsIn,
  recoveryFiguresOf,
  runFiguresOf,
} from './recovery-figures.ts';

type Second = ScenarioRunRecord['series'][number];
type Event = ScenarioRunRecord['events'][number];

/** A second with `reads` misses, `bypass` bypassed reads and `stale` stale reads. */
function second(t: number, o: { reads?: number; bypass?: number; stale?: number } = {}): Second {
  return {
    t,
    offered: 10,
    sent: 10,
    ok: 10,
    errors: { timeout: 0, connection: 0, http4xx: 0, http5xx: 0, other: 0 },
    p50Ms: 1,
    p99Ms: 2,
    hitRatio: null,
    reads: { l1: 0, l2: 0, miss: o.reads ?? 7, bypass: o.bypass ?? 0 },
    dbQps: null,
    redisOps: {},
    staleReads: o.stale ?? 0,
    holds: true,
  };
}

function action(startedSec: number, endedSec: number, kind = 'cluster-failover'): Event {
  const base = { phase: 'action' as const, kind, description: kind };
  return { ...base, atSec: Math.floor(startedSec), startedSec, endedSec, ok: true, detail: '' };
}

/** A run record carrying only what the figures read. */
function run(series: Second[], events: Event[], extra: Partial<ScenarioRunRecord> = {}) {
  return {
    scenario: 'redis-kill',
    topology: 'global',
    status: 'completed',
    error: null,
    figures: { maxStaleWindowMs: 420 },
    series,
    events,
    ...extra,
  } as unknown as ScenarioRunRecord;
}

const seconds = (n: number, at: Record<number, Parameters<typeof second>[1]> = {}) =>
  Array.from({ length: n }, (_, t) => second(t, at[t]));

describe('the moment the cache answered again', () => {
  it('is the end of the action that restarted the cache, even while some reads still bypass it', () => {
    const at = { 8: { bypass: 9 }, 12: { bypass: 9 }, 13: { bypass: 4 }, 15: { bypass: 2 } };
    const r = run(seconds(16, at), [action(8, 8.1, 'kill'), action(13, 13.4, 'restart')]);
    expect(cacheBackSecOf(r)).toBe(13.4);
    const failed = { ...action(13, 13.4, 'restart'), ok: false };
    expect(cacheBackSecOf(run(seconds(16, at), [action(8, 8.1, 'kill'), failed]))).toBe(8);
  });

  it('after a failover, is the start of the last second of the first stretch in which reads bypassed the cache', () => {
    const r = run(seconds(12, { 8: { bypass: 3 }, 9: { bypass: 5 }, 10: { bypass: 1 } }), [
      action(8.02, 8.05),
    ]);
    expect(cacheBackSecOf(r)).toBe(10);
  });

  it('is not moved by a later stretch of bypassed reads (timeouts once the cache is back)', () => {
    const at = { 8: { bypass: 3 }, 9: { bypass: 5 }, 12: { bypass: 2 }, 13: { bypass: 1 } };
    expect(cacheBackSecOf(run(seconds(14, at), [action(8, 8.1)]))).toBe(9);
  });

  it('counts a second in which at most 10 % of reads bypassed as answered (late reconnects)', () => {
    const busy = { reads: 90, bypass: 10 };
    const at = { 8: { bypass: 30 }, 9: { bypass: 40 }, 10: busy, 11: busy, 12: { bypass: 1 } };
    expect(cacheBackSecOf(run(seconds(13, at), [action(8, 8.1)]))).toBe(9);
  });

  it('ignores bypassed reads before the failure, and is the last action’s end when none bypassed after', () => {
    const r = run(seconds(12, { 2: { bypass: 4 } }), [action(8.1, 8.2), action(9, 9.6)]);
    expect(cacheBackSecOf(r)).toBe(9.6);
  });

  it('is null when reads bypass the cache from the failure to the end of the run, or without an action', () => {
    const at = { 8: { bypass: 1 }, 9: { bypass: 1 } };
    expect(cacheBackSecOf(run(seconds(10, at), [action(8, 8.1)]))).toBeNull();
    expect(cacheBackSecOf(run(seconds(10), []))).toBeNull();
  });
});

describe('the latest stale read after the failure', () => {
  it('is the end of the last second with a stale read, from the failure’s second on', () => {
    const r = run(seconds(14, { 3: { stale: 1 }, 9: { stale: 2 }, 11: { stale: 1 } }), [
      action(8.5, 8.6),
    ]);
    expect(latestStaleSecOf(r)).toBe(12);
  });

  it('is null when every stale read came before the failure', () => {
    expect(latestStaleSecOf(run(seconds(14, { 3: { stale: 1 } }), [action(8, 8.1)]))).toBeNull();
  });
});

describe('recovery figures', () => {
  it('give an upper bound of the stale reads’ lag behind the cache’s return', () => {
    const series = seconds(18, { 8: { bypass: 2 }, 9: { bypass: 1 }, 11: { stale: 2 } });
    const figures = recoveryFiguresOf(run(series, [action(8, 8.1)]), 'redis-kill');
    expect(figures).toMatchObject({
      failure: 'redis-kill',
      failedAtSec: 8,
      cacheBackSec: 9,
      latestStaleSec: 12,
      latestStaleAfterBackSec: 3,
      staleReads: 2,
      maxStaleWindowMs: 420,
      completed: true,
    });
    expect(figures.reads).toBe(18 * 7 + 3);
  });

  it('a stale read only before the cache returned gives a negative lag; none gives null', () => {
    const before = seconds(14, { 7: { stale: 1 }, 8: { bypass: 2 }, 9: { bypass: 1 } });
    expect(recoveryFiguresOf(run(before, [action(7.5, 7.6)]), 'redis-kill')).toMatchObject({
      cacheBackSec: 9,
      latestStaleSec: 8,
      latestStaleAfterBackSec: -1,
    });
    const none = recoveryFiguresOf(run(seconds(14), [action(8, 8.3)]), 'cluster-failover');
    expect(none.latestStaleAfterBackSec).toBeNull();
    expect(none.cacheBackSec).toBe(8.3);
    expect(none.seconds[3]).toEqual({ t: 3, reads: 7, bypass: 0, stale: 0, failed: 0 });
  });
});

describe('run figures', () => {
  it('count every read whatever answered it, and carry a failed run’s error', () => {
    expect(readsIn({ reads: { l1: 1, l2: 2, miss: 3, bypass: 4 } })).toBe(10);
    const failed = run(seconds(2), [], { status: 'failed', error: 'boom', figures: null });
    expect(runFiguresOf(failed)).toEqual({
      topology: 'global',
      reads: 14,
      staleReads: 0,
      graceStaleReads: 0,
      maxStaleWindowMs: 0,
      completed: false,
      error: 'boom',
    });
  });
});
