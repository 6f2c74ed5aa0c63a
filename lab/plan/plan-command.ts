import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CapacityResults } from '../capacity/capacity-schema.ts';
import { newRunId } from '../compare/results-store.ts';
import { LabError } from '../lab-errors.ts';
import type { ComparisonResults } from '../report/results-types.ts';
import { scaleRowAt, simulateScale } from '../simulate/scale-simulation.ts';
import {
  assumptionsText,
  DEFAULT_ASSUMPTIONS,
  FLEET_TIERS,
  planTopology,
  simLayoutOf,
  type TopologyPlan,
} from './plan-model.ts';
import { writePlanReport } from './plan-report.ts';
import { type PlanSource, parsePlanSource, planSourceOf } from './plan-source.ts';

/** Flags of `cachelab plan`. */
export interface PlanFlags {
  rps: number;
  servers?: number[];
  topologies?: string[];
  /** A comparison's or a capacity run's results.json (default results/latest/results.json). */
  from?: string;
  resultsDir?: string;
}

/** What `cachelab plan` writes (plan.json). */
export interface PlanResults {
  kind: 'cachelab-plan';
  createdAt: string;
  source: string;
  sourceRunId: string;
  targetRps: number;
  servers: number[];
  assumptions: string[];
  simulation: { keyCount: number; workload: string; cacheEntries: number; globalEntries: number };
  plans: TopologyPlan[];
  /** Topologies of the source that carry no cost figures, and why they are left out. */
  skipped: string[];
}

async function loadSource(path: string): Promise<PlanSource> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new LabError(
      'USAGE',
      `cannot read ${path}: run \`make compare\`, \`make demo\` or \`make capacity\` first, or pass --from`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LabError('USAGE', `${path} is not JSON`, { cause: error });
  }
  return parsePlanSource(json, path);
}

/**
 * Builds the plan from a comparison's or a capacity run's results (pure apart from the simulation
 * it runs); a capacity run contributes the figures of each topology's step at capacity.
 */
export function buildPlan(
  results: ComparisonResults | CapacityResults | PlanSource,
  path: string,
  f: PlanFlags,
): PlanResults {
  const source =
    'topologies' in results && 'keyCount' in results ? results : planSourceOf(results, path);
  const servers = f.servers ?? [3, 8, 16, 32];
  const wanted = f.topologies ? new Set(f.topologies) : undefined;
  const chosen = source.topologies.filter((t) => !wanted || wanted.has(t.topology));
  const skipped = chosen.flatMap((t) => (t.missing ? [`${t.topology}: ${t.missing}`] : []));
  const usable = chosen.flatMap((t) =>
    t.cost && simLayoutOf(t.topology) !== undefined ? [t.cost] : [],
  );
  if (usable.length === 0) {
    throw new LabError(
      'USAGE',
      `${path} has no measured topology with CPU cost figures to plan from (${skipped.join('; ') || 'none measured'})`,
    );
  }
  const simulation = {
    keyCount: source.keyCount,
    workload: source.workload,
    cacheEntries: 10_000,
    globalEntries: 30_000,
  };
  const sim = simulateScale({
    workload: simulation.workload as 'read-heavy',
    keyCount: simulation.keyCount,
    servers,
    warmupRequests: 100_000,
    measuredRequests: 100_000,
  });
  const plans = servers.flatMap((n) => {
    const row = scaleRowAt(sim, n);
    return usable.map((m) => {
      const layout = simLayoutOf(m.topology);
      const figures = layout && row ? row.topologies[layout] : null;
      const ratios = figures
        ? {
            l1: figures.hitRatio.l1,
            overall: figures.hitRatio.overall,
            dbReadsPerRequest: figures.dbReadsPerRequest,
          }
        : null;
      return planTopology(m, ratios, f.rps, n, DEFAULT_ASSUMPTIONS);
    });
  });
  return {
    kind: 'cachelab-plan',
    createdAt: new Date().toISOString(),
    source: path,
    sourceRunId: source.runId,
    targetRps: f.rps,
    servers,
    assumptions: assumptionsText(
      DEFAULT_ASSUMPTIONS,
      source.kind === 'capacity'
        ? `capacity run ${source.runId} (each topology's step at its capacity)`
        : `run ${source.runId}`,
    ),
    simulation,
    plans,
    skipped,
  };
}

/** The plan as a text table. */
export function formatPlan(p: PlanResults): string {
  const head = `${'topology'.padEnd(15)} ${'N'.padStart(3)}  hit   ${FLEET_TIERS.map((t) => t.padStart(12)).join('')}  cores  redis  DB q/s`;
  const lines = p.plans.map((x) => {
    const cores = FLEET_TIERS.map((t) => x.cores[t].toFixed(1).padStart(12)).join('');
    return (
      `${x.topology.padEnd(15)} ${String(x.servers).padStart(3)}  ${(x.hitRatio * 100).toFixed(0).padStart(3)}% ${cores}` +
      `  ${x.totalCores.toFixed(0).padStart(5)}  ${String(x.redisNodes).padStart(5)}  ${x.dbQueriesPerSec.toFixed(0)}`
    );
  });
  return [
    `plan for ${p.targetRps} req/s (an extrapolation from run ${p.sourceRunId}; cores per tier at ${Math.round(DEFAULT_ASSUMPTIONS.targetUtilization * 100)}% utilization):`,
    head,
    ...lines,
    ...p.skipped.map((s) => `skipped ${s}`),
    'assumptions:',
    ...p.assumptions.map((a) => `  - ${a}`),
  ].join('\n');
}

/** `cachelab plan --rps N`: prints the plan and writes plan.json, report.md and report.html. */
export async function planCommand(
  f: PlanFlags,
  print: (text: string) => void = (text) => process.stdout.write(text),
): Promise<{ plan: PlanResults; dir: string }> {
  const resultsDir = f.resultsDir ?? 'results';
  const path = resolve(f.from ?? join(resultsDir, 'latest', 'results.json'));
  const plan = buildPlan(await loadSource(path), path, f);
  const dir = resolve(resultsDir, 'plan', newRunId(new Date(), `plan-${f.rps}`));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
  const report = await writePlanReport(dir, plan);
  print(`${formatPlan(plan)}\nplan:   ${join(dir, 'plan.json')}\nreport: ${report.htmlPath}\n`);
  return { plan, dir };
}
