import type { CostTier } from '../measure/cost/component-cost.ts';
import type { SimTopology } from '../simulate/scale-simulation.ts';

/** What the plan needs of one measured topology. */
export interface MeasuredCost {
  topology: string;
  /** CPU µs per request per tier, as measured. */
  tierUs: Partial<Record<CostTier, number>>;
  /** Database reads per request, as measured. */
  dbQueriesPerRequest: number;
  /** Share of reads answered in-process, as measured (null: no L1). */
  l1HitRatio: number | null;
  /** Reads per request (the rest are writes). */
  readShare: number;
}

/** What the simulator predicts for a layout at N servers. */
export interface SimulatedRatios {
  l1: number | null;
  overall: number;
  dbReadsPerRequest: number;
}

/** The knobs of the extrapolation, stated in the report. */
export interface PlanAssumptions {
  /** Cores are sized so each tier runs at this utilization at the target rate. */
  targetUtilization: number;
  /** A Redis node runs commands on one thread: one core each. */
  coresPerRedisNode: number;
}

/** Default assumptions: 70 % utilization, one core per Redis node. */
export const DEFAULT_ASSUMPTIONS: PlanAssumptions = {
  targetUtilization: 0.7,
  coresPerRedisNode: 1,
};

/** The tiers a production fleet runs (the generator and the lab's fault proxies are not part of it). */
export const FLEET_TIERS = ['nginx', 'app', 'invalidator', 'redis', 'postgres'] as const;

/** One fleet tier. */
export type FleetTier = (typeof FLEET_TIERS)[number];

/** Which simulated layout stands for a catalog topology (null: no cache at all). */
export function simLayoutOf(topology: string): SimTopology | null | undefined {
  const layouts: Record<string, SimTopology | null> = {
    'no-cache': null,
    local: 'local-round-robin-local-invalidation',
    'local-disk': 'local-round-robin-local-invalidation',
    'local-single': 'local-round-robin-local-invalidation',
    'local-hash': 'local-consistent-hash',
    global: 'global',
    'global-cluster': 'global',
    'global-sharded': 'global',
    'two-tier': 'two-tier',
  };
  return Object.hasOwn(layouts, topology) ? layouts[topology] : undefined;
}

/** The plan of one topology at one fleet size. */
export interface TopologyPlan {
  topology: string;
  servers: number;
  layout: string;
  hitRatio: number;
  dbQueriesPerSec: number;
  /** CPU µs per request per tier at this fleet size. */
  usPerRequest: Record<FleetTier, number>;
  /** Cores per tier at the target rate and utilization. */
  cores: Record<FleetTier, number>;
  totalCores: number;
  /** Redis nodes for the Redis tier's CPU (0 without Redis). */
  redisNodes: number;
}

const l2Lookups = (readShare: number, l1: number | null): number => readShare * (1 - (l1 ?? 0));

/** Scales a measured cost to `servers` servers at `rps`, with the simulator's hit ratios. */
export function planTopology(
  m: MeasuredCost,
  sim: SimulatedRatios | null,
  rps: number,
  servers: number,
  a: PlanAssumptions = DEFAULT_ASSUMPTIONS,
): TopologyPlan {
  const db = sim ? sim.dbReadsPerRequest : m.readShare;
  const us = (tier: FleetTier): number => m.tierUs[tier] ?? 0;
  // Postgres works per query, Redis per L2 lookup; nginx and the apps per request.
  const dbScale = m.dbQueriesPerRequest > 0 ? db / m.dbQueriesPerRequest : 1;
  const measuredLookups = l2Lookups(m.readShare, m.l1HitRatio);
  const redisScale =
    measuredLookups > 0 ? l2Lookups(m.readShare, sim?.l1 ?? null) / measuredLookups : 1;
  const usPerRequest: Record<FleetTier, number> = {
    nginx: us('nginx'),
    app: us('app'),
    invalidator: us('invalidator'),
    redis: us('redis') * redisScale,
    postgres: us('postgres') * dbScale,
  };
  const cores = Object.fromEntries(
    FLEET_TIERS.map((t) => [t, (rps * usPerRequest[t]) / 1e6 / a.targetUtilization]),
  ) as Record<FleetTier, number>;
  const hasRedis = m.tierUs.redis !== undefined;
  return {
    topology: m.topology,
    servers,
    layout: sim ? (simLayoutOf(m.topology) ?? 'n/a') : 'no cache',
    hitRatio: sim?.overall ?? 0,
    dbQueriesPerSec: rps * db,
    usPerRequest,
    cores,
    totalCores: FLEET_TIERS.reduce((sum, t) => sum + cores[t], 0),
    redisNodes: hasRedis ? Math.max(1, Math.ceil(cores.redis / a.coresPerRedisNode)) : 0,
  };
}

/** The assumptions the plan rests on, in words, for the report. */
export function assumptionsText(a: PlanAssumptions, source: string): string[] {
  return [
    `Per-request CPU of each tier is the one measured in ${source} on this machine; other CPUs differ.`,
    "Per-request CPU includes each process's idle work spread over the requests of the window: a run at a low rate overstates it; plan from a run near capacity.",
    'nginx and app-server CPU per request stay as measured whatever the hit ratio (a miss costs the app more: this understates caches that miss more).',
    'Postgres CPU scales with database reads per request, Redis CPU with L2 lookups per request; writes cost what they cost in the measured run.',
    "Hit ratios at N servers come from the simulator (LRU per server, the lab's routing), not from a measurement.",
    `Each tier is sized to ${Math.round(a.targetUtilization * 100)}% CPU utilization; a Redis node uses ${a.coresPerRedisNode} core.`,
    "The load generator and the lab's fault proxies are left out: they are not part of a production fleet.",
    'Network, memory and disk limits, connection pools and coordination costs beyond the measured ones are not modelled.',
  ];
}
