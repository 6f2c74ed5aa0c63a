import type { Table } from './report-tables.ts';
import type { MeasuredTopology } from './results-types.ts';

const us = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const mb = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(1));

/** One row per component of each costed topology: CPU µs per request, memory, cache gauges. */
export function costTable(ts: readonly MeasuredTopology[]): Table {
  const rows = ts.flatMap((t) => {
    const cost = t.cost;
    if (!cost || cost.requests === 0) return [];
    const components = cost.components.map((c) => [
      t.topology,
      c.component,
      c.tier,
      us(c.cpuUsPerRequest),
      mb(c.memoryMB),
      c.redisUsedMemoryMB === undefined
        ? c.l1MB === undefined
          ? '–'
          : `L1 ${mb(c.l1MB)} MB, ${c.l1Entries ?? 0} entries`
        : `used_memory ${mb(c.redisUsedMemoryMB)} MB`,
    ]);
    const memory = cost.components.reduce((sum, c) => sum + c.memoryMB, 0);
    return [
      ...components,
      [
        t.topology,
        'all',
        '',
        us(cost.totalCpuUsPerRequest),
        mb(memory),
        `${cost.source}, ${cost.requests} requests`,
      ],
    ];
  });
  return {
    header: ['topology', 'component', 'tier', 'CPU µs/req', 'memory MB', 'cache / note'],
    rows,
  };
}

/** The per-component table shown beside the "where the CPU goes" chart; undefined without cost. */
export function costSection(
  ts: readonly MeasuredTopology[],
): { id: string; title: string; text: string; table: Table } | undefined {
  const table = costTable(ts);
  if (table.rows.length === 0) return undefined;
  return {
    id: 'cost-per-component',
    title: 'Where the CPU goes, per component: CPU µs per request and memory',
    text:
      'CPU is user + system time over the measured window divided by the requests completed; memory ' +
      'is each component at the window’s end (proportional set size natively, resident memory without ' +
      'the page cache from cgroups on compose, RSS for the load generator).',
    table,
  };
}
