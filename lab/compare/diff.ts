import { formatAs, signedPercent } from '../report/format.ts';
import type {
  ComparisonResults,
  MeasuredTopology,
  TopologyOutcome,
} from '../report/results-types.ts';

/** A figure compared between two runs, which way is better, and how big a change must be to count. */
export interface DiffMetric {
  key: string;
  get(t: MeasuredTopology): number | null;
  better: 'lower' | 'higher';
  /** A change counts only when larger than this (absolute, in the metric's unit)… */
  absTolerance: number;
  /** …and larger than this share of the old value. */
  relTolerance: number;
  format: 'number' | 'percent' | 'ms';
}

const redisOpsPerRequest = (t: MeasuredTopology): number | null => {
  if (t.redisOpsPerNode.length === 0 || t.database.serverRequests === 0) return null;
  return t.redisOpsPerNode.reduce((s, n) => s + n.ops, 0) / t.database.serverRequests;
};

/** The metrics `cachelab diff` compares, in display order. */
export const DIFF_METRICS: readonly DiffMetric[] = [
  {
    key: 'achievedRps',
    get: (t) => t.achievedRps,
    better: 'higher',
    absTolerance: 1,
    relTolerance: 0.02,
    format: 'number',
  },
  {
    key: 'throughputRps',
    get: (t) => t.throughputRps,
    better: 'higher',
    absTolerance: 1,
    relTolerance: 0.02,
    format: 'number',
  },
  {
    key: 'latency.p50',
    get: (t) => t.latencyMs.p50,
    better: 'lower',
    absTolerance: 0.2,
    relTolerance: 0.1,
    format: 'ms',
  },
  {
    key: 'latency.p99',
    get: (t) => t.latencyMs.p99,
    better: 'lower',
    absTolerance: 0.5,
    relTolerance: 0.1,
    format: 'ms',
  },
  {
    key: 'latency.p999',
    get: (t) => t.latencyMs.p999,
    better: 'lower',
    absTolerance: 1,
    relTolerance: 0.15,
    format: 'ms',
  },
  {
    key: 'hitRatio.overall',
    get: (t) => t.hitRatio.overall,
    better: 'higher',
    absTolerance: 0.02,
    relTolerance: 0,
    format: 'percent',
  },
  {
    key: 'hitRatio.l1',
    get: (t) => t.hitRatio.l1,
    better: 'higher',
    absTolerance: 0.02,
    relTolerance: 0,
    format: 'percent',
  },
  {
    key: 'hitRatio.l2',
    get: (t) => t.hitRatio.l2,
    better: 'higher',
    absTolerance: 0.02,
    relTolerance: 0,
    format: 'percent',
  },
  {
    key: 'dbQueriesPerRequest',
    get: (t) => t.dbQueriesPerRequest,
    better: 'lower',
    absTolerance: 0.02,
    relTolerance: 0.05,
    format: 'number',
  },
  {
    key: 'redisOpsPerRequest',
    get: redisOpsPerRequest,
    better: 'lower',
    absTolerance: 0.05,
    relTolerance: 0.05,
    format: 'number',
  },
  {
    key: 'staleReadRate',
    get: (t) => t.staleReadRate,
    better: 'lower',
    absTolerance: 0.001,
    relTolerance: 0,
    format: 'percent',
  },
  {
    key: 'errorRate',
    get: (t) => t.errorRate,
    better: 'lower',
    absTolerance: 0.001,
    relTolerance: 0,
    format: 'percent',
  },
];

/** How one metric of one topology changed. */
export interface DiffRow {
  topology: string;
  metric: string;
  a: number | null;
  b: number | null;
  delta: number | null;
  /** delta / a (null when a is 0 or missing). */
  relative: number | null;
  change: 'regression' | 'improvement' | 'same' | 'n/a';
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

/** Compares one metric: a change in the worse direction beyond both tolerances is a regression. */
export function compareMetric(
  metric: DiffMetric,
  a: number | null,
  b: number | null,
): Omit<DiffRow, 'topology'> {
  const base = { metric: metric.key, a, b, format: metric.format };
  if (a === null || b === null) return { ...base, delta: null, relative: null, change: 'n/a' };
  const delta = b - a;
  const relative = a !== 0 ? delta / a : null;
  const beyond =
    Math.abs(delta) > metric.absTolerance &&
    (relative === null || Math.abs(relative) > metric.relTolerance);
  if (!beyond) return { ...base, delta, relative, change: 'same' };
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
      const [va, vb] = [m.get(ta), m.get(tb)];
      // A figure neither run has (e.g. an L2 hit ratio without L2) is not a row.
      if (va !== null || vb !== null)
        rows.push({ topology: ta.topology, ...compareMetric(m, va, vb) });
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
  same: '',
  'n/a': '',
};

/** The diff as table rows (header first): topology, metric, A, B, Δ, Δ%, flag. */
export function diffTableRows(report: DiffReport, changedOnly = false): string[][] {
  const rows = changedOnly
    ? report.rows.filter((r) => r.change === 'regression' || r.change === 'improvement')
    : report.rows;
  return [
    ['topology', 'metric', `A ${report.a}`, `B ${report.b}`, 'Δ', 'Δ%', 'flag'],
    ...rows.map((r) => [
      r.topology,
      r.metric,
      formatAs(r.format, r.a),
      formatAs(r.format, r.b),
      r.delta === null ? 'n/a' : `${r.delta > 0 ? '+' : ''}${formatAs(r.format, r.delta)}`,
      signedPercent(r.relative),
      FLAGS[r.change],
    ]),
  ];
}
