import { describe, expect, it } from 'vitest';
import { fitUsl, uslThroughput } from './usl.ts';

describe('fitUsl', () => {
  it('recovers σ and κ from points of a known curve', () => {
    const truth = { lambda: 900, sigma: 0.08, kappa: 0.002 };
    const points = [1, 2, 4, 8, 12, 16, 24, 32, 48].map((n) => ({
      concurrency: n,
      throughput: uslThroughput(n, truth),
    }));
    const fit = fitUsl(points);
    expect(fit?.sigma).toBeCloseTo(0.08, 2);
    expect(fit?.kappa).toBeCloseTo(0.002, 3);
    expect(fit?.lambda).toBeCloseTo(900, -1);
    expect(fit?.r2).toBeGreaterThan(0.999);
    // N* = √((1 − σ)/κ) ≈ 21.4
    expect(fit?.peakConcurrency).toBeCloseTo(Math.sqrt(0.92 / 0.002), 0);
  });

  it('needs three usable points', () => {
    expect(
      fitUsl([
        { concurrency: 1, throughput: 10 },
        { concurrency: 2, throughput: 19 },
      ]),
    ).toBeUndefined();
  });
});
