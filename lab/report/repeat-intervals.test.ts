import { describe, expect, it } from 'vitest';
import { CHART_BOOT_SCRIPT } from './html-assets.ts';
import { renderMarkdown } from './render-markdown.ts';
import { buildReportModel } from './report-model.ts';
import { measuredFixture, resultsFixture } from './test-fixtures.ts';

const interval = (median: number, low: number, high: number) => ({
  median,
  low,
  high,
  n: 5,
  coverage: 0.9375,
});

const repeated = measuredFixture('local', {
  repeat: {
    runs: 5,
    measured: 5,
    confidence: 0.95,
    method: 'order-statistic interval of the median',
    figures: {
      'latency.p50': interval(2.1, 1.9, 2.6),
      'latency.p99': interval(20, 17, 26),
      achievedRps: interval(149.8, 149.1, 150),
      'hitRatio.overall': interval(0.5, 0.49, 0.52),
    },
  },
});
const results = resultsFixture([repeated, measuredFixture('global')]);

describe('intervals of repeated runs in the report', () => {
  it('shows median [low–high] in the summary, and single runs as they are', () => {
    const { summary } = buildReportModel(results);
    expect(summary.rows[0]?.[3]).toBe('2.10 ms [1.90 ms–2.60 ms]');
    expect(summary.rows[0]?.[5]).toMatch(/^50\.0% \[49\.0%–52\.0%\] \//);
    expect(summary.rows[1]?.[3]).toBe('2.00 ms');
  });

  it('gives the latency chart medians with error bars, and the markdown the intervals', () => {
    const model = buildReportModel(results);
    const latency = model.charts.find((c) => c.id === 'latency');
    const p50 = latency?.datasets.find((d) => d.label === 'p50');
    expect(p50?.data).toEqual([2.1, 2]);
    expect(p50?.intervals).toEqual([[1.9, 2.6], null]);
    expect(renderMarkdown(model)).toContain('2.10 ms [1.90 ms–2.60 ms]');
  });

  it('draws error bars in report.html with a Chart.js plugin', () => {
    expect(CHART_BOOT_SCRIPT).toContain('afterDatasetsDraw');
    expect(CHART_BOOT_SCRIPT).toContain('plugins: [errorBars]');
  });
});

describe('the warm-up in the report', () => {
  const warmup = (stable: boolean) => ({
    seconds: 13,
    requests: 7_350,
    extraWindows: stable ? 0 : 1,
    maxExtraWindows: 1,
    halves: { first: 0.6, second: stable ? 0.61 : 0.68 },
    threshold: 0.054,
    stable,
    boundReached: !stable,
  });
  const r = resultsFixture(
    [
      measuredFixture('local', { warmup: warmup(true) }),
      measuredFixture('local-hash', { warmup: warmup(false) }),
    ],
    {},
  );
  const withPolicy = {
    ...r,
    parameters: {
      ...r.parameters,
      warmupPolicy: { rps: 600, maxSec: 12, maxExtraWindows: 1, stableWithin: 0.02 },
    },
  };

  it('tabulates how each warm-up ended and flags a bound reached', () => {
    const table = buildReportModel(withPolicy).tables.find((t) => t.id === 'warmup');
    expect(table?.table.rows).toEqual([
      ['local', '13 s, 7,350 requests', '0 of at most 1', '60.0% / 61.0%', '±5.4 pts', 'stable'],
      [
        'local-hash',
        '13 s, 7,350 requests',
        '1 of at most 1',
        '60.0% / 68.0%',
        '±5.4 pts',
        'BOUND REACHED, still moving',
      ],
    ]);
  });

  it('states the policy among the facts', () => {
    const facts = Object.fromEntries(buildReportModel(withPolicy).facts);
    expect(facts['warm-up']).toContain('at 600 req/s');
    expect(facts['warm-up']).toContain('within 2 points (at most 12 s)');
  });
});
