import { describe, expect, it } from 'vitest';
import type { SecondPoint } from '../../loadtests/runner/run-load.ts';
import { type CacheCounts, halvesOf } from '../measure/measure-window.ts';
import {
  halvesStability,
  hitRatioOfCounts,
  type SettlePlan,
  settleLoop,
} from './warm-until-stable.ts';

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
  servers: {},
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

describe('settleLoop', () => {
  const plan: SettlePlan = {
    policy: { rps: 600, maxSec: 12, maxExtraWindows: 1, stableWithin: 0.02 },
    chunkSec: 4,
    rate: 150,
    durationSec: 8,
  };
  // Halves of 100,000 reads each: the 2-point threshold applies as asked.
  const halves = (a: number, b: number): [CacheCounts, CacheCounts] => [
    { 'HIT-L1': a * 100_000, MISS: (1 - a) * 100_000 },
    { 'HIT-L1': b * 100_000, MISS: (1 - b) * 100_000 },
  ];
  const steps = (chunks: number[][], windows: [number, number][]) => {
    const calls: string[] = [];
    const rates: number[] = [];
    return {
      calls,
      rates,
      warmChunk: async (index: number, rps: number) => {
        calls.push(`chunk ${index}`);
        rates.push(rps);
        const [a = 0.5, b = 0.5, answered = 1] = chunks[index] ?? [];
        const scheduled = rps * plan.chunkSec;
        return { halves: halves(a, b), scheduled, completed: Math.round(answered * scheduled) };
      },
      measure: async (extra: number, settleSec: number) => {
        calls.push(`window ${extra} (settle ${settleSec} s)`);
        const [a, b] = windows[extra] ?? [0.5, 0.5];
        return { halves: halves(a, b), extra };
      },
    };
  };

  it('warms until a chunk is stable, then measures once', async () => {
    const io = steps(
      [
        [0.3, 0.45],
        [0.5, 0.55],
        [0.6, 0.61],
      ],
      [[0.62, 0.63]],
    );
    const { window, warmup } = await settleLoop(plan, io);
    expect(io.calls).toEqual(['chunk 0', 'chunk 1', 'chunk 2', 'window 0 (settle 1 s)']);
    expect(window.extra).toBe(0);
    expect(warmup).toMatchObject({ seconds: 13, requests: 7_350, extraWindows: 0, stable: true });
    expect(warmup.boundReached).toBe(false);
  });

  it('stops warming at maxSec and re-measures a moving window once, then flags it', async () => {
    const io = steps(
      [
        [0.3, 0.4],
        [0.4, 0.5],
        [0.5, 0.6],
        [0.6, 0.7],
      ],
      [
        [0.6, 0.7],
        [0.7, 0.75],
      ],
    );
    const { window, warmup } = await settleLoop(plan, io);
    expect(io.calls).toEqual([
      'chunk 0',
      'chunk 1',
      'chunk 2',
      'window 0 (settle 1 s)',
      'chunk 3',
      'window 1 (settle 1 s)',
    ]);
    expect(window.extra).toBe(1);
    // 3 chunks + settle, then the first window, one more chunk and a settle count as warm-up.
    expect(warmup).toMatchObject({ seconds: 13 + 4 + 8 + 1, extraWindows: 1, stable: false });
    expect(warmup.requests).toBe(7_350 + 2_400 + 9 * 150);
    expect(warmup.boundReached).toBe(true);
    expect(warmup.halves).toEqual({ first: 0.7, second: 0.75 });
  });

  it('halves the rate of the next chunk after one the topology could not keep up with', async () => {
    const io = steps(
      [
        [0.3, 0.4, 0.5],
        [0.4, 0.5, 1],
        [0.5, 0.6, 0.9],
      ],
      [[0.6, 0.61]],
    );
    const { warmup } = await settleLoop(plan, io);
    expect(io.rates).toEqual([600, 300, 300]);
    // Only answered requests count: 1,200 + 1,200 + 1,080, and the settle second at 150 req/s.
    expect(warmup.requests).toBe(1_200 + 1_200 + 1_080 + 150);
  });

  it('never warms past maxSec, but always warms one chunk', async () => {
    const io = steps(
      [
        [0.3, 0.4],
        [0.4, 0.5],
      ],
      [[0.6, 0.61]],
    );
    await settleLoop({ ...plan, chunkSec: 10 }, io);
    expect(io.calls).toEqual(['chunk 0', 'window 0 (settle 1 s)']);
  });

  it('without warm-up (chunks of 0 s) measures at once with no settle second', async () => {
    const io = steps([], [[0.5, 0.51]]);
    const { warmup } = await settleLoop({ ...plan, chunkSec: 0 }, io);
    expect(io.calls).toEqual(['window 0 (settle 0 s)']);
    expect(warmup).toMatchObject({ seconds: 0, requests: 0, stable: true });
  });
});
