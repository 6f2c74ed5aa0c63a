import { describe, expect, it } from 'vitest';
import { costChart, costVerdict } from './cost-charts.ts';
import { windowCostSchema } from './cost-schema.ts';
import { measuredFixture } from './test-fixtures.ts';

function costed(name: string, app: number, postgres: number) {
  const cost = windowCostSchema.parse({
    source: 'proc',
    seconds: 8,
    requests: 1200,
    components: [],
    tiers: [
      { tier: 'generator', cpuUsPerRequest: 30, memoryMB: 80 },
      { tier: 'app', cpuUsPerRequest: app, memoryMB: 300 },
      { tier: 'postgres', cpuUsPerRequest: postgres, memoryMB: 150 },
    ],
    totalCpuUsPerRequest: 30 + app + postgres,
  });
  return { ...measuredFixture(name), cost };
}

describe('the CPU-per-request chart', () => {
  it('stacks each tier per topology and names the cheapest and dearest', () => {
    const ts = [costed('no-cache', 400, 900), costed('local', 200, 300)];
    const chart = costChart(ts);
    expect(chart?.stacked).toBe(true);
    expect(chart?.labels).toEqual(['no-cache', 'local']);
    expect(chart?.datasets).toEqual([
      { label: 'generator', data: [30, 30] },
      { label: 'app', data: [400, 200] },
      { label: 'postgres', data: [900, 300] },
    ]);
    expect(costVerdict(ts)).toMatch(
      /^local costs the least CPU per request \(530 µs in all, most in postgres 300 µs\); no-cache the most \(1330 µs, 2\.5×, most in postgres 900 µs\)/,
    );
  });

  it('is left out when no run measured its cost', () => {
    expect(costChart([measuredFixture('local')])).toBeUndefined();
  });
});
