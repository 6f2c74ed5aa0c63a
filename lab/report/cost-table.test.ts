import { describe, expect, it } from 'vitest';
import { windowCostSchema } from './cost-schema.ts';
import { costSection, costTable } from './cost-table.ts';
import { measuredFixture } from './test-fixtures.ts';

const cost = windowCostSchema.parse({
  source: 'cgroup',
  seconds: 5,
  requests: 1000,
  components: [
    { component: 'nginx', tier: 'nginx', cpuMs: 50, cpuUsPerRequest: 50, memoryMB: 8 },
    {
      component: 'app-1',
      tier: 'app',
      cpuMs: 400,
      cpuUsPerRequest: 400,
      memoryMB: 60,
      l1Entries: 1200,
      l1MB: 2.5,
    },
    {
      component: 'redis-1',
      tier: 'redis',
      cpuMs: 30,
      cpuUsPerRequest: 30,
      memoryMB: 12,
      redisUsedMemoryMB: 9.5,
    },
  ],
  tiers: [],
  totalCpuUsPerRequest: 480,
});

describe('per-component cost table', () => {
  it('lists each component’s CPU µs per request and memory, then the topology’s total', () => {
    const table = costTable([measuredFixture('two-tier', { cost }), measuredFixture('local')]);
    expect(table.header).toEqual([
      'topology',
      'component',
      'tier',
      'CPU µs/req',
      'memory MB',
      'cache / note',
    ]);
    expect(table.rows).toEqual([
      ['two-tier', 'nginx', 'nginx', '50.0', '8.0', '–'],
      ['two-tier', 'app-1', 'app', '400', '60.0', 'L1 2.5 MB, 1200 entries'],
      ['two-tier', 'redis-1', 'redis', '30.0', '12.0', 'used_memory 9.5 MB'],
      ['two-tier', 'all', '', '480', '80.0', 'cgroup, 1000 requests'],
    ]);
  });

  it('is left out of the report when no topology was costed', () => {
    expect(costSection([measuredFixture('local')])).toBeUndefined();
    expect(costSection([measuredFixture('local', { cost })])?.id).toBe('cost-per-component');
  });
});
