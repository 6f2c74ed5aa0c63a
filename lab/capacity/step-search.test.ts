import { describe, expect, it } from 'vitest';
import { type SearchPlan, searchCapacity } from './step-search.ts';

const plan: SearchPlan = {
  startRps: 100,
  growth: 2,
  maxRps: 10_000,
  resolution: 0.05,
  maxSteps: 14,
};
const knee = (limit: number) => async (rate: number) => ({ rate, ok: rate <= limit });

describe('searchCapacity', () => {
  it('ramps, then bisects to within the resolution below the knee', async () => {
    const out = await searchCapacity(knee(1234), plan);
    expect(out.steps.slice(0, 5).map((s) => s.rate)).toEqual([100, 200, 400, 800, 1600]);
    expect(out.firstBrokenRps).toBeGreaterThan(1234);
    expect(out.maxSustainableRps).toBeLessThanOrEqual(1234);
    expect(
      ((out.firstBrokenRps ?? 0) - (out.maxSustainableRps ?? 0)) / (out.firstBrokenRps ?? 1),
    ).toBeLessThanOrEqual(0.05);
    expect(out.stoppedBecause).toMatch(/bracketed within 5%/);
  });

  it('stops at the rate cap when everything holds', async () => {
    const out = await searchCapacity(knee(1e9), plan);
    expect(out.steps.at(-1)?.rate).toBe(10_000);
    expect(out.maxSustainableRps).toBe(10_000);
    expect(out.firstBrokenRps).toBeNull();
    expect(out.stoppedBecause).toMatch(/rate cap/);
  });

  it('reports no capacity when the first step already breaks, and bisects below it', async () => {
    const out = await searchCapacity(knee(10), plan);
    expect(out.steps[0]?.rate).toBe(100);
    expect(out.maxSustainableRps === null || out.maxSustainableRps <= 10).toBe(true);
  });

  it('never takes more than maxSteps steps', async () => {
    const out = await searchCapacity(knee(5000), { ...plan, maxSteps: 4 });
    expect(out.steps).toHaveLength(4);
    expect(out.stoppedBecause).toMatch(/step limit/);
  });
});
