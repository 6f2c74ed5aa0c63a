import { describe, expect, it } from 'vitest';
import type { SecondPoint } from '../../loadtests/runner/run-load.ts';
import { halvesOf } from '../measure/measure-window.ts';
import { halvesStability, hitRatioOfCounts } from './warm-until-stable.ts';

const point = (t: number, hits: number, misses: number): SecondPoint => ({
  t,
  scheduled: hits + misses,
  sent: hits + misses,
  dropped: 0,
  ok: hits + misses,
  errors: { timeout: 0, connection: 0, http4xx: 0, http5xx: 0, other: 0 },
  p50Ms: 1,
  p99Ms: 2,
  cache: { 'HIT-L1': hits, MISS: misses },
  staleReads: 0,
  maxStaleWindowMs: 0,
});

describe('halvesOf', () => {
  it('splits the measured seconds by due time, leaving out the settle second', () => {
    const series = [
      point(0, 0, 99),
      point(1, 10, 10),
      point(2, 11, 9),
      point(3, 14, 6),
      point(4, 15, 5),
    ];
    expect(halvesOf(series, 1, 4)).toEqual([
      { 'HIT-L1': 21, MISS: 19 },
      { 'HIT-L1': 29, MISS: 11 },
    ]);
  });
});

describe('hitRatioOfCounts', () => {
  it('is null without a cache (only BYPASS) or without reads', () => {
    expect(hitRatioOfCounts({ BYPASS: 40 })).toBeNull();
    expect(hitRatioOfCounts({})).toBeNull();
    expect(hitRatioOfCounts({ 'HIT-L1': 30, 'HIT-L2': 10, MISS: 40 })).toBe(0.5);
    expect(hitRatioOfCounts({ MISS: 40 })).toBe(0);
  });
});

describe('halvesStability', () => {
  it('accepts halves within 2 points when they hold enough reads to tell', () => {
    const big = (hits: number) => ({ 'HIT-L1': hits, MISS: 100_000 - hits });
    expect(halvesStability([big(60_000), big(61_500)], 0.02)).toMatchObject({
      stable: true,
      threshold: 0.02,
    });
    expect(halvesStability([big(60_000), big(63_000)], 0.02).stable).toBe(false);
  });

  it('widens the threshold to the sampling noise of small halves, and still catches warming', () => {
    const small = (hits: number) => ({ 'HIT-L1': hits, MISS: 570 - hits });
    const noisy = halvesStability([small(342), small(362)], 0.02);
    expect(noisy.threshold).toBeGreaterThan(0.05);
    expect(noisy.stable).toBe(true);
    // A cold cache: 31 % then 47 % (what the simulator shows for the first two windows).
    expect(halvesStability([small(177), small(268)], 0.02).stable).toBe(false);
  });

  it('calls a topology without cache stable', () => {
    expect(halvesStability([{ BYPASS: 500 }, { BYPASS: 510 }], 0.02)).toMatchObject({
      first: null,
      stable: true,
    });
  });
});
