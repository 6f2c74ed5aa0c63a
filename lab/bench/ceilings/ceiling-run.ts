import { cpuMsOf } from '../../measure/proc-cpu.ts';
import { parsePrometheusText, sumBy } from '../../measure/scrape/prometheus-text.ts';
import { median } from '../bench-stats.ts';
import type { CeilingTarget } from './ceiling-targets.ts';
import { type LoadReport, type LoadSpec, runLoadGenerator } from './load-generator.ts';

/** How every target is loaded: the same generator settings for all of them. */
export interface LoadPlan {
  connections: number;
  durationSec: number;
  repetitions: number;
  warmupSec: number;
}

/** One target's figures: medians over the repetitions. */
export interface CeilingRow {
  id: string;
  label: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Server-side CPU time per request (user + system, all the target's processes), in µs. */
  cpuUsPerRequest: number;
  /** Share of profile reads answered with the expected X-Cache result (app targets only). */
  expectedShare: number | null;
  runs: LoadReport[];
}

/** The plan for a full run and for --quick. */
export function loadPlan(quick: boolean): LoadPlan {
  return quick
    ? { connections: 32, durationSec: 2, repetitions: 2, warmupSec: 1 }
    : { connections: 32, durationSec: 5, repetitions: 5, warmupSec: 2 };
}

const READS = 'cachelab_profile_reads_total';

async function readCounts(metricsUrl: string): Promise<Record<string, number>> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`${metricsUrl} → ${response.status}`);
  return sumBy(parsePrometheusText(await response.text()), READS, 'result');
}

/** Share of reads between two counter snapshots that had the expected result. */
export function expectedShareOf(
  before: Record<string, number>,
  after: Record<string, number>,
  expect: string,
): number | null {
  const delta = (key: string) => (after[key] ?? 0) - (before[key] ?? 0);
  const total = Object.keys(after).reduce((sum, key) => sum + delta(key), 0);
  return total > 0 ? delta(expect) / total : null;
}

interface Run {
  report: LoadReport;
  share: number | null;
  cpuUsPerRequest: number;
}

async function measureOnce(target: CeilingTarget, spec: LoadSpec): Promise<Run> {
  const check = target.check;
  const before = check ? await readCounts(check.metricsUrl) : undefined;
  const cpuBefore = await cpuMsOf(target.pids);
  const report = await runLoadGenerator(spec);
  const cpuMs = (await cpuMsOf(target.pids)) - cpuBefore;
  const after = check ? await readCounts(check.metricsUrl) : undefined;
  const share = check && before && after ? expectedShareOf(before, after, check.expect) : null;
  return { report, share, cpuUsPerRequest: (cpuMs * 1000) / Math.max(1, report.requests) };
}

function specFor(target: CeilingTarget, plan: LoadPlan, durationSec = plan.durationSec): LoadSpec {
  return { url: target.url, connections: plan.connections, durationSec, keyCount: target.keyCount };
}

/**
 * Warms every target, then runs the repetitions round-robin (rep 1 of every target, then rep 2 …),
 * so slow drift in machine load is spread over all targets instead of landing on one.
 */
export async function measureTargets(
  targets: readonly CeilingTarget[],
  plan: LoadPlan,
  log: (line: string) => void,
): Promise<CeilingRow[]> {
  for (const target of targets) await runLoadGenerator(specFor(target, plan, plan.warmupSec));
  const runs = new Map(targets.map((t) => [t.id, [] as Run[]]));
  for (let rep = 1; rep <= plan.repetitions; rep++) {
    for (const target of targets) {
      const run = await measureOnce(target, specFor(target, plan));
      runs.get(target.id)?.push(run);
      log(`  rep ${rep}/${plan.repetitions} ${target.label}: ${Math.round(run.report.rps)} req/s`);
    }
  }
  return targets.map((target) => summarize(target, runs.get(target.id) ?? []));
}

function summarize(target: CeilingTarget, runs: readonly Run[]): CeilingRow {
  const reports = runs.map((run) => run.report);
  const shares = runs.flatMap((run) => (run.share === null ? [] : [run.share]));
  return {
    id: target.id,
    label: target.label,
    rps: median(reports.map((r) => r.rps)),
    p50Ms: median(reports.map((r) => r.p50Ms)),
    p99Ms: median(reports.map((r) => r.p99Ms)),
    cpuUsPerRequest: median(runs.map((run) => run.cpuUsPerRequest)),
    errors: reports.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
    expectedShare: shares.length > 0 ? Math.min(...shares) : null,
    runs: reports,
  };
}
