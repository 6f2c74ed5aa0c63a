import { createLogger } from '../../../services/app/src/logger.ts';
import { createMetrics } from '../../../services/app/src/metrics.ts';
import { duration, multiple } from '../../text/format.ts';
import { renderSection, renderTable } from '../../text/table.ts';
import type { BenchEnv } from '../bench-env.ts';
import { saveBenchResult } from '../bench-results.ts';
import { atMost, type GoalVerdict, ratio, roundSignificant } from '../bench-stats.ts';
import { machineInfo } from '../machine.ts';
import { measureProfileAggregate } from '../profile-aggregate/profile-aggregate-bench.ts';
import {
  clusterRungs,
  diskRungs,
  QUOTES,
  REDIS_LAYER,
  REDIS_RAW,
  type Rung,
  type RungContext,
  ramRungs,
  redisRungs,
  timerFloor,
} from './ladder-rungs.ts';
import type { SampleCount } from './sampler.ts';

/** One row of results/bench/latency-ladder.json (the shape lab/report/ladder-rows.ts reads). */
export interface LadderRow {
  name: string;
  p50Ms: number;
  p99Ms: number;
  quotedMs: number;
  /** Measured p50 / quoted figure. */
  ratio: number | null;
  samples: number;
  quotedSource: string;
}

/** What the ladder part returns (and saves). */
export interface LadderResult {
  rows: LadderRow[];
  goals: GoalVerdict[];
  timerFloorMs: number;
  path: string;
}

/** Sample counts: in-process rungs are cheap, network rungs cost a round trip, the aggregate more. */
function counts(quick: boolean): { local: SampleCount; network: SampleCount; database: number } {
  const scale = quick ? 0.1 : 1;
  return {
    local: { samples: Math.round(200_000 * scale), warmup: Math.round(20_000 * scale) },
    network: { samples: Math.round(20_000 * scale), warmup: Math.round(2_000 * scale) },
    database: Math.round(3_000 * scale),
  };
}

/** Measures every rung, prints the table, saves results/bench/latency-ladder.json. */
export async function runLadder(
  env: BenchEnv,
  options: { quick: boolean; log: (text: string) => void },
): Promise<LadderResult> {
  const { profile } = await env.postgres();
  const n = counts(options.quick);
  const rows = (await measureRungs(env, profile, n)).map(toRow);
  const floor = await timerFloor(n.local);
  const goals = [redisGoal(rows)];
  options.log(printLadder(rows, goals, floor.p50Ms, profile.length));
  const saved = {
    benchmark: 'latency-ladder',
    at: new Date().toISOString(),
    machine: machineInfo(),
    quick: options.quick,
    valueBytes: profile.length,
    timerFloorMs: floor.p50Ms,
    rows,
    goals,
  };
  const path = await saveBenchResult('latency-ladder.json', saved);
  return { rows, goals, timerFloorMs: floor.p50Ms, path };
}

/** Every rung, fastest level first; the app's real metrics observer is used where the app uses it. */
async function measureRungs(
  env: BenchEnv,
  profile: Buffer,
  n: ReturnType<typeof counts>,
): Promise<Rung[]> {
  const logger = createLogger({ level: 'warn', serverId: 'bench' });
  const metrics = createMetrics({ topology: 'bench', serverId: 'bench' });
  const ctx = (count: SampleCount): RungContext => ({ env, profile, count, metrics, logger });
  const rungs = [
    ...(await ramRungs(ctx(n.local))),
    ...(await diskRungs(ctx(n.local))),
    ...(await redisRungs(ctx(n.network))),
    ...(await clusterRungs(ctx(n.network))),
  ];
  const { handle } = await env.postgres();
  const aggregate = await measureProfileAggregate(handle.url, { samples: n.database });
  return [...rungs, { name: 'Postgres profile aggregate', quote: QUOTES.database, ...aggregate }];
}

function toRow(rung: Rung): LadderRow {
  const value = ratio(rung.p50Ms, rung.quote.ms);
  return {
    name: rung.name,
    p50Ms: roundSignificant(rung.p50Ms),
    p99Ms: roundSignificant(rung.p99Ms),
    quotedMs: rung.quote.ms,
    ratio: value === null ? null : roundSignificant(value, 3),
    samples: rung.samples,
    quotedSource: rung.quote.source,
  };
}

/** Goal: a Redis hit through the cache layer costs ≤ 1.2× a raw ioredis GET (p50), single Redis. */
export function redisGoal(rows: readonly LadderRow[]): GoalVerdict {
  const find = (name: string) => rows.find((row) => row.name === name)?.p50Ms ?? Number.NaN;
  const layer = find(REDIS_LAYER);
  const raw = find(REDIS_RAW);
  return atMost(
    'Redis hit via cache layer ≤ 1.2× raw ioredis GET (p50)',
    ratio(layer, raw),
    1.2,
    multiple,
  );
}

const LADDER_COLUMNS = [
  { header: 'rung' },
  { header: 'p50', right: true },
  { header: 'p99', right: true },
  { header: 'quoted', right: true },
  { header: 'p50/quoted', right: true },
  { header: 'samples', right: true },
];

function printLadder(
  rows: LadderRow[],
  goals: GoalVerdict[],
  floorMs: number,
  bytes: number,
): string {
  const cells = rows.map((row) => [
    row.name,
    duration(row.p50Ms),
    duration(row.p99Ms),
    duration(row.quotedMs),
    multiple(row.ratio),
    String(row.samples),
  ]);
  const notes = [
    `value: profile 1 as stored (${bytes} bytes); warm; async rungs include one clock read + await (${duration(floorMs)} p50).`,
    ...Object.values(QUOTES).map((q) => `quoted ${duration(q.ms)}: ${q.source}`),
    ...goals.map((g) => `GOAL ${g.pass ? 'PASS' : 'FAIL'}: ${g.goal}: ${g.detail}`),
  ];
  return renderSection('Latency ladder', renderTable(LADDER_COLUMNS, cells), notes);
}
