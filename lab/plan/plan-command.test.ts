import { describe, expect, it } from 'vitest';
import { isLabError } from '../lab-errors.ts';
import { windowCostSchema } from '../report/cost-schema.ts';
import { measuredFixture, resultsFixture } from '../report/test-fixtures.ts';
import { buildPlan, formatPlan } from './plan-command.ts';
import { planReportModel } from './plan-report.ts';

const cost = (tiers: [string, number][]) =>
  windowCostSchema.parse({
    source: 'proc',
    seconds: 8,
    requests: 1200,
    components: [],
    tiers: tiers.map(([tier, us]) => ({ tier, cpuUsPerRequest: us, memoryMB: 10 })),
    totalCpuUsPerRequest: tiers.reduce((s, [, us]) => s + us, 0),
  });

describe('buildPlan', () => {
  const source = resultsFixture([
    measuredFixture('no-cache', {
      cost: cost([
        ['generator', 60],
        ['nginx', 25],
        ['app', 300],
        ['postgres', 700],
      ]),
      dbQueriesPerRequest: 0.95,
      hitRatio: { overall: null, l1: null, l2: null },
    }),
    measuredFixture('global', {
      cost: cost([
        ['generator', 60],
        ['nginx', 25],
        ['app', 250],
        ['redis', 40],
        ['postgres', 350],
      ]),
      dbQueriesPerRequest: 0.47,
      hitRatio: { overall: 0.5, l1: null, l2: 0.5 },
    }),
    measuredFixture('local'),
  ]);

  it('plans each costed topology per fleet size from simulated hit ratios, and lists its assumptions', () => {
    const plan = buildPlan(source, 'results.json', { rps: 100_000, servers: [3] });
    expect(plan.plans.map((p) => p.topology)).toEqual(['no-cache', 'global']);
    const [none, global] = plan.plans;
    expect(none?.dbQueriesPerSec).toBeGreaterThan(90_000);
    expect(none?.redisNodes).toBe(0);
    expect(global?.redisNodes).toBeGreaterThanOrEqual(1);
    expect(global?.hitRatio).toBeGreaterThan(0.5);
    expect(global?.dbQueriesPerSec).toBeLessThan(none?.dbQueriesPerSec ?? 0);
    expect(global?.cores.postgres).toBeLessThan(none?.cores.postgres ?? 0);
    expect(plan.skipped).toEqual(['local: no CPU cost in results.json']);
    expect(plan.assumptions.join(' ')).toMatch(/simulator/);
    expect(formatPlan(plan)).toMatch(/an extrapolation/);
    expect(planReportModel(plan).charts[0]?.stacked).toBe(true);
  });

  it('refuses a results file without cost figures, saying so', () => {
    const bare = resultsFixture([measuredFixture('local')]);
    let error: unknown;
    try {
      buildPlan(bare, 'old.json', { rps: 1000, servers: [3] });
    } catch (e) {
      error = e;
    }
    expect(isLabError(error) && error.code).toBe('USAGE');
    expect(String(error)).toMatch(/old.json has no measured topology with CPU cost/);
  });
});
