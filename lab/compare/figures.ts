import type { CacheResultLabel, RunResult } from '../../loadtests/result-types.ts';
import type { MeasuredWindow } from '../measure/measure-window.ts';
import type { AppCounters } from '../measure/scrape/app-metrics.ts';
import type { ServerDelta } from '../measure/scrape/snapshot.ts';
import { describeRedis } from '../render/redis/redis-config.ts';
import type { MeasuredTopology, TierHitRatioFigures } from '../report/results-types.ts';
import { percent, points } from '../text/format.ts';
import type { Topology } from '../topology/model.ts';
import { consistencyFigures } from './consistency-figures.ts';
import type { WarmupRecord } from './warm-until-stable.ts';

/** Which cache tiers a topology has. */
export interface Tiers {
  l1: boolean;
  l2: boolean;
}

/** The tiers of a CACHE_MODE: local modes have L1, Redis modes L2, two-tier both, none neither. */
export function tiersOf(mode: string): Tiers {
  if (mode === 'two-tier') return { l1: true, l2: true };
  if (mode === 'local' || mode === 'local-disk') return { l1: true, l2: false };
  if (mode.startsWith('global')) return { l1: false, l2: true };
  return { l1: false, l2: false };
}

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Hit ratios from hit counts: l1 over all reads, l2 over the reads L1 missed (as the simulator). */
export function hitRatioOf(
  tiers: Tiers,
  counts: { l1Hits: number; l2Hits: number; reads: number },
): TierHitRatioFigures {
  const { l1Hits, l2Hits, reads } = counts;
  const cached = tiers.l1 || tiers.l2;
  return {
    overall: cached ? share(l1Hits + l2Hits, reads) : null,
    l1: tiers.l1 ? share(l1Hits, reads) : null,
    l2: tiers.l2 ? share(l2Hits, reads - l1Hits) : null,
  };
}

/** Client-side hit ratios from the X-Cache counts of the measured window. */
export function clientHitRatio(
  tiers: Tiers,
  results: RunResult['cacheResults'],
): TierHitRatioFigures {
  const get = (label: CacheResultLabel): number => results[label] ?? 0;
  const reads = get('HIT-L1') + get('HIT-L2') + get('MISS') + get('BYPASS');
  return hitRatioOf(tiers, { l1Hits: get('HIT-L1'), l2Hits: get('HIT-L2'), reads });
}

const total = (apps: AppCounters[], pick: (a: AppCounters) => number): number =>
  apps.reduce((sum, a) => sum + pick(a), 0);

/** Server-side hit ratios from the apps' profile-read counters. */
export function serverHitRatio(tiers: Tiers, apps: AppCounters[]): TierHitRatioFigures {
  const reads = total(apps, (a) => Object.values(a.profileReads).reduce((x, y) => x + y, 0));
  const l1Hits = total(apps, (a) => a.profileReads['HIT-L1'] ?? 0);
  const l2Hits = total(apps, (a) => a.profileReads['HIT-L2'] ?? 0);
  return hitRatioOf(tiers, { l1Hits, l2Hits, reads });
}

/** Whether two counts of the same queries agree within 2% (+2 for queries in flight at a scrape). */
export function countsAgree(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(2, 0.02 * Math.max(a, b));
}

/** Database queries per request the app servers took, from the window's scrapes (null: none taken). */
export function dbQueriesPerRequestOf(delta: ServerDelta): number | null {
  const queries = total(delta.apps, (a) => a.dbQueries.profile_aggregate ?? 0);
  return share(
    queries,
    total(delta.apps, (a) => a.profileRequests),
  );
}

function databaseOf(delta: ServerDelta): MeasuredTopology['database'] {
  const aggregateQueries = total(delta.apps, (a) => a.dbQueries.profile_aggregate ?? 0);
  const { postgres: pg } = delta;
  const calls = pg.aggregateCalls;
  return {
    aggregateQueries,
    updateQueries: total(delta.apps, (a) => a.dbQueries.profile_update ?? 0),
    serverRequests: total(delta.apps, (a) => a.profileRequests),
    statementsCalls: calls,
    statementsMeanMs: calls && pg.aggregateTotalMs !== null ? pg.aggregateTotalMs / calls : null,
    crossCheck:
      calls === null ? 'unavailable' : countsAgree(aggregateQueries, calls) ? 'agree' : 'disagree',
    xactCommit: pg.xactCommit,
    tupReturned: pg.tupReturned,
    blksHit: pg.blksHit,
    blksRead: pg.blksRead,
  };
}

function redisNodesOf(delta: ServerDelta): MeasuredTopology['redisOpsPerNode'] {
  return delta.redis.map((n) => ({
    node: n.node,
    role: n.role,
    ops: n.ops,
    opsPerSec: delta.seconds > 0 ? n.ops / delta.seconds : 0,
    keyspaceHits: n.keyspaceHits,
    keyspaceMisses: n.keyspaceMisses,
    keys: n.keys,
    commands: Object.fromEntries(Object.entries(n.commands).filter(([, calls]) => calls > 0)),
  }));
}

function appServersOf(run: RunResult, delta: ServerDelta): MeasuredTopology['appServers'] {
  return delta.apps.map((a) => ({
    server: a.server,
    requests: run.servedBy[a.server] ?? 0,
    serverRequests: a.profileRequests,
    l1Entries: a.l1Entries,
    evictions: a.evictions,
    invalidationsSent: a.invalidationsSent,
    invalidationsReceived: a.invalidationsReceived,
    cacheErrors: a.cacheErrors,
  }));
}

/** A warning when the warm-up's bound was reached with the hit ratio still moving. */
function warmupWarnings(window: FiguresInput['window']): string[] {
  const w = window.warmup;
  if (!w?.boundReached) return [];
  return [
    `hit ratio still moving after ${w.seconds.toFixed(0)} s of warm-up (the bound): ` +
      `${percent(w.halves.first)} then ${percent(w.halves.second)} in the two halves of the measured ` +
      `window (stable means within ${points(w.threshold, 1)} points)`,
  ];
}

/** Inputs of measuredFigures besides the topology. */
export interface FiguresInput {
  /** The measured window, with how its warm-up ended when it was checked for stability. */
  window: MeasuredWindow & { warmup?: WarmupRecord };
  timings: MeasuredTopology['timings'];
  warnings: string[];
}

/** Describes a catalog topology with the fields every outcome carries. */
export function topologyInfo(t: Topology) {
  return {
    topology: t.name,
    question: t.question,
    appServerCount: t.appServers,
    cacheMode: t.cache.mode,
    redisLayout: describeRedis(t),
    loadBalancing: t.loadBalancing,
  };
}

/** The load generator's side of the figures (client-measured, exact for the measured window). */
function loadFigures(run: RunResult) {
  const errorCount = Object.values(run.errors).reduce((a, b) => a + b, 0);
  return {
    workload: run.workload,
    offeredRps: run.offeredRps,
    achievedRps: run.achievedRps,
    throughputRps: run.throughputRps,
    valid: run.valid,
    invalidReasons: run.invalidReasons,
    requests: run.requests,
    errors: run.errors,
    errorRate: run.requests.sent > 0 ? Math.min(1, errorCount / run.requests.sent) : 0,
    latencyMs: run.latencyMs,
    latencyMsByCacheResult: run.latencyMsByCacheResult,
    cacheResults: run.cacheResults,
    staleReads: run.staleReads,
    staleReadRate: run.staleReadRate,
    maxStaleWindowMs: run.maxStaleWindowMs,
    schedulingLagMs: run.schedulingLagMs,
    ...(run.generatorCpu ? { generatorCpu: run.generatorCpu } : {}),
  };
}

/** Everything results.json records about a measured topology, from the load run and the server delta. */
export function measuredFigures(t: Topology, input: FiguresInput): MeasuredTopology {
  const { run, delta } = input.window;
  const tiers = tiersOf(t.cache.mode);
  const database = databaseOf(delta);
  return {
    ...topologyInfo(t),
    status: 'ok',
    ...loadFigures(run),
    hitRatio: clientHitRatio(tiers, run.cacheResults),
    hitRatioServerSide: serverHitRatio(tiers, delta.apps),
    dbQueriesPerRequest: share(database.aggregateQueries, database.serverRequests) ?? 0,
    database,
    redisOpsPerNode: redisNodesOf(delta),
    appServers: appServersOf(run, delta),
    serverWindowSec: delta.seconds,
    warnings: [...input.window.warnings, ...warmupWarnings(input.window), ...input.warnings],
    timings: input.timings,
    ...(input.window.warmup ? { warmup: input.window.warmup } : {}),
    ...(input.window.cost ? { cost: input.window.cost } : {}),
    consistency: consistencyFigures(t, run, delta),
  };
}
