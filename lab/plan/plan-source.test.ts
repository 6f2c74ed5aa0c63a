import { describe, expect, it } from 'vitest';
import { capacityResultsFixture, capacityStepFixture } from '../capacity/capacity-test-fixtures.ts';
import { isLabError } from '../lab-errors.ts';
import { windowCostSchema } from '../report/cost-schema.ts';
import { buildPlan } from './plan-command.ts';
import { parsePlanSource } from './plan-source.ts';

const cost = windowCostSchema.parse({
  source: 'proc',
  seconds: 3,
  requests: 5400,
  components: [],
  tiers: [
    { tier: 'nginx', cpuUsPerRequest: 25, memoryMB: 8 },
    { tier: 'app', cpuUsPerRequest: 200, memoryMB: 90 },
    { tier: 'postgres', cpuUsPerRequest: 150, memoryMB: 300 },
  ],
  totalCpuUsPerRequest: 375,
});

/** Capacity results whose `local` step at capacity carries the given figures. */
function capacityWith(figures: Record<string, unknown>) {
  const r = capacityResultsFixture();
  const local = r.topologies[0];
  if (local?.status !== 'ok') throw new Error('fixture changed');
  const atCapacity = { ...capacityStepFixture(1800, 30, true), cost, ...figures };
  return {
    ...r,
    topologies: [
      { ...local, steps: [capacityStepFixture(200, 4, true), atCapacity] },
      r.topologies[1],
    ],
  };
}

describe('plan from a capacity run', () => {
  it('plans from each topology’s step at capacity: its cost, DB queries and L1 hit ratio', () => {
    const json = capacityWith({ dbQueriesPerRequest: 0.3, l1HitRatio: 0.65, readShare: 0.95 });
    const source = parsePlanSource(json, 'capacity.json');
    expect(source).toMatchObject({ kind: 'capacity', keyCount: 20_000, workload: 'read-heavy' });
    expect(source.topologies).toEqual([
      {
        topology: 'local',
        cost: {
          topology: 'local',
          tierUs: { nginx: 25, app: 200, postgres: 150 },
          dbQueriesPerRequest: 0.3,
          l1HitRatio: 0.65,
          readShare: 0.95,
        },
      },
    ]);
    const plan = buildPlan(source, 'capacity.json', { rps: 10_000, servers: [3] });
    expect(plan.plans.map((p) => p.topology)).toEqual(['local']);
    expect(plan.plans[0]?.dbQueriesPerSec).toBeGreaterThan(0);
    expect(plan.assumptions.join(' ')).toMatch(/capacity run .* step at its capacity/);
  });

  it('skips a capacity run recorded before steps carried DB queries, saying why', () => {
    const source = parsePlanSource(capacityWith({}), 'old-capacity.json');
    expect(source.topologies[0]?.missing).toMatch(/no database queries recorded at 1800 req\/s/);
    let error: unknown;
    try {
      buildPlan(source, 'old-capacity.json', { rps: 10_000, servers: [3] });
    } catch (e) {
      error = e;
    }
    expect(isLabError(error) && error.code).toBe('USAGE');
  });

  it('refuses a file of neither kind with a usage error', () => {
    let error: unknown;
    try {
      parsePlanSource({ kind: 'something-else' }, 'x.json');
    } catch (e) {
      error = e;
    }
    expect(isLabError(error) && error.code).toBe('USAGE');
    expect(String(error)).toMatch(
      /neither a comparison’s nor a capacity run’s|neither a comparison's nor a capacity run's/,
    );
  });
});
