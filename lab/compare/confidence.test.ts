import { describe, expect, it } from 'vitest';
import { medianInterval, repeatRuns, summariseRuns } from './confidence.ts';

describe('medianInterval', () => {
  it('is the range below 6 runs, with the coverage that really has', () => {
    expect(medianInterval([3, 1, 2])).toEqual({ median: 2, low: 1, high: 3, n: 3, coverage: 0.75 });
    expect(medianInterval([5, 1, 4, 2, 3]).coverage).toBeCloseTo(0.9375, 6);
    expect(medianInterval([4, 1, 3, 2])).toMatchObject({ median: 2.5, low: 1, high: 4 });
  });

  it('narrows to inner order statistics once they still cover 95 %', () => {
    const ten = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    // Binomial(10, ½): P(≤ 1) = 11/1024, so [x(2), x(9)] covers 97.9 %; [x(3), x(8)] only 89 %.
    const r = medianInterval(ten);
    expect(r).toMatchObject({ median: 5.5, low: 2, high: 9, n: 10 });
    expect(r.coverage).toBeCloseTo(1 - 22 / 1024, 6);
    expect(r.coverage).toBeGreaterThanOrEqual(0.95);
  });

  it('covers the true median about as often as it says (simulated, seeded)', () => {
    let state = 12345;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    let covered = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      // Exponential samples (skewed, like latencies): true median ln 2.
      const sample = Array.from({ length: 15 }, () => -Math.log(1 - random()));
      const { low, high } = medianInterval(sample);
      if (low <= Math.LN2 && Math.LN2 <= high) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.95);
  });

  it('rejects no values, non-finite values and a bad confidence', () => {
    expect(() => medianInterval([])).toThrow(RangeError);
    expect(() => medianInterval([1, Number.NaN])).toThrow(RangeError);
    expect(() => medianInterval([1, 2], 1)).toThrow(RangeError);
  });
});

describe('repeatRuns and summariseRuns', () => {
  it('runs one after the other and summarises each figure, leaving out missing values', async () => {
    let running = 0;
    const runs = await repeatRuns(3, async (i) => {
      running++;
      expect(running).toBe(1);
      await Promise.resolve();
      running--;
      return { p50: [2, 3, 1][i] ?? 0, l2: i === 0 ? null : 0.5 };
    });
    const summary = summariseRuns(runs, { p50: (r) => r.p50, l2: (r) => r.l2, none: () => null });
    expect(summary.p50).toMatchObject({ median: 2, low: 1, high: 3, n: 3 });
    expect(summary.l2).toMatchObject({ median: 0.5, n: 2 });
    expect(summary.none).toBeUndefined();
    await expect(repeatRuns(0, async () => 1)).rejects.toThrow(RangeError);
  });
});
