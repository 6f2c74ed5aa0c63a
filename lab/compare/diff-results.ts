import type {
  ComparisonResults,
  MeasuredTopology,
  TopologyOutcome,
} from '../report/results-types.ts';
import { formatAs, signedPercent } from '../text/format.ts';
import {
  disjoint,
  type Estimate,
  l1MissedReads,
  labelledReads,
  type NoiseModel,
  noiseInterval,
} from './noise-model.ts';

/** A figure compared between two runs, which way is better, and its noise model for single runs. */
export interface DiffMetric {
  key: string;
  get(t: MeasuredTopology): number | null;
  better: 'lower' | 'higher';
  /** The interval of a run without repeats (runs with repeats use their own interval). */
  noise: NoiseModel;
  format: 'number' | 'percent' | 'ms';
}

const redisOpsPerRequest = (t: MeasuredTopology): number | null => {
  if (t.redisOpsPerNode.length === 0 || t.database.serverRequests === 0) return null;
  return t.redisOpsPerNode.reduce((s, n) => s + n.ops, 0) / t.database.serverRequests;
};

const relative = (rel: number, abs: number): NoiseModel => ({ kind: 'relative', rel, abs });
const proportion = (trials: (t: MeasuredTopology) => number, abs: number): NoiseModel => ({
  kind: 'proportion',
  trials,
  abs,
});
const bigger = (f: DiffMetric['format']) => ({ better: 'higher' as const, format: f });
const smaller = (f: DiffMetric['format']) => ({ better: 'lower' as const, format: f });

/**
 * Least half-width of a single run's hit-ratio interval: warm-up stops once its halves agree within
 * 2 points or their sampling noise, and how many warm-up requests a loaded machine serves varies,
 * so two runs of one build can stand a few points apart before any sampling noise.
 */
export const WARMTH_NOISE = 0.03;

/** The metrics `cachelab diff` compares, in display order. */
export const DIFF_METRICS: readonly DiffMetric[] = [
  { key: 'achievedRps', get: (t) => t.achievedRps, ...bigger('number'), noise: relative(0.03, 1) },
  {
    key: 'throughputRps',
    get: (t) => t.throughputRps,
    ...bigger('number'),
    noise: relative(0.03, 1),
  },
  { key: 'latency.p50', get: (t) => t.latencyMs.p50, ...smaller('ms'), noise: relative(0.2, 0.1) },
  {
    key: 'latency.p99',
    get: (t) => t.latencyMs.p99,
    ...smaller('ms'),
    noise: relative(0.3, 0.25),
  },
  {
    key: 'latency.p999',
    get: (t) => t.latencyMs.p999,
    ...smaller('ms'),
    noise: relative(0.5, 0.5),
  },
  {
    key: 'hitRatio.overall',
    get: (t) => t.hitRatio.overall,
    ...bigger('percent'),
    noise: proportion(labelledReads, WARMTH_NOISE),
  },
  {
    key: 'hitRatio.l1',
    get: (t) => t.hitRatio.l1,
    ...bigger('percent'),
    noise: proportion(labelledReads, WARMTH_NOISE),
  },
  {
    key: 'hitRatio.l2',
    get: (t) => t.hitRatio.l2,
    ...bigger('percent'),
    noise: proportion(l1MissedReads, WARMTH_NOISE),
  },
  {
    key: 'dbQueriesPerRequest',
    get: (t) => t.dbQueriesPerRequest,
    ...smaller('number'),
    noise: proportion((t) => t.database.serverRequests, WARMTH_NOISE),
  },
  {
    key: 'redisOpsPerRequest',
    get: redisOpsPerRequest,
    ...smaller('number'),
    noise: relative(0.05, 0.02),
  },
  {
    key: 'staleReadRate',
    get: (t) => t.staleReadRate,
    ...smaller('percent'),
    noise: proportion(labelledReads, 0.002),
  },
  {
    key: 'errorRate',
    get: (t) => t.errorRate,
    ...smaller('percent'),
    noise: proportion((t) => t.requests.sent, 0.001),
  },
];

/** How one metric of one topology changed. */
export interface DiffRow {
  topology: string;
  metric: string;
  a: number | null;
  b: number | null;
  /** The interval each side is known within (null when the side lacks the figure). */
  aInterval: [number, number] | null;
  bInterval: [number, number] | null;
  delta: number | null;
  /** delta / a (null when a is 0 or missing). */
  relative: number | null;
  change: 'regression' | 'improvement' | 'within-noise' | 'n/a';
  format: DiffMetric['format'];
}

/** Everything that changed from run A to run B. */
export interface DiffReport {
  a: string;
  b: string;
  rows: DiffRow[];
  /** Status or validity changes, parameter differences, topologies only in one run. */
  notes: string[];
  regressions: number;
}

/**
 * A metric's value in one run with its interval: the median and order-statistic interval of the
 * run's repeats when it has them, otherwise the single value with the metric's noise model.
 */
export function estimateOf(metric: DiffMetric, t: MeasuredTopology): Estimate | null {
  const repeated = t.repeat?.figures[metric.key];
  if (repeated) {
    return { value: repeated.median, low: repeated.low, high: repeated.high, source: 'repeats' };
  }
  const value = metric.get(t);
  if (value === null) return null;
  const [low, high] = noiseInterval(metric.noise, t, value);
  return { value, low, high, source: 'noise-model' };
}

/**
 * Compares one metric: a change counts only when the two intervals are disjoint (the noise
 * cannot explain it); then it is a regression in the worse direction and an improvement otherwise.
 */
export function compareMetric(
  metric: DiffMetric,
  a: Estimate | null,
  b: Estimate | null,
): Omit<DiffRow, 'topology'> {
  const base = {
    metric: metric.key,
    a: a?.value ?? null,
    b: b?.value ?? null,
    aInterval: a ? ([a.low, a.high] as [number, number]) : null,
    bInterval: b ? ([b.low, b.high] as [number, number]) : null,
    format: metric.format,
  };
  if (a === null || b === null) return { ...base, delta: null, relative: null, change: 'n/a' };
  const delta = b.value - a.value;
  const relative = a.value !== 0 ? delta / a.value : null;
  if (!disjoint(a, b)) return { ...base, delta, relative, change: 'within-noise' };
  const worse = metric.better === 'lower' ? delta > 0 : delta < 0;
  return { ...base, delta, relative, change: worse ? 'regression' : 'improvement' };
}

function statusNote(name: string, a: TopologyOutcome, b: TopologyOutcome): string | undefined {
  if (a.status === 'ok' && b.status === 'failed')
    return `${name}: REGRESSION: measured in A, failed in B (${b.phase}: ${b.error})`;
  if (a.status === 'failed' && b.status === 'ok') return `${name}: failed in A, measured in B`;
  if (a.status === 'ok' && b.status === 'ok' && a.valid !== b.valid) {
    return b.valid
      ? `${name}: invalid in A, valid in B`
      : `${name}: REGRESSION: valid in A, invalid in B (${b.invalidReasons.join('; ')})`;
  }
  return undefined;
}

function parameterNotes(a: ComparisonResults, b: ComparisonResults): string[] {
  const keys = [
    'workload',
    'rate',
    'warmupSec',
    'durationSec',
    'seedUsers',
    'seed',
    'quick',
  ] as const;
  return keys
    .filter((k) => a.parameters[k] !== b.parameters[k])
    .map((k) => `parameters differ: ${k} ${String(a.parameters[k])} → ${String(b.parameters[k])}`);
}

/** Per topology (present in both) and metric, what changed from `a` to `b`, with regressions flagged. */
export function diffResults(a: ComparisonResults, b: ComparisonResults): DiffReport {
  const rows: DiffRow[] = [];
  const notes = parameterNotes(a, b);
  for (const ta of a.topologies) {
    const tb = b.topologies.find((t) => t.topology === ta.topology);
    if (!tb) {
      notes.push(`${ta.topology}: only in A`);
      continue;
    }
    const note = statusNote(ta.topology, ta, tb);
    if (note) notes.push(note);
    if (ta.status !== 'ok' || tb.status !== 'ok') continue;
    for (const m of DIFF_METRICS) {
      const [ea, eb] = [estimateOf(m, ta), estimateOf(m, tb)];
      // A figure neither run has (e.g. an L2 hit ratio without L2) is not a row.
      if (ea !== null || eb !== null)
        rows.push({ topology: ta.topology, ...compareMetric(m, ea, eb) });
    }
  }
  for (const tb of b.topologies) {
    if (!a.topologies.some((t) => t.topology === tb.topology))
      notes.push(`${tb.topology}: only in B`);
  }
  const flagged =
    rows.filter((r) => r.change === 'regression').length +
    notes.filter((n) => n.includes('REGRESSION')).length;
  return { a: a.runId, b: b.runId, rows, notes, regressions: flagged };
}

const FLAGS: Record<DiffRow['change'], string> = {
  regression: 'REGRESSION',
  improvement: 'better',
  'within-noise': 'within noise',
  'n/a': '',
};

const intervalText = (format: DiffMetric['format'], i: [number, number] | null): string =>
  i === null ? 'n/a' : `${formatAs(format, i[0])}–${formatAs(format, i[1])}`;

/** The diff as table rows (header first): topology, metric, A, B, Δ, Δ%, flag. */
export function diffTableRows(report: DiffReport, changedOnly = false): string[][] {
  const rows = changedOnly
    ? report.rows.filter((r) => r.change === 'regression' || r.change === 'improvement')
    : report.rows;
  return [
    ['topology', 'metric', `A ${report.a}`, `B ${report.b}`, 'A interval', 'B interval'].concat([
      'Δ',
      'Δ%',
      'flag',
    ]),
    ...rows.map((r) => [
      r.topology,
      r.metric,
      formatAs(r.format, r.a),
      formatAs(r.format, r.b),
      intervalText(r.format, r.aInterval),
      intervalText(r.format, r.bInterval),
      r.delta === null ? 'n/a' : `${r.delta > 0 ? '+' : ''}${formatAs(r.format, r.delta)}`,
      signedPercent(r.relative),
      FLAGS[r.change],
    ]),
  ];
}
