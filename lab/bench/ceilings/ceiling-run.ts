import { cpuMsOf } from '../../measure/proc-cpu.ts';
import { parsePrometheusText, sumBy } from '../../measure/scrape/prometheus-text.ts';
import { median } from '../bench-stats.ts';
import type { CeilingTarget } from './ceiling-targets.ts';
import {
  GENERATORS,
  type GeneratorName,
  type LoadReport,
  type LoadSpec,
  runLoadGenerator,
} from './load-generator.ts';

/** How every target is loaded: the same generator settings for all of them. */
export interface LoadPlan {
  connections: number;
  durationSec: number;
  repetitions: number;
  warmupSec: number;
}

/** One target's figures under one generator: medians over the repetitions. */
export interface CeilingRow {
  id: string;
  label: string;
  generator: GeneratorName;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Server-side CPU time per request (user + system, all the target's processes), in µs. */
  cpuUsPerRequest: number;
  /** nginx's share of that (its master and workers), for targets through nginx; else null. */
  nginxCpuUsPerRequest: number | null;
  /** The load generator's own CPU time per request, µs. */
  generatorCpuUsPerRequest: number;
  /** Share of profile reads answered with the expected X-Cache result (app targets only). */
  expectedShare: number | null;
  runs: LoadReport[];
}

/** The plan for a full run and for --quick. */
export function loadPlan(quick: boolean): LoadPlan {
  return quick
    ? { connections: 32, durationSec: 2, repetitions: 2, warmupSec: 1 }
    : { connections: 32, durationSec: 5, repetitions: 3, warmupSec: 2 };
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
  nginxCpuUsPerRequest: number | null;
}

async function measureOnce(target: CeilingTarget, spec: LoadSpec): Promise<Run> {
  const check = target.check;
  const nginxPids = target.nginxPids ?? [];
  const before = check ? await readCounts(check.metricsUrl) : undefined;
  const [cpuBefore, nginxBefore] = await Promise.all([cpuMsOf(target.pids), cpuMsOf(nginxPids)]);
  const report = await runLoadGenerator(spec);
  const [cpuAfter, nginxAfter] = await Promise.all([cpuMsOf(target.pids), cpuMsOf(nginxPids)]);
  const after = check ? await readCounts(check.metricsUrl) : undefined;
  const share = check && before && after ? expectedShareOf(before, after, check.expect) : null;
  const perRequest = (ms: number) => (ms * 1000) / Math.max(1, report.requests);
  return {
    report,
    share,
    cpuUsPerRequest: perRequest(cpuAfter - cpuBefore),
    nginxCpuUsPerRequest: target.nginxPids ? perRequest(nginxAfter - nginxBefore) : null,
  };
}

function specFor(
  target: CeilingTarget,
  plan: LoadPlan,
  generator: GeneratorName,
  durationSec = plan.durationSec,
): LoadSpec {
  const { url, keyCount } = target;
  return { url, keyCount, connections: plan.connections, durationSec, generator };
}

/**
 * Warms every target, then runs the repetitions round-robin (rep 1 of every target under each
 * generator, then rep 2 …), so slow drift in machine load is spread over all targets and both
 * generators instead of landing on one. Returns one row per target and generator.
 */
export async function measureTargets(
  targets: readonly CeilingTarget[],
  plan: LoadPlan,
  log: (line: string) => void,
): Promise<CeilingRow[]> {
  for (const target of targets)
    await runLoadGenerator(specFor(target, plan, 'wrk', plan.warmupSec));
  const key = (id: string, generator: GeneratorName) => `${id} ${generator}`;
  const runs = new Map<string, Run[]>();
  for (let rep = 1; rep <= plan.repetitions; rep++) {
    for (const target of targets) {
      for (const generator of GENERATORS) {
        const run = await measureOnce(target, specFor(target, plan, generator));
        runs.set(key(target.id, generator), [...(runs.get(key(target.id, generator)) ?? []), run]);
        log(
          `  rep ${rep}/${plan.repetitions} ${target.label} (${generator}): ${Math.round(run.report.rps)} req/s`,
        );
      }
    }
  }
  return GENERATORS.flatMap((generator) =>
    targets.map((target) =>
      summarize(target, generator, runs.get(key(target.id, generator)) ?? []),
    ),
  );
}

function summarize(
  target: CeilingTarget,
  generator: GeneratorName,
  runs: readonly Run[],
): CeilingRow {
  const reports = runs.map((run) => run.report);
  const shares = runs.flatMap((run) => (run.share === null ? [] : [run.share]));
  const nginx = runs.flatMap((run) =>
    run.nginxCpuUsPerRequest === null ? [] : [run.nginxCpuUsPerRequest],
  );
  return {
    id: target.id,
    label: target.label,
    generator,
    rps: median(reports.map((r) => r.rps)),
    p50Ms: median(reports.map((r) => r.p50Ms)),
    p99Ms: median(reports.map((r) => r.p99Ms)),
    cpuUsPerRequest: median(runs.map((run) => run.cpuUsPerRequest)),
    nginxCpuUsPerRequest: nginx.length > 0 ? median(nginx) : null,
    generatorCpuUsPerRequest: median(
      reports.map((r) => r.generatorCpuUs / Math.max(1, r.requests)),
    ),
    errors: reports.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
    expectedShare: shares.length > 0 ? Math.min(...shares) : null,
    runs: reports,
  };
}
