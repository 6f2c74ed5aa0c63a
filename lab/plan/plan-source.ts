import { stepAtCapacity } from '../capacity/capacity-report.ts';
import { type CapacityResults, parseCapacityResults } from '../capacity/capacity-schema.ts';
import { LabError } from '../lab-errors.ts';
import type { CostTier, WindowCost } from '../measure/cost/component-cost.ts';
import {
  type ComparisonResults,
  type MeasuredTopology,
  measuredOf,
  parseComparisonResults,
} from '../report/results-types.ts';
import type { MeasuredCost } from './plan-model.ts';

/** What a plan is built from: a comparison's or a capacity search's measured costs. */
export interface PlanSource {
  kind: 'compare' | 'capacity';
  runId: string;
  keyCount: number;
  workload: string;
  /** Every measured topology: its cost figures, or why it has none. */
  topologies: { topology: string; cost?: MeasuredCost; missing?: string }[];
}

function tierUsOf(cost: WindowCost): Partial<Record<CostTier, number>> {
  const tierUs: Partial<Record<CostTier, number>> = {};
  for (const x of cost.tiers) tierUs[x.tier] = x.cpuUsPerRequest;
  return tierUs;
}

/** The per-request figures of a measured topology that the plan scales; undefined without cost. */
export function measuredCostOf(t: MeasuredTopology): MeasuredCost | undefined {
  if (!t.cost || t.cost.requests === 0) return undefined;
  const ops = t.requests.reads + t.requests.writes;
  return {
    topology: t.topology,
    tierUs: tierUsOf(t.cost),
    dbQueriesPerRequest: t.dbQueriesPerRequest,
    l1HitRatio: t.hitRatio.l1,
    readShare: ops > 0 ? t.requests.reads / ops : 1,
  };
}

function fromComparison(r: ComparisonResults, path: string): PlanSource {
  return {
    kind: 'compare',
    runId: r.runId,
    keyCount: r.parameters.keyCount,
    workload: r.parameters.workload,
    topologies: measuredOf(r).map((t) => {
      const cost = measuredCostOf(t);
      return cost
        ? { topology: t.topology, cost }
        : { topology: t.topology, missing: `no CPU cost in ${path}` };
    }),
  };
}

type Searched = Extract<CapacityResults['topologies'][number], { status: 'ok' }>;

/** The figures at a searched topology's capacity (its highest step that met the SLO). */
export function capacityCostOf(t: Searched): MeasuredCost | string {
  const at = stepAtCapacity(t);
  if (!at) return 'no step met the SLO';
  if (!at.cost || at.cost.requests === 0) return `no CPU cost at ${at.rate} req/s`;
  if (at.dbQueriesPerRequest === undefined || at.dbQueriesPerRequest === null) {
    return `no database queries recorded at ${at.rate} req/s (a capacity run from before they were)`;
  }
  return {
    topology: t.topology,
    tierUs: tierUsOf(at.cost),
    dbQueriesPerRequest: at.dbQueriesPerRequest,
    l1HitRatio: at.l1HitRatio ?? null,
    readShare: at.readShare ?? 1,
  };
}

function fromCapacity(r: CapacityResults, path: string): PlanSource {
  return {
    kind: 'capacity',
    runId: r.runId,
    keyCount: r.parameters.keyCount,
    workload: r.parameters.workload,
    topologies: r.topologies.flatMap((t): PlanSource['topologies'] => {
      if (t.status === 'failed') return [];
      const cost = capacityCostOf(t);
      return typeof cost === 'string'
        ? [{ topology: t.topology, missing: `${cost} in ${path}` }]
        : [{ topology: t.topology, cost }];
    }),
  };
}

/** A parsed results.json of `cachelab compare` or `cachelab capacity`, as a plan source. */
export function planSourceOf(value: ComparisonResults | CapacityResults, path: string): PlanSource {
  return value.kind === 'cachelab-capacity'
    ? fromCapacity(value, path)
    : fromComparison(value, path);
}

/** Parses unknown JSON as either kind of results; a file of neither kind is a usage error. */
export function parsePlanSource(json: unknown, path: string): PlanSource {
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (kind === 'cachelab-capacity') return fromCapacity(parseCapacityResults(json, path), path);
  if (kind === 'cachelab-compare') return fromComparison(parseComparisonResults(json, path), path);
  throw new LabError(
    'USAGE',
    `${path} is neither a comparison's nor a capacity run's results.json (kind ${JSON.stringify(kind)})`,
  );
}
