import { millis, NA, number, percent, points } from '../text/format.ts';
import type {
  CalibrationFigures,
  ComparisonResults,
  FailedTopology,
  MeasuredTopology,
} from './results-types.ts';

/** A table as plain text cells: rendered as Markdown, HTML or terminal columns. */
export interface Table {
  header: string[];
  rows: string[][];
}

// Reasons are listed in the report's notes and under the terminal table, not in the cell.
const runState = (t: MeasuredTopology): string => (t.valid ? 'valid' : 'INVALID');

/** A figure as `median [low–high]` when the topology ran with repeats, else the single value. */
function withInterval(
  t: MeasuredTopology,
  key: string,
  value: number | null,
  show: (v: number | null) => string,
): string {
  const r = t.repeat?.figures[key];
  return r ? `${show(r.median)} [${show(r.low)}–${show(r.high)}]` : show(value);
}

function measuredRow(t: MeasuredTopology): string[] {
  const h = t.hitRatio;
  return [
    t.topology,
    runState(t),
    `${number(t.offeredRps, 0)} → ${withInterval(t, 'achievedRps', t.achievedRps, (v) => number(v, 1))}`,
    withInterval(t, 'latency.p50', t.latencyMs.p50, millis),
    withInterval(t, 'latency.p99', t.latencyMs.p99, millis),
    `${withInterval(t, 'hitRatio.overall', h.overall, percent)} / ${percent(h.l1)} / ${percent(h.l2)}`,
    number(t.dbQueriesPerRequest, 3),
    withInterval(t, 'staleReadRate', t.staleReadRate, (v) => percent(v, 2)),
    percent(t.errorRate, 2),
  ];
}

function failedRow(t: FailedTopology): string[] {
  return [t.topology, `FAILED (${t.phase})`, NA, NA, NA, NA, NA, NA, NA];
}

/** One row per topology: validity, rate, latency, hit ratios, DB queries, stale reads, errors. */
export function summaryTable(results: ComparisonResults): Table {
  return {
    header: [
      'topology',
      'run',
      'req/s offered → started',
      'p50',
      'p99',
      'hit all / L1 / L2',
      'DB q/req',
      'stale',
      'errors',
    ],
    rows: results.topologies.map((t) => (t.status === 'ok' ? measuredRow(t) : failedRow(t))),
  };
}

/** The apps' count of aggregate queries against pg_stat_statements, per measured topology. */
export function databaseTable(measured: readonly MeasuredTopology[]): Table {
  return {
    header: [
      'topology',
      'requests (apps)',
      'aggregate queries (apps)',
      'pg_stat_statements calls',
      'cross-check',
      'mean query time',
      'Postgres buffer hit',
    ],
    rows: measured.map((t) => {
      const d = t.database;
      const blocks = d.blksHit + d.blksRead;
      return [
        t.topology,
        number(d.serverRequests),
        number(d.aggregateQueries),
        d.statementsCalls === null ? NA : number(d.statementsCalls),
        d.crossCheck,
        millis(d.statementsMeanMs),
        blocks > 0 ? percent(d.blksHit / blocks, 2) : NA,
      ];
    }),
  };
}

/** Requests per app server (client side, by X-Served-By), per measured topology. */
export function serversTable(measured: readonly MeasuredTopology[]): Table {
  return {
    header: ['topology', 'requests per app server', 'L1 entries', 'invalidations sent / received'],
    rows: measured.map((t) => [
      t.topology,
      t.appServers.map((a) => `${a.server} ${number(a.requests)}`).join(', '),
      t.appServers.map((a) => number(a.l1Entries)).join(' / '),
      `${number(t.appServers.reduce((s, a) => s + a.invalidationsSent, 0))} / ${number(t.appServers.reduce((s, a) => s + a.invalidationsReceived, 0))}`,
    ]),
  };
}

const signedPoints = (d: number | null | undefined): string =>
  d === null || d === undefined ? NA : `${d >= 0 ? '+' : ''}${points(d, 1)}`;

/** Simulated vs measured hit ratio per topology and tier, and stale reads, with the deltas in points. */
export function calibrationTable(c: CalibrationFigures): Table {
  const pair = (sim: number | null | undefined, measured: number | null | undefined) =>
    `${percent(sim ?? null)} / ${percent(measured ?? null)}`;
  const staleTolerance =
    c.staleTolerance === undefined ? '' : ` (±${points(c.staleTolerance, 0)} pts)`;
  return {
    header: [
      'topology',
      'simulated as',
      'overall sim / measured',
      'L1 sim / measured',
      'L2 sim / measured',
      'Δ overall / L1 / L2 (points)',
      `stale sim / measured${staleTolerance}`,
      `within ±${points(c.tolerance, 0)} pts`,
    ],
    rows: c.entries.map((e) => [
      e.topology,
      e.simulatedAs ?? NA,
      pair(e.simulated?.overall, e.measured.overall),
      pair(e.simulated?.l1, e.measured.l1),
      pair(e.simulated?.l2, e.measured.l2),
      `${signedPoints(e.delta?.overall)} / ${signedPoints(e.delta?.l1)} / ${signedPoints(e.delta?.l2)}`,
      e.staleReads ? pair(e.staleReads.simulated, e.staleReads.measured) : NA,
      e.withinTolerance ? 'yes' : 'NO',
    ]),
  };
}

/** How each topology's warm-up ended: seconds, extra windows, the halves' hit ratios, stability. */
export function warmupTable(measured: readonly MeasuredTopology[]): Table {
  return {
    header: [
      'topology',
      'warm-up',
      'windows re-measured',
      'hit ratio 1st / 2nd half',
      'stable within',
      'verdict',
    ],
    rows: measured.flatMap((t) => {
      const w = t.warmup;
      if (!w) return [];
      return [
        [
          t.topology,
          `${number(w.seconds, 0)} s, ${number(w.requests)} requests`,
          `${w.extraWindows} of at most ${w.maxExtraWindows}`,
          `${percent(w.halves.first)} / ${percent(w.halves.second)}`,
          `±${points(w.threshold, 1)} pts`,
          w.stable ? 'stable' : 'BOUND REACHED, still moving',
        ],
      ];
    }),
  };
}
