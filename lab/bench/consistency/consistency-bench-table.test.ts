import { describe, expect, it } from 'vitest';
import { consistencyGoalsSummary, consistencyGoalsTable } from './consistency-bench-table.ts';
import { evaluateMode, sumSteady } from './consistency-goals.ts';

const base = {
  topology: 'global',
  maxStaleWindowMs: 0,
  graceStaleReads: 0,
  completed: true,
  error: null,
};

describe('consistency goals printout', () => {
  it('prints one line per steady topology and per failure run, then each goal with its reasons', () => {
    const steady = [sumSteady('global', [{ ...base, reads: 120_000, staleReads: 0 }])];
    const recovery = [
      {
        ...base,
        reads: 5_000,
        staleReads: 3,
        graceStaleReads: 4,
        maxStaleWindowMs: 1_332.4,
        failure: 'redis-kill' as const,
        failedAtSec: 8.01,
        cacheBackSec: 13,
        latestStaleSec: 15,
        latestStaleAfterBackSec: 2,
        seconds: [],
      },
    ];
    const modes = [evaluateMode('delete', ['global'], steady, recovery)];
    const table = consistencyGoalsTable(modes);
    expect(table.split('\n')[0]).toMatch(
      /^MODE\s+LOAD\s+TOPOLOGY\s+READS\s+STALE\s+GRACE STALE\s+LONGEST STALE\s+CACHE BACK AT\s+LATEST STALE AFTER BACK\s+RUN$/,
    );
    expect(table).toMatch(/delete\s+steady write-heavy\s+global\s+120000\s+0\s+0\s+0 ms/);
    expect(table).toMatch(
      /delete\s+redis-kill\s+global\s+5000\s+3\s+4\s+1332 ms\s+13\.0 s \(failed at 8\.0 s\)\s+2\.0 s/,
    );
    const summary = consistencyGoalsSummary(modes, 100_000);
    expect(summary).toContain('PASS  delete: zero stale reads over ≥ 100000 steady reads');
    expect(summary).toContain('FAIL  delete: no stale read > 1 s after the cache answers again');
    expect(summary).toContain(
      'redis-kill on global: stale read up to 2.0 s after the cache answered again',
    );
  });
});
