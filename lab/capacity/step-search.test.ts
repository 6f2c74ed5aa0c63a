import { describe, expect, it } from 'vitest';
import { type SearchPlan, searchCapacity } from './step-search.ts';

const plan: SearchPlan = {
  startRps: 100,
  growth: 2,
  maxRps: 10_000,
  minRps: 20,
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

  it('bisects below a first step that breaks, but not under the floor', async () => {
    const out = await searchCapacity(knee(10), plan);
    expect(out.steps.map((s) => s.rate)).toEqual([100, 50, 25]);
    expect(out.maxSustainableRps).toBeNull();
    expect(out.stoppedBecause).toBe('broke at 25/s, the lowest rate tried (floor 20/s)');
    const above = await searchCapacity(knee(60), plan);
    expect(above.maxSustainableRps).toBeGreaterThanOrEqual(50);
  });

  it('never takes more than maxSteps steps', async () => {
    const out = await searchCapacity(knee(5000), { ...plan, maxSteps: 4 });
    expect(out.steps).toHaveLength(4);
    expect(out.stoppedBecause).toMatch(/step limit/);
  });
});
