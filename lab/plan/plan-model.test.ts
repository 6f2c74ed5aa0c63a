import { describe, expect, it } from 'vitest';
import { planTopology, simLayoutOf } from './plan-model.ts';

const measured = {
  topology: 'two-tier',
  tierUs: { generator: 50, nginx: 20, app: 200, redis: 30, postgres: 400 },
  dbQueriesPerRequest: 0.4,
  l1HitRatio: 0.4,
  readShare: 0.95,
};

describe('planTopology', () => {
  it('scales Postgres with DB reads and Redis with L2 lookups, and sizes cores at 70%', () => {
    const plan = planTopology(
      measured,
      { l1: 0.2, overall: 0.8, dbReadsPerRequest: 0.2 },
      100_000,
      16,
    );
    expect(plan.usPerRequest.postgres).toBeCloseTo(200, 9);
    // L2 lookups per request: 0.95·0.8 against 0.95·0.6 measured.
    expect(plan.usPerRequest.redis).toBeCloseTo((30 * 0.8) / 0.6, 9);
    expect(plan.usPerRequest.app).toBe(200);
    expect(plan.cores.app).toBeCloseTo((100_000 * 200) / 1e6 / 0.7, 9);
    expect(plan.dbQueriesPerSec).toBeCloseTo(20_000, 6);
    expect(plan.redisNodes).toBe(Math.ceil((100_000 * 40) / 1e6 / 0.7));
    expect(plan.cores).not.toHaveProperty('generator');
  });

  it('sends every read to the database without a cache, and needs no Redis', () => {
    const plan = planTopology(
      {
        ...measured,
        topology: 'no-cache',
        tierUs: { app: 300, postgres: 900 },
        dbQueriesPerRequest: 0.95,
        l1HitRatio: null,
      },
      null,
      1000,
      3,
    );
    expect(plan.dbQueriesPerSec).toBeCloseTo(950, 9);
    expect(plan.redisNodes).toBe(0);
    expect(plan.layout).toBe('no cache');
  });

  it('maps every catalog topology onto a simulated layout', () => {
    expect(simLayoutOf('local')).toBe('local-round-robin-local-invalidation');
    expect(simLayoutOf('local-hash')).toBe('local-consistent-hash');
    expect(simLayoutOf('global-cluster')).toBe('global');
    expect(simLayoutOf('no-cache')).toBeNull();
    expect(simLayoutOf('mystery')).toBeUndefined();
  });
});
