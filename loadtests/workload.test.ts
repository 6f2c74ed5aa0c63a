import { describe, expect, it } from 'vitest';
import {
  createKeyChooser,
  createOperationStream,
  createRng,
  createScrambler,
  HOT_KEY_ID,
  type KeyDistribution,
  patchBodyFor,
  WORKLOAD_NAMES,
  WORKLOADS,
  zeta,
} from './workload.ts';

// Every statistical check uses a fixed seed, so it is deterministic; tolerances are 4.5 standard
// deviations of the binomial count, so a correct generator would fail only ~1 in 100 000 seeds.
const SIGMAS = 4.5;

function draw(chooser: () => number, samples: number, keyCount: number): Uint32Array {
  const counts = new Uint32Array(keyCount + 1);
  for (let i = 0; i < samples; i++) {
    const id = chooser();
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

function binomialTolerance(p: number, samples: number): number {
  return SIGMAS * Math.sqrt((p * (1 - p)) / samples);
}

/** Share of the k most frequent ids. */
function headShare(counts: Uint32Array, k: number, samples: number): number {
  const sorted = Array.from(counts.subarray(1)).sort((a, b) => b - a);
  return sorted.slice(0, k).reduce((sum, c) => sum + c, 0) / samples;
}

/** P(rank < k) of Gray et al.'s generator, from zeta(n) and zeta(2) alone. */
function grayHeadProbability(k: number, n: number, theta: number): number {
  const zetan = zeta(n, theta);
  const zeta2 = 1 + 0.5 ** theta;
  const eta = (1 - (2 / n) ** (1 - theta)) / (1 - zeta2 / zetan);
  const continuous = ((k / n) ** (1 - theta) + eta - 1) / eta;
  return Math.max(zeta2 / zetan, continuous);
}

describe('createRng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const first = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(first);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(first);
  });

  it('yields floats in [0, 1) with mean 1/2', () => {
    const rng = createRng(123);
    const n = 200_000;
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = rng();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(SIGMAS * Math.sqrt(1 / 12 / n));
  });
});

describe('createScrambler', () => {
  it.each([1, 2, 3, 5, 100, 1000, 4097])('is a permutation of 0..%i-1', (n) => {
    const scramble = createScrambler(n);
    const seen = new Set(Array.from({ length: n }, (_, rank) => scramble(rank)));
    expect(seen.size).toBe(n);
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(n - 1);
  });
});

describe('createKeyChooser', () => {
  const zipf: KeyDistribution = { kind: 'zipf', theta: 0.99 };
  const kinds: KeyDistribution[] = [
    zipf,
    { kind: 'uniform' },
    { kind: 'hotspot', hotDataFraction: 0.2, hotOpFraction: 0.8 },
    { kind: 'hot-key', share: 0.3, rest: zipf },
  ];

  it.each([1, 2, 3, 7, 1000])('keeps every id in 1..%i for every distribution', (keyCount) => {
    for (const dist of kinds) {
      const choose = createKeyChooser(dist, keyCount, createRng(keyCount));
      let outside = 0;
      for (let i = 0; i < 5000; i++) {
        const id = choose();
        if (!(Number.isInteger(id) && id >= 1 && id <= keyCount)) outside++;
      }
      expect(outside, dist.kind).toBe(0);
    }
  });

  it('zipf: the hottest keys get the shares the zeta function gives', () => {
    const n = 10_000;
    const samples = 1_000_000;
    const counts = draw(createKeyChooser(zipf, n, createRng(1)), samples, n);
    // Ranks 0 and 1 are exact Zipf: 1/zeta(n) and (1 + 2^-θ)/zeta(n).
    for (const [k, expected] of [
      [1, 1 / zeta(n, 0.99)],
      [2, (1 + 0.5 ** 0.99) / zeta(n, 0.99)],
      [n / 100, grayHeadProbability(n / 100, n, 0.99)],
    ] as const) {
      expect(Math.abs(headShare(counts, k, samples) - expected)).toBeLessThan(
        binomialTolerance(expected, samples),
      );
    }
  });

  it('zipf: scrambling spreads the hot keys over the key space', () => {
    const n = 10_000;
    const counts = draw(createKeyChooser(zipf, n, createRng(2)), 200_000, n);
    const hottest = Array.from(counts.keys())
      .slice(1)
      .sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0))
      .slice(0, 20);
    expect(Math.min(...hottest)).toBeLessThan(n / 2);
    expect(Math.max(...hottest)).toBeGreaterThan(n / 2);
  });

  it('uniform: passes a chi-square test at p = 0.001', () => {
    const n = 100;
    const samples = 200_000;
    const counts = draw(createKeyChooser({ kind: 'uniform' }, n, createRng(3)), samples, n);
    const expected = samples / n;
    let chi2 = 0;
    for (let id = 1; id <= n; id++) chi2 += ((counts[id] ?? 0) - expected) ** 2 / expected;
    // Wilson–Hilferty approximation of the 0.999 quantile of chi-square with n-1 degrees of freedom.
    const df = n - 1;
    const critical = df * (1 - 2 / (9 * df) + 3.0902 * Math.sqrt(2 / (9 * df))) ** 3;
    expect(chi2).toBeLessThan(critical);
    expect(counts[0]).toBe(0);
  });

  it('hotspot: hotOpFraction of operations land on hotDataFraction of the ids', () => {
    const n = 1000;
    const samples = 200_000;
    const dist: KeyDistribution = { kind: 'hotspot', hotDataFraction: 0.2, hotOpFraction: 0.8 };
    const counts = draw(createKeyChooser(dist, n, createRng(4)), samples, n);
    const hot = counts.subarray(1, 201).reduce((sum, c) => sum + c, 0) / samples;
    expect(Math.abs(hot - 0.8)).toBeLessThan(binomialTolerance(0.8, samples));
    // Within the hot set, ids are uniform: each gets 0.8/200 of the operations.
    const perHotId = 0.8 / 200;
    expect(Math.abs((counts[1] ?? 0) / samples - perHotId)).toBeLessThan(
      binomialTolerance(perHotId, samples),
    );
  });

  it('hot-key: the hot id takes its share plus its share of the rest', () => {
    const n = 1000;
    const samples = 200_000;
    const dist: KeyDistribution = { kind: 'hot-key', share: 0.3, rest: { kind: 'uniform' } };
    const counts = draw(createKeyChooser(dist, n, createRng(5)), samples, n);
    const expected = 0.3 + 0.7 / n;
    const observed = (counts[HOT_KEY_ID] ?? 0) / samples;
    expect(Math.abs(observed - expected)).toBeLessThan(binomialTolerance(expected, samples));
  });

  it('rejects bad parameters', () => {
    const rng = createRng(1);
    expect(() => createKeyChooser({ kind: 'uniform' }, 0, rng)).toThrow(RangeError);
    expect(() => createKeyChooser({ kind: 'zipf', theta: 1 }, 10, rng)).toThrow(RangeError);
    expect(() => createKeyChooser({ kind: 'hot-key', share: 1.5, rest: zipf }, 10, rng)).toThrow(
      RangeError,
    );
  });
});

describe('createOperationStream', () => {
  it('replays the same operations for the same seed', () => {
    const take = (seed: number) => {
      const next = createOperationStream({ workload: 'write-heavy', keyCount: 500, seed });
      return Array.from({ length: 500 }, () => next());
    };
    expect(take(9)).toEqual(take(9));
    expect(take(9)).not.toEqual(take(10));
  });

  it.each(WORKLOAD_NAMES)('%s: reads make up readRatio of the operations', (name) => {
    const samples = 100_000;
    const next = createOperationStream({ workload: name, keyCount: 1000, seed: 11 });
    let reads = 0;
    for (let i = 0; i < samples; i++) if (next().op === 'read') reads++;
    const p = WORKLOADS[name].readRatio;
    expect(Math.abs(reads / samples - p)).toBeLessThan(binomialTolerance(p, samples));
  });

  it('hot-key workload sends at least its share to the hot id', () => {
    const samples = 100_000;
    const next = createOperationStream({ workload: 'hot-key', keyCount: 10_000, seed: 12 });
    let hot = 0;
    for (let i = 0; i < samples; i++) if (next().id === HOT_KEY_ID) hot++;
    expect(hot / samples).toBeGreaterThan(0.3 - binomialTolerance(0.3, samples));
  });
});

describe('patchBodyFor', () => {
  it('is small, valid JSON and deterministic', () => {
    const body = patchBodyFor(42, 7);
    expect(body).toBe(patchBodyFor(42, 7));
    expect(body).not.toBe(patchBodyFor(42, 8));
    expect(JSON.parse(body)).toEqual({ headline: expect.any(String) });
    expect(body.length).toBeLessThan(200);
  });
});
