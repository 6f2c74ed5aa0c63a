import { listProse, millis, number, percent, points, rps, times } from '../text/format.ts';
import { invalidCaveat } from './chart-spec.ts';
import type { MeasuredTopology } from './results-types.ts';

type Figure = (t: MeasuredTopology) => number | null;

/** The topologies with a figure, sorted ascending by it. */
function ranked(ts: readonly MeasuredTopology[], pick: Figure): [MeasuredTopology, number][] {
  return ts
    .map((t): [MeasuredTopology, number | null] => [t, pick(t)])
    .filter((e): e is [MeasuredTopology, number] => e[1] !== null && Number.isFinite(e[1]))
    .sort((a, b) => a[1] - b[1]);
}

const find = (ts: readonly MeasuredTopology[], name: string) => ts.find((t) => t.topology === name);

/** Lowest and highest p99, and the spread of medians. */
export function latencyVerdict(ts: readonly MeasuredTopology[]): string {
  const byP99 = ranked(ts, (t) => (t.latencyMs.count > 0 ? t.latencyMs.p99 : null));
  const low = byP99[0];
  const high = byP99.at(-1);
  if (!low || !high) return 'No latency was measured.';
  if (low === high)
    return `${low[0].topology}: p50 ${millis(low[0].latencyMs.p50)}, p99 ${millis(low[1])}.`;
  const medians = ranked(ts, (t) => t.latencyMs.p50);
  const m0 = medians[0];
  const m1 = medians.at(-1);
  const medianText =
    m0 && m1
      ? ` Medians range from ${millis(m0[1])} (${m0[0].topology}) to ${millis(m1[1])} (${m1[0].topology}).`
      : '';
  return (
    `Lowest p99: ${low[0].topology} at ${millis(low[1])}; highest: ${high[0].topology} at ` +
    `${millis(high[1])}, ${times(high[1], low[1])} the lowest.${medianText}${invalidCaveat(ts)}`
  );
}

/** Which topologies kept up with the offered rate, and which had errors. */
export function throughputVerdict(ts: readonly MeasuredTopology[]): string {
  if (ts.length === 0) return 'No topology was measured.';
  const short = ts.filter((t) => t.throughputRps < t.offeredRps * 0.95);
  const offered = ts[0]?.offeredRps ?? 0;
  const head =
    short.length === 0
      ? `All ${ts.length} topologies answered at least 95% of the offered ${rps(offered)}.`
      : `Below 95% of the offered rate: ${listProse(short.map((t) => `${t.topology} (${rps(t.throughputRps)}, ${percent(t.throughputRps / t.offeredRps)})`))}.`;
  const erring = ts.filter((t) => t.errorRate > 0);
  const errors =
    erring.length === 0
      ? ' No request failed.'
      : ` Failed requests: ${listProse(erring.map((t) => `${t.topology} ${percent(t.errorRate, 2)}`))}.`;
  return `${head}${errors}${invalidCaveat(ts)}`;
}

function hitPair(ts: readonly MeasuredTopology[], a: string, b: string, tier: 'l1' | 'overall') {
  const ta = find(ts, a);
  const tb = find(ts, b);
  const va = ta?.hitRatio[tier];
  const vb = tb?.hitRatio[tier];
  if (va == null || vb == null || !ta || !tb) return '';
  const word = va > vb ? 'more' : va < vb ? 'less' : 'as much';
  const what = tier === 'l1' ? 'L1 hit ratio' : 'hit ratio';
  return ` With ${ta.appServerCount} servers each, ${a}'s ${what} is ${percent(va)} vs ${b}'s ${percent(vb)} (${points(Math.abs(va - vb))} points ${word}).`;
}

/** Best and worst overall hit ratio, and the pairs that isolate one design choice. */
export function hitRatioVerdict(ts: readonly MeasuredTopology[]): string {
  const byOverall = ranked(ts, (t) => t.hitRatio.overall);
  const best = byOverall.at(-1);
  const worst = byOverall[0];
  if (!best || !worst) return 'No topology with a cache was measured.';
  const head =
    best === worst
      ? `${best[0].topology} serves ${percent(best[1])} of reads from its cache.`
      : `Highest hit ratio: ${best[0].topology} (${percent(best[1])}); lowest: ${worst[0].topology} (${percent(worst[1])}).`;
  const pairs =
    hitPair(ts, 'local-hash', 'local', 'l1') + hitPair(ts, 'two-tier', 'local', 'overall');
  return `${head}${pairs}`;
}

/** DB queries per request against the no-cache baseline (or the most expensive topology). */
export function dbQueriesVerdict(ts: readonly MeasuredTopology[]): string {
  const byQueries = ranked(ts, (t) => t.dbQueriesPerRequest);
  const fewest = byQueries[0];
  const most = byQueries.at(-1);
  if (!fewest || !most) return 'No topology was measured.';
  const base = find(ts, 'no-cache') ?? most[0];
  const baseValue = base.dbQueriesPerRequest;
  const head = `${base.topology} makes ${number(baseValue, 2)} DB queries per request.`;
  const cheaper = byQueries.filter(([t]) => t !== base);
  if (cheaper.length === 0) return head;
  const best = cheaper[0] as [MeasuredTopology, number];
  const worst = cheaper.at(-1) as [MeasuredTopology, number];
  const rel = (v: number) =>
    v <= baseValue ? `${times(baseValue, v)} fewer` : `${times(v, baseValue)} more`;
  const tail =
    best === worst
      ? ''
      : ` The most among the others: ${worst[0].topology} with ${number(worst[1], 2)} (${rel(worst[1])}).`;
  return `${head} ${best[0].topology} makes ${number(best[1], 2)}, ${rel(best[1])}.${tail}`;
}

/** Stale reads: the worst rate and window, and who served none. */
export function staleVerdict(ts: readonly MeasuredTopology[]): string {
  const byRate = ranked(ts, (t) => t.staleReadRate);
  const worst = byRate.at(-1);
  if (!worst) return 'No topology was measured.';
  if (worst[1] === 0) return `No topology served a stale read (${ts.length} measured).`;
  const clean = ts.filter((t) => t.staleReads === 0).map((t) => t.topology);
  const cleanText = clean.length > 0 ? ` No stale read: ${listProse(clean)}.` : '';
  return (
    `Highest stale-read rate: ${worst[0].topology}, ${percent(worst[1], 2)} of reads ` +
    `(${number(worst[0].staleReads)} reads; longest stale window ${millis(worst[0].maxStaleWindowMs)}).${cleanText}`
  );
}

function redisPart(t: MeasuredTopology): string {
  const nodes = t.redisOpsPerNode;
  const ops = nodes.reduce((sum, n) => sum + n.ops, 0);
  const perRequest = t.database.serverRequests > 0 ? ops / t.database.serverRequests : 0;
  const busiest = Math.max(...nodes.map((n) => n.ops));
  const replicas = nodes.filter((n) => n.role === 'replica');
  const replicaOps = replicas.reduce((sum, n) => sum + n.ops, 0);
  const spread =
    nodes.length > 1 && ops > 0
      ? `, busiest of ${nodes.length} nodes ${percent(busiest / ops)}`
      : '';
  const replicaText =
    replicas.length > 0 && ops > 0
      ? `, ${replicas.length} replicas ${percent(replicaOps / ops)} (replication)`
      : '';
  return `${t.topology} ${number(perRequest, 2)} ops/request${spread}${replicaText}`;
}

/** Redis operations per request, how evenly each topology spreads them, and the replicas' share. */
export function redisVerdict(ts: readonly MeasuredTopology[]): string {
  const withRedis = ts.filter((t) => t.redisOpsPerNode.length > 0);
  if (withRedis.length === 0) return 'No measured topology uses Redis.';
  return `Redis operations per request: ${listProse(withRedis.map(redisPart))}.`;
}
