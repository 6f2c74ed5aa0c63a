import { describe, expect, it } from 'vitest';
import { measuredFixture, resultsFixture } from '../report/test-fixtures.ts';
import { compareMetric, DIFF_METRICS, diffResults, diffTableRows } from './diff.ts';

const metric = (key: string) => {
  const found = DIFF_METRICS.find((m) => m.key === key);
  if (!found) throw new Error(`no metric ${key}`);
  return found;
};

describe('compareMetric', () => {
  it('flags a latency rise beyond both tolerances as a regression', () => {
    expect(compareMetric(metric('latency.p99'), 10, 12)).toMatchObject({
      delta: 2,
      relative: 0.2,
      change: 'regression',
    });
    expect(compareMetric(metric('latency.p99'), 10, 10.9).change).toBe('same');
    expect(compareMetric(metric('latency.p99'), 0.1, 0.5).change).toBe('same');
    expect(compareMetric(metric('latency.p99'), 12, 10).change).toBe('improvement');
  });

  it('treats a falling hit ratio as a regression and a missing side as n/a', () => {
    expect(compareMetric(metric('hitRatio.overall'), 0.8, 0.7).change).toBe('regression');
    expect(compareMetric(metric('hitRatio.overall'), 0.8, 0.79).change).toBe('same');
    expect(compareMetric(metric('hitRatio.l2'), null, 0.5)).toMatchObject({
      change: 'n/a',
      delta: null,
    });
  });

  it('has no relative change from zero but still compares the absolute one', () => {
    expect(compareMetric(metric('staleReadRate'), 0, 0.01)).toMatchObject({
      relative: null,
      change: 'regression',
    });
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
    expect(rows[0]).toEqual(['topology', 'metric', 'A run-a', 'B run-b', 'Δ', 'Δ%', 'flag']);
    expect(rows[1]).toEqual([
      'local',
      'dbQueriesPerRequest',
      '0.475',
      '0.600',
      '+0.125',
      '+26.3%',
      'REGRESSION',
    ]);
    expect(rows).toHaveLength(2);
  });
});
