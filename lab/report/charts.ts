import { ladderVerdict, resizeVerdict, scaleVerdict } from './bench-verdicts.ts';
import { type ChartSpec, intervalsOf, labelOf, mediansOf } from './chart-spec.ts';
import { costChart } from './cost-charts.ts';
import type { LadderRow } from './ladder-rows.ts';
import { type ComparisonResults, type MeasuredTopology, measuredOf } from './results-types.ts';
import {
  dbQueriesVerdict,
  hitRatioVerdict,
  latencyVerdict,
  redisVerdict,
  staleVerdict,
  throughputVerdict,
} from './verdicts.ts';

type Base = Omit<ChartSpec, 'id' | 'title' | 'datasets' | 'verdict' | 'yTitle'>;

const bars = (ts: readonly MeasuredTopology[], more: Partial<Base> = {}): Base => ({
  kind: 'bar',
  labels: ts.map(labelOf),
  yScale: 'linear',
  format: 'number',
  stacked: false,
  ...more,
});

function latencyChart(ts: MeasuredTopology[]): ChartSpec {
  const series = (label: string, key: 'p50' | 'p90' | 'p99' | 'p999') => {
    const single = (t: MeasuredTopology) =>
      t.latencyMs.count > 0 ? Math.max(t.latencyMs[key], 0.001) : null;
    return {
      label,
      data: mediansOf(ts, `latency.${key}`, single),
      intervals: intervalsOf(ts, `latency.${key}`),
    };
  };
  const repeated = ts.some((t) => t.repeat);
  return {
    id: 'latency',
    title: 'Latency percentiles per topology',
    ...bars(ts, { yScale: 'logarithmic', format: 'ms' }),
    datasets: [
      series('p50', 'p50'),
      series('p90', 'p90'),
      series('p99', 'p99'),
      series('p99.9', 'p999'),
    ],
    yTitle: `ms (log scale), from the scheduled start${repeated ? '; median of the repeats, error bars = 95 % interval' : ''}`,
    verdict: latencyVerdict(ts),
  };
}

function throughputChart(ts: MeasuredTopology[]): ChartSpec {
  return {
    id: 'throughput',
    title: 'Throughput: offered vs achieved',
    ...bars(ts),
    datasets: [
      { label: 'offered', data: ts.map((t) => t.offeredRps) },
      {
        label: 'started (achieved)',
        data: mediansOf(ts, 'achievedRps', (t) => t.achievedRps),
        intervals: intervalsOf(ts, 'achievedRps'),
      },
      {
        label: 'answered',
        data: mediansOf(ts, 'throughputRps', (t) => t.throughputRps),
        intervals: intervalsOf(ts, 'throughputRps'),
      },
    ],
    yTitle: 'requests per second',
    verdict: throughputVerdict(ts),
  };
}

function hitRatioChart(ts: MeasuredTopology[]): ChartSpec {
  const reads = (t: MeasuredTopology) =>
    ['HIT-L1', 'HIT-L2', 'MISS', 'BYPASS'].reduce(
      (sum, k) => sum + (t.cacheResults[k as 'MISS'] ?? 0),
      0,
    );
  const shareOf = (t: MeasuredTopology, labels: ('HIT-L1' | 'HIT-L2' | 'MISS' | 'BYPASS')[]) => {
    const total = reads(t);
    return total > 0 ? labels.reduce((s, l) => s + (t.cacheResults[l] ?? 0), 0) / total : null;
  };
  return {
    id: 'hit-ratio',
    title: 'Where reads were served: hit ratio by tier',
    ...bars(ts, { stacked: true, format: 'percent' }),
    datasets: [
      { label: 'L1 hit (this server)', data: ts.map((t) => shareOf(t, ['HIT-L1'])) },
      { label: 'L2 hit (shared Redis)', data: ts.map((t) => shareOf(t, ['HIT-L2'])) },
      { label: 'miss or no cache (Postgres)', data: ts.map((t) => shareOf(t, ['MISS', 'BYPASS'])) },
    ],
    yTitle: 'share of reads',
    verdict: hitRatioVerdict(ts),
  };
}

function dbChart(ts: MeasuredTopology[]): ChartSpec {
  return {
    id: 'db-queries',
    title: 'Database queries per request',
    ...bars(ts),
    datasets: [
      {
        label: 'profile aggregate queries per request',
        data: mediansOf(ts, 'dbQueriesPerRequest', (t) => t.dbQueriesPerRequest),
        intervals: intervalsOf(ts, 'dbQueriesPerRequest'),
      },
    ],
    yTitle: 'queries per request (server side)',
    verdict: dbQueriesVerdict(ts),
  };
}

function redisChart(ts: MeasuredTopology[]): ChartSpec {
  const withRedis = ts.filter((t) => t.redisOpsPerNode.length > 0);
  const nodes = Math.max(0, ...withRedis.map((t) => t.redisOpsPerNode.length));
  const datasets = Array.from({ length: nodes }, (_, i) => ({
    label: `redis-${i + 1}`,
    data: withRedis.map(
      (t) => t.redisOpsPerNode.find((n) => n.node === `redis-${i + 1}`)?.opsPerSec ?? null,
    ),
  }));
  return {
    id: 'redis-ops',
    title: 'Redis operations per node',
    ...bars(withRedis, { stacked: true }),
    datasets,
    yTitle: 'operations per second during the measured window',
    verdict: redisVerdict(ts),
  };
}

function staleChart(ts: MeasuredTopology[]): ChartSpec {
  return {
    id: 'stale-reads',
    title: 'Stale-read rate',
    ...bars(ts, { format: 'percent' }),
    datasets: [
      {
        label: 'stale reads / checked reads',
        data: mediansOf(ts, 'staleReadRate', (t) => t.staleReadRate),
        intervals: intervalsOf(ts, 'staleReadRate'),
      },
    ],
    yTitle: 'share of reads that returned an older version than an acknowledged write',
    verdict: staleVerdict(ts),
  };
}

function ladderChart(rows: readonly LadderRow[]): ChartSpec {
  return {
    id: 'latency-ladder',
    title: 'Latency ladder (make bench)',
    kind: 'bar',
    labels: rows.map((r) => r.name),
    datasets: [
      { label: 'p50', data: rows.map((r) => r.p50Ms) },
      { label: 'p99', data: rows.map((r) => r.p99Ms) },
      { label: 'quoted', data: rows.map((r) => r.quotedMs ?? null) },
    ],
    yTitle: 'ms (log scale)',
    yScale: 'logarithmic',
    format: 'ms',
    stacked: false,
    verdict: ladderVerdict(rows),
  };
}

type Simulation = NonNullable<ComparisonResults['simulation']>;
type SimName = keyof Simulation['scale'][number]['topologies'];

function scaleChart(sim: Simulation): ChartSpec {
  const names = Object.keys(sim.scale[0]?.topologies ?? {}) as SimName[];
  return {
    id: 'sim-scale',
    title: 'Simulation: hit ratio vs number of app servers',
    kind: 'line',
    labels: sim.scale.map((r) => String(r.servers)),
    datasets: names.map((n) => ({
      label: n,
      data: sim.scale.map((r) => r.topologies[n]?.hitRatio.overall ?? null),
    })),
    yTitle: 'overall hit ratio',
    xTitle: 'app servers',
    yScale: 'linear',
    format: 'percent',
    stacked: false,
    verdict: scaleVerdict(sim),
  };
}

function resizeChart(sim: Simulation, focus: 'moved' | 'dip'): ChartSpec {
  const key = (c: Simulation['resize'][number]) => `${c.from}→${c.to}`;
  const changes = [...new Set(sim.resize.map(key))];
  const schemes = [...new Set(sim.resize.map((c) => c.scheme))];
  const datasets = schemes.map((scheme) => ({
    label: scheme,
    data: changes.map((l) => {
      const c = sim.resize.find((x) => x.scheme === scheme && key(x) === l);
      return c ? (focus === 'moved' ? c.movedKeyShare : c.dip) : null;
    }),
  }));
  const moved = focus === 'moved';
  return {
    id: moved ? 'sim-resize-moved' : 'sim-resize-dip',
    title: moved
      ? 'Simulation: keys moved by a resize'
      : 'Simulation: hit-ratio dip after a resize',
    kind: 'bar',
    labels: changes,
    datasets,
    yTitle: moved ? 'share of keys whose node changed' : 'hit ratio before − just after',
    xTitle: 'cache nodes',
    yScale: 'linear',
    format: 'percent',
    stacked: false,
    verdict: resizeVerdict(sim, focus),
  };
}

/**
 * Every chart of the report, in order. Redis only when a measured topology uses it; the ladder and
 * simulation charts only when their data exists.
 */
export function buildCharts(
  results: ComparisonResults,
  ladder?: readonly LadderRow[],
): ChartSpec[] {
  const ts = measuredOf(results);
  const charts = [latencyChart(ts), throughputChart(ts), hitRatioChart(ts), dbChart(ts)];
  if (ts.some((t) => t.redisOpsPerNode.length > 0)) charts.push(redisChart(ts));
  charts.push(staleChart(ts));
  const cost = costChart(ts);
  if (cost) charts.push(cost);
  if (ladder && ladder.length > 0) charts.push(ladderChart(ladder));
  const sim = results.simulation;
  if (sim) charts.push(scaleChart(sim), resizeChart(sim, 'moved'), resizeChart(sim, 'dip'));
  return charts;
}
