import type { Table } from '../../report/report-tables.ts';
import type {
  ScenarioFigures,
  ScenarioResults,
  ScenarioRunRecord,
} from '../../report/scenario-results-schema.ts';
import { fixed, NA, percent } from '../../text/format.ts';

const secs = (v: number | null): string => (v === null ? NA : `${v} s`);
const held = (v: { holds: boolean; broken: number } | undefined): string =>
  v === undefined ? NA : v.holds ? 'held' : `broken ${v.broken} s`;

/** The row of one run in the cross-topology table. */
function rowOf(r: ScenarioRunRecord): string[] {
  const f = r.figures;
  return [
    r.scenario,
    r.variant ? `${r.topology} (${r.variant})` : r.topology,
    r.status,
    f ? percent(f.availability, 2) : NA,
    f ? String(f.requestsFailed) : NA,
    secs(f?.timeToDetectSec ?? null),
    secs(f?.timeToRecoverSec ?? null),
    f?.peakDbQps === null || !f ? NA : `${fixed(f.peakDbQps, 0)} (${fixed(f.peakDbFactor, 1)}×)`,
    f?.hitRatioDip === null || !f ? NA : `${fixed(f.hitRatioDip * 100, 1)} pts / ${f.dipSeconds} s`,
    f ? `${f.staleReads} / ${fixed(f.maxStaleWindowMs, 0)} ms` : NA,
    held(r.verdicts?.before),
    held(r.verdicts?.during),
    held(r.verdicts?.after),
  ];
}

/** Every run side by side: availability, detection, recovery, DB peak, dip, staleness, verdicts. */
export function crossTopologyTable(results: ScenarioResults): Table {
  return {
    header: [
      'scenario',
      'topology',
      'status',
      'availability',
      'failed',
      'detect',
      'recover',
      'peak DB q/s (× base)',
      'hit-ratio dip',
      'stale reads / longest',
      'before',
      'during',
      'after',
    ],
    rows: results.runs.map(rowOf),
  };
}

/** What was not run and why (a missing component, or a topology the scenario does not apply to). */
export function notRunTable(results: ScenarioResults): Table {
  return {
    header: ['scenario', 'topology', 'why not run'],
    rows: results.notRun.map((n) => [n.scenario, n.topology ?? 'all', n.reason]),
  };
}

/** The actions and rollbacks of one run, as they happened. */
export function eventsTable(r: ScenarioRunRecord): Table {
  return {
    header: ['at', 'what', 'took', 'outcome'],
    rows: r.events.map((e) => [
      `${e.startedSec.toFixed(1)} s`,
      e.phase === 'rollback' ? `rollback: ${e.description}` : e.description,
      `${(e.endedSec - e.startedSec).toFixed(2)} s`,
      e.ok ? e.detail : `FAILED: ${e.detail}`,
    ]),
  };
}

/** One server's bus cut: the cut server against the others, before, during and after the cut. */
export function busPartitionTable(
  b: ScenarioFigures['busPartition'] | undefined,
): Table | undefined {
  if (!b) return undefined;
  const share = (v: number | null) => (v === null ? NA : percent(v, 0));
  const rate = (v: number | null) => (v === null ? NA : `${fixed(v, 1)}/s`);
  const rows = (who: string, side: 'cutServer' | 'otherServers') =>
    (['before', 'during', 'after'] as const).map((phase) => [
      who,
      phase,
      String(b[side][phase].reads),
      String(b[side][phase].staleReads),
      share(b[side][phase].l1Share),
      rate(b.received[side][phase]),
    ]);
  return {
    header: ['servers', 'bus cut', 'reads', 'stale reads', 'from L1', 'bus messages heard'],
    rows: [...rows(b.server, 'cutServer'), ...rows('the others', 'otherServers')],
  };
}
