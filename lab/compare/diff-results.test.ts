import { describe, expect, it } from 'vitest';
import type { MeasuredTopology } from '../report/results-types.ts';
import { measuredFixture, resultsFixture } from '../report/test-fixtures.ts';
import {
  compareMetric,
  DIFF_METRICS,
  diffResults,
  diffTableRows,
  estimateOf,
} from './diff-results.ts';

const metric = (key: string) => {
  const found = DIFF_METRICS.find((m) => m.key === key);
  if (!found) throw new Error(`no metric ${key}`);
  return found;
};

const latency = (p50: number, p99: number) => ({
  count: 1000,
  mean: p50,
  p50,
  p90: p99,
  p95: p99,
  p99,
  p999: p99 * 1.5,
  max: p99 * 2,
});

const between = (key: string, a: MeasuredTopology, b: MeasuredTopology) =>
  compareMetric(metric(key), estimateOf(metric(key), a), estimateOf(metric(key), b));

const repeated = (median: number, low: number, high: number) => ({
  runs: 5,
  measured: 5,
  confidence: 0.95,
  method: 'order-statistic interval of the median' as const,
  figures: { 'latency.p50': { median, low, high, n: 5, coverage: 0.9375 } },
});

describe('compareMetric (single runs: the noise model)', () => {
  it('calls a p50 30 % higher within noise, and 80 % higher a regression', () => {
    const a = measuredFixture('local', { latencyMs: latency(2, 20) });
    expect(
      between('latency.p50', a, measuredFixture('local', { latencyMs: latency(2.6, 20) })),
    ).toMatchObject({ change: 'within-noise', aInterval: [1.6, 2.4] });
    expect(
      between('latency.p50', a, measuredFixture('local', { latencyMs: latency(3.6, 20) })).change,
    ).toBe('regression');
    expect(
      between('latency.p50', a, measuredFixture('local', { latencyMs: latency(1, 20) })).change,
    ).toBe('improvement');
  });

  it('gives a hit ratio the Wilson interval of its reads: 5 points is noise over 1,140 reads', () => {
    const a = measuredFixture('local');
    const hit = (overall: number) =>
      measuredFixture('local', { hitRatio: { overall, l1: overall, l2: null } });
    expect(between('hitRatio.overall', a, hit(0.45)).change).toBe('within-noise');
    expect(between('hitRatio.overall', a, hit(0.4)).change).toBe('regression');
    expect(between('hitRatio.l2', a, hit(0.5))).toMatchObject({ change: 'n/a', delta: null });
  });

  it('flags stale reads appearing where there were none', () => {
    const b = measuredFixture('local', { staleReadRate: 0.01 });
    expect(between('staleReadRate', measuredFixture('local'), b)).toMatchObject({
      relative: null,
      change: 'regression',
    });
  });

  it('never flags two runs of one build that differ as much as this machine’s runs do', () => {
    const runs = [
      [2.0, 9.1, 0.5, 150],
      [2.55, 11.5, 0.515, 149.2],
      [1.7, 7.2, 0.49, 150.6],
    ].map(([p50, p99, hit, rps]) =>
      measuredFixture('local', {
        latencyMs: latency(p50 ?? 0, p99 ?? 0),
        hitRatio: { overall: hit ?? 0, l1: hit ?? 0, l2: null },
        achievedRps: rps ?? 0,
      }),
    );
    for (const a of runs) {
      for (const b of runs) {
        const report = diffResults(resultsFixture([a]), resultsFixture([b]));
        expect(report.regressions).toBe(0);
      }
    }
  });
});

describe('compareMetric (runs with repeats)', () => {
  it('uses the median and the repeats’ interval instead of the noise model', () => {
    const a = measuredFixture('local', { repeat: repeated(2, 1.9, 2.1) });
    const b = measuredFixture('local', { repeat: repeated(2.3, 2.2, 2.4) });
    // 15 % apart: within the noise model's ±20 %, but the repeats' intervals are disjoint.
    expect(between('latency.p50', a, b)).toMatchObject({ a: 2, b: 2.3, change: 'regression' });
    const c = measuredFixture('local', { repeat: repeated(2.2, 2.05, 2.4) });
    expect(between('latency.p50', a, c).change).toBe('within-noise');
  });
});

describe('diffResults', () => {
  const a = resultsFixture([measuredFixture('local'), measuredFixture('global')], {
    runId: 'run-a',
  });
  const b = resultsFixture(
    [
      measuredFixture('local', { dbQueriesPerRequest: 0.6, valid: false, invalidReasons: ['lag'] }),
      measuredFixture('two-tier'),
    ],
    { runId: 'run-b', parameters: { ...a.parameters, rate: 200 } },
  );
  const report = diffResults(a, b);

  it('compares common topologies metric by metric, skipping figures neither run has', () => {
    const local = report.rows.filter((r) => r.topology === 'local');
    expect(local.map((r) => r.metric)).not.toContain('hitRatio.l2');
    expect(local.find((r) => r.metric === 'dbQueriesPerRequest')).toMatchObject({
      a: 0.475,
      b: 0.6,
      change: 'regression',
    });
  });

  it('notes parameter, validity and membership changes and counts regressions', () => {
    expect(report.notes).toEqual([
      'parameters differ: rate 150 → 200',
      'local: REGRESSION: valid in A, invalid in B (lag)',
      'global: only in A',
      'two-tier: only in B',
    ]);
    expect(report.regressions).toBe(2);
  });

  it('renders rows with absolute and relative changes', () => {
    const rows = diffTableRows(report, true);
    expect(rows[0]).toEqual([
      'topology',
      'metric',
      'A run-a',
      'B run-b',
      'A interval',
      'B interval',
      'Δ',
      'Δ%',
      'flag',
    ]);
    expect(rows[1]).toEqual([
      'local',
      'dbQueriesPerRequest',
      '0.475',
      '0.600',
      '0.445–0.505',
      '0.570–0.630',
      '+0.125',
      '+26.3%',
      'REGRESSION',
    ]);
    expect(rows).toHaveLength(2);
  });
});
