import { bytes, millis, number, points } from '../text/format.ts';
import { calibrationVerdict } from './bench-verdicts.ts';
import type { ChartSpec } from './chart-spec.ts';
import { buildCharts } from './charts.ts';
import { consistencySection } from './consistency-report.ts';
import { costSection } from './cost-table.ts';
import type { LadderRow } from './ladder-rows.ts';
import { networkTables } from './network-tables.ts';
import {
  calibrationTable,
  databaseTable,
  serversTable,
  summaryTable,
  type Table,
  warmupTable,
} from './report-tables.ts';
import { type ComparisonResults, failedOf, measuredOf } from './results-types.ts';

/** A titled table with an optional sentence above it. */
export interface ReportTable {
  id: string;
  title: string;
  text?: string;
  table: Table;
}

/** Everything report.md and report.html show, computed once from results.json. */
export interface ReportModel {
  title: string;
  /** Key/value facts about the run: parameters, machine, versions. */
  facts: [string, string][];
  /** Sentences the reader must see first: failed topologies, invalid runs, missing inputs. */
  notes: string[];
  summary: Table;
  charts: ChartSpec[];
  tables: ReportTable[];
}

/** Extra inputs of the report besides results.json. */
export interface ReportInputs {
  /** Rows of results/bench/latency-ladder.json, when `make bench` wrote it. */
  ladder?: LadderRow[];
  /** Why the ladder is missing or unusable (shown as a note). */
  ladderNote?: string;
}

/** What each driver means for where the servers ran. */
const DRIVER_MEANS: Record<ComparisonResults['parameters']['driver'], string> = {
  native: 'processes on this machine, 127.0.0.1',
  compose: 'Docker Compose containers, ports published on 127.0.0.1',
  swarm: 'Docker Swarm services',
  remote: 'a lab running elsewhere (swarm, Kubernetes), measured through --target',
};

function warmupFacts(p: ComparisonResults['parameters']): [string, string][] {
  const facts: [string, string][] = [];
  const w = p.warmupPolicy;
  if (w) {
    facts.push([
      'warm-up',
      `chunks of ${p.warmupSec} s at ${number(w.rps)} req/s until a chunk's halves agree on the hit ratio within ${(w.stableWithin * 100).toFixed(0)} points (at most ${w.maxSec} s), then the measured window, re-measured after one more chunk while its halves disagree (at most ${w.maxExtraWindows} times; then flagged)`,
    ]);
  }
  if (p.repeat && p.repeat > 1) {
    facts.push([
      'repeats',
      `${p.repeat} runs per topology; figures are medians with a 95 % order-statistic interval (the range below 6 runs: 75 % for 3, 94 % for 5)`,
    ]);
  }
  return facts;
}

function factsOf(r: ComparisonResults): [string, string][] {
  const p = r.parameters;
  const v = r.versions;
  return [
    ['run', `${r.runId} (${r.createdAt}, ${number(r.elapsedSec, 0)} s)`],
    [
      'workload',
      `${p.workload}, ${number(p.rate)} req/s offered, warm-up ${p.warmupSec} s, measured ${p.durationSec} s`,
    ],
    ['data', `${number(p.seedUsers)} users seeded; keys 1..${number(p.keyCount)}; seed ${p.seed}`],
    ['mode', p.quick ? 'quick' : 'full length'],
    ...warmupFacts(p),
    ['driver', `${p.driver} (${DRIVER_MEANS[p.driver]})`],
    [
      'validity',
      `a run is invalid when the generator drops >1%, starts <95% of the offered rate, or its scheduling lag p99 exceeds ${millis(p.maxLagP99Ms)}`,
    ],
    [
      'machine',
      `${r.machine.cpuModel}, ${r.machine.cores} cores, ${bytes(r.machine.memoryBytes)}, ${r.machine.platform} ${r.machine.osRelease}`,
    ],
    [
      'versions',
      `Node ${v.node}, Postgres ${v.postgres ?? 'n/a'}, Redis ${v.redis ?? 'n/a'}, nginx ${v.nginx ?? 'n/a'}`,
    ],
  ];
}

function notesOf(r: ComparisonResults, inputs: ReportInputs): string[] {
  const notes = failedOf(r).map(
    (t) => `${t.topology} was not measured: ${t.phase} failed: ${t.error}`,
  );
  for (const t of measuredOf(r)) {
    if (!t.valid) notes.push(`${t.topology}: invalid run (${t.invalidReasons.join('; ')}).`);
    for (const w of t.warnings) notes.push(`${t.topology}: ${w}`);
  }
  if (inputs.ladderNote) notes.push(inputs.ladderNote);
  if (r.simulation) notes.push(`Simulation figures: ${r.simulation.source}.`);
  return notes;
}

function calibrationSection(c: NonNullable<ComparisonResults['calibration']>): ReportTable {
  const st = c.settings;
  const replay =
    `For each topology the simulator replayed the same run: its own warm-up (extended until the ` +
    `hit ratio settled) and ${number(st.measuredRequests)} measured requests over ` +
    `${number(st.keyCount)} keys, with the topology's cache size (L1 ${number(st.cacheEntries)} ` +
    `entries per server; local and local-disk invalidate only the server that took a write, as the ` +
    `apps do); tolerance ±${points(c.tolerance, 0)} points (absolute) per tier` +
    (c.staleTolerance === undefined
      ? '.'
      : ` and ±${points(c.staleTolerance, 0)} points on the stale-read rate.`);
  return {
    id: 'calibration',
    title: `Calibration: simulation vs measurement at N=${c.servers}`,
    text: `${calibrationVerdict(c)} ${replay}`,
    table: calibrationTable(c),
  };
}

function tablesOf(r: ComparisonResults): ReportTable[] {
  const measured = measuredOf(r);
  const cost = costSection(measured);
  const tables: ReportTable[] = [
    ...(cost ? [cost] : []),
    { id: 'servers', title: 'Requests per app server', table: serversTable(measured) },
    {
      id: 'database',
      title: 'Database: the apps’ count vs pg_stat_statements',
      text: 'DB queries per request divide the apps’ profile_aggregate count by the profile requests they answered between the scrapes; pg_stat_statements counts the same statements on the Postgres side.',
      table: databaseTable(measured),
    },
  ];
  const warmed = measured.filter((t) => t.warmup);
  if (warmed.length > 0) {
    tables.push({
      id: 'warmup',
      title: 'Warm-up: until the hit ratio is stable',
      text:
        'Each topology was warmed in chunks at a higher rate until a chunk’s two halves agreed on ' +
        'the hit ratio, then measured; a measured window whose halves still disagreed was counted ' +
        'as warm-up and measured again, up to the stated bound. Stable means within 2 points, or ' +
        'within the sampling noise of the difference when a half holds too few reads to tell 2 points.',
      table: warmupTable(warmed),
    });
  }
  const staleness = consistencySection(r);
  if (staleness) tables.push(staleness);
  if (r.calibration) tables.push(calibrationSection(r.calibration));
  tables.push(...networkTables(r));
  return tables;
}

/** Builds the report's content from a comparison's results (and the latency ladder when present). */
export function buildReportModel(r: ComparisonResults, inputs: ReportInputs = {}): ReportModel {
  return {
    title: `cachelab comparison — ${r.parameters.workload}, ${measuredOf(r).length} of ${r.topologies.length} topologies measured`,
    facts: factsOf(r),
    notes: notesOf(r, inputs),
    summary: summaryTable(r),
    charts: buildCharts(r, inputs.ladder),
    tables: tablesOf(r),
  };
}
