import { describe, expect, it } from 'vitest';
import { type CeilingRow, expectedShareOf } from './ceiling-run.ts';
import { ceilingGoals, ceilingRatios } from './ceilings.ts';
import type { FloorComparison } from './nginx-cost.ts';

const row = (
  id: string,
  rps: number,
  cpuUsPerRequest: number,
  nginxCpuUsPerRequest: number | null = null,
): CeilingRow => ({
  id,
  label: id,
  generator: 'wrk',
  nginxCpuUsPerRequest,
  generatorCpuUsPerRequest: 10,
  rps,
  p50Ms: 1,
  p99Ms: 2,
  cpuUsPerRequest,
  errors: 0,
  expectedShare: null,
  runs: [],
});

describe('ceilingRatios and ceilingGoals', () => {
  const rows = [
    row('bare-http', 20_000, 50),
    row('bare-express', 10_000, 100),
    row('app-l1', 7_000, 140),
    row('nginx-l1', 6_300, 200, 60),
    row('nginx-floor', 30_000, 40, 40),
    row('app-l2', 5_000, 200),
    row('app-miss', 500, 2000),
  ];

  it('relates the targets by req/s and by CPU per request', () => {
    const ratios = ceilingRatios(rows);
    expect(ratios.l1OverExpress).toBeCloseTo(0.7);
    expect(ratios.nginxCost).toBeCloseTo(0.1);
    expect(ratios.expressOverHttp).toBeCloseTo(0.5);
    expect(ratios.l1OverExpressByCpu).toBeCloseTo(100 / 140);
    expect(ratios.nginxCpuShare).toBeCloseTo(0.3);
  });

  const floor: FloorComparison = {
    offeredRps: 3_000,
    proxiedUs: 30,
    floorUs: 20,
    overFloor: 1.5,
    keptPace: true,
  };

  it('fails the L1 goal below 80% of Express and passes an nginx cost of 10%', () => {
    const [l1, nginx] = ceilingGoals(ceilingRatios(rows), floor);
    expect(l1?.pass).toBe(false);
    expect(l1?.detail).toBe('70.0% vs ≥ 80.0%; short by 10.0%');
    expect(nginx?.pass).toBe(true);
  });

  it('holds nginx’s CPU per proxied request to 1.5× its floor at the offered rate', () => {
    const goal = ceilingGoals(ceilingRatios(rows), floor)[2];
    expect(goal?.pass).toBe(true);
    expect(goal?.detail).toBe('1.50× vs ≤ 1.50× at 3000 req/s offered to both');
    const worse = { ...floor, proxiedUs: 30.5, overFloor: 1.525 };
    expect(ceilingGoals(ceilingRatios(rows), worse)[2]?.pass).toBe(false);
  });

  it('does not pass the floor goal when a run fell behind the offered rate', () => {
    const goal = ceilingGoals(ceilingRatios(rows), {
      ...floor,
      overFloor: 1.2,
      keptPace: false,
    })[2];
    expect(goal?.pass).toBe(false);
    expect(goal?.detail).toMatch(/fell behind/);
  });
});

describe('expectedShareOf', () => {
  it('is the share of reads between two snapshots that had the expected X-Cache result', () => {
    const before = { 'HIT-L1': 10, MISS: 5 };
    const after = { 'HIT-L1': 100, MISS: 15 };
    expect(expectedShareOf(before, after, 'HIT-L1')).toBe(0.9);
    expect(expectedShareOf(before, before, 'HIT-L1')).toBeNull();
  });
});
