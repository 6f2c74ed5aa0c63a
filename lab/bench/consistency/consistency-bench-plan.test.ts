import { describe, expect, it } from 'vitest';
import {
  defaultConsistencyBenchOptions,
  MAX_RUN_SEC,
  planConsistencyBench,
  steadyRunSeconds,
} from './consistency-bench-plan.ts';

describe('consistency bench plan', () => {
  it('gives 100,000 write-heavy reads (70 % of requests) a few percent of margin, in runs of ≤ 600 s', () => {
    const runs = steadyRunSeconds(100_000, 400);
    expect(runs).toEqual([368]);
    expect(runs[0] ?? 0).toBeGreaterThanOrEqual(100_000 / (400 * 0.7));
    const slow = steadyRunSeconds(100_000, 150);
    expect(slow.length).toBe(2);
    expect(slow.every((sec) => sec <= MAX_RUN_SEC)).toBe(true);
    expect(slow.reduce((a, b) => a + b, 0) * 150 * 0.7).toBeGreaterThanOrEqual(100_000);
  });

  it('runs each failure only where it applies, with the catalog’s timeline under write-heavy load', () => {
    const plan = planConsistencyBench(defaultConsistencyBenchOptions());
    const byName = new Map(plan.items.map((i) => [i.scenario.name, i]));
    expect(byName.get('consistency-steady-1')?.topologies).toEqual([
      'global',
      'global-cluster',
      'global-sharded',
      'two-tier',
    ]);
    expect(byName.get('redis-kill')?.topologies).toEqual(['global', 'two-tier']);
    expect(byName.get('redis-restart')?.topologies).toEqual(['global', 'two-tier']);
    expect(byName.get('cluster-failover')?.topologies).toEqual(['global-cluster']);
    const kill = byName.get('redis-kill')?.scenario;
    expect(kill?.load).toMatchObject({ workload: 'write-heavy', rate: 400 });
    expect(kill?.timeline.map((s) => s.action.kind)).toEqual(['kill', 'restart']);
    expect(plan.skipped).toEqual([]);
  });

  it('names a failure that applies to none of the topologies, and refuses a local topology', () => {
    const options = { ...defaultConsistencyBenchOptions(), topologies: ['global-sharded'] };
    expect(planConsistencyBench(options).skipped.map((s) => s.failure)).toEqual([
      'redis-kill',
      'redis-restart',
      'cluster-failover',
    ]);
    expect(() =>
      planConsistencyBench({ ...defaultConsistencyBenchOptions(), topologies: ['local'] }),
    ).toThrow(/local has no shared cache tier/);
    expect(() =>
      planConsistencyBench({ ...defaultConsistencyBenchOptions(), topologies: ['nope'] }),
    ).toThrow(/nope/);
  });
});
