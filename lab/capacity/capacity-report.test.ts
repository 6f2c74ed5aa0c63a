import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { chartTable } from '../report/render-markdown.ts';
import { capacityReportModel, capacityTable } from './capacity-report.ts';
import { parseCapacityResults } from './capacity-schema.ts';
import { CAPACITY_SCHEMA_PATH, capacitySchemaText } from './capacity-schema-file.ts';
import { capacityResultsFixture } from './capacity-test-fixtures.ts';

const results = capacityResultsFixture;

describe('capacity report', () => {
  it('tabulates capacity, latency there, σ and κ, and failures', () => {
    const table = capacityTable(results());
    expect(table.rows[0]).toEqual([
      'local',
      '1800',
      '6.00 / 30.0 ms',
      '–',
      '0.0500',
      '1.00e-3',
      '30.8',
      'bracketed within 5%',
    ]);
    expect(table.rows[1]?.[1]).toBe('failed');
  });

  it('draws latency against throughput on linear axes, one series per topology', () => {
    const model = capacityReportModel(results());
    const p99 = model.charts.find((c) => c.id === 'capacity-p99');
    expect(p99?.xScale).toBe('linear');
    expect(p99?.yScale).toBe('linear');
    expect(p99?.datasets[0]?.points).toEqual([
      { x: 198, y: 4 },
      { x: 1782, y: 30 },
      { x: 1881, y: 80 },
    ]);
    expect(chartTable(p99 as NonNullable<typeof p99>).rows).toHaveLength(3);
    expect(model.notes).toEqual(['no-cache failed (up): postgres would not start']);
  });

  it('shows a repeated search as median [interval] in the table and as error bars on the chart', () => {
    const r = results();
    const local = r.topologies[0];
    if (local?.status !== 'ok') throw new Error('fixture changed');
    const ci = { median: 1800, low: 1500, high: 2100, n: 5, coverage: 0.9375 };
    const repeated = parseCapacityResults({
      ...r,
      parameters: { ...r.parameters, repeat: 5 },
      topologies: [
        {
          ...local,
          repeat: {
            runs: 5,
            measured: 5,
            confidence: 0.95,
            method: 'order-statistic interval of the median',
            maxSustainableRps: [1500, 1800, 2100, 1700, 1900],
            figures: { maxSustainableRps: ci },
          },
        },
        r.topologies[1],
      ],
    });
    expect(capacityTable(repeated).rows[0]?.[1]).toBe('1800 [1500–2100] (5 runs, 94 % interval)');
    const bar = capacityReportModel(repeated).charts.find((c) => c.id === 'capacity-max');
    expect(bar?.datasets[0]?.intervals).toEqual([[1500, 2100]]);
    expect(chartTable(bar as NonNullable<typeof bar>).rows[0]).toEqual([
      'local',
      '1,800 [1,500–2,100]',
    ]);
  });

  it('the committed JSON Schema matches the zod schema (make generate)', async () => {
    expect(JSON.parse(await readFile(CAPACITY_SCHEMA_PATH, 'utf8'))).toEqual(
      JSON.parse(capacitySchemaText()),
    );
  });

  it('rejects results with a broken field, naming it', () => {
    const bad = { ...results(), kind: 'cachelab-compare' };
    expect(() => parseCapacityResults(bad)).toThrow(/kind/);
  });
});
