import { describe, expect, it } from 'vitest';
import { compareWithFloor, keptPace, type PacedRun, pacedRate } from './nginx-cost.ts';

const run = (nginxCpuUs: number, rps = 3_000): PacedRun => ({
  offeredRps: 3_000,
  rps,
  requests: rps * 4,
  nginxCpuUs,
  errors: 0,
});

describe('pacedRate', () => {
  it('offers half the proxied ceiling, rounded down to 100 req/s', () => {
    expect(pacedRate(9_150)).toBe(4_500);
    expect(pacedRate(6_399)).toBe(3_100);
  });

  it('never offers less than 1000 req/s and refuses a missing ceiling', () => {
    expect(pacedRate(354)).toBe(1_000);
    expect(() => pacedRate(Number.NaN)).toThrow(/ceiling/);
    expect(() => pacedRate(0)).toThrow(/ceiling/);
  });
});

describe('keptPace', () => {
  it('holds the median run to 95 % of the rate it was offered', () => {
    expect(keptPace([run(1, 2_850)])).toBe(true);
    expect(keptPace([run(1, 2_849)])).toBe(false);
    expect(keptPace([run(1, 1_000), run(1, 2_900), run(1, 3_000)])).toBe(true);
    expect(keptPace([run(1, 1_000), run(1, 2_000), run(1, 3_000)])).toBe(false);
  });
});

describe('compareWithFloor', () => {
  it('divides the medians and says whether every run kept the pace', () => {
    const c = compareWithFloor([run(30), run(36), run(33)], [run(20), run(22), run(21)]);
    expect(c).toEqual({
      offeredRps: 3_000,
      proxiedUs: 33,
      floorUs: 21,
      overFloor: 33 / 21,
      keptPace: true,
    });
  });

  it('marks the comparison when either one’s median run fell behind', () => {
    expect(compareWithFloor([run(30)], [run(20, 2_000)]).keptPace).toBe(false);
    expect(compareWithFloor([run(30, 2_000)], [run(20)]).keptPace).toBe(false);
  });

  it('refuses to compare nothing', () => {
    expect(() => compareWithFloor([], [])).toThrow(/no paced runs/);
  });
});
