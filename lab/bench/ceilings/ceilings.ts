import { duration, multiple, number, percent } from '../../text/format.ts';
import { renderSection, renderTable } from '../../text/table.ts';
import type { BenchEnv } from '../bench-env.ts';
import { saveBenchResult } from '../bench-results.ts';
import { atLeast, atMost, type GoalVerdict, ratio } from '../bench-stats.ts';
import { machineInfo } from '../machine.ts';
import { type CeilingRow, type LoadPlan, loadPlan, measureTargets } from './ceiling-run.ts';
import { fillTarget, startCeilingTargets } from './ceiling-targets.ts';
import { type ProfiledRun, profileL1Path } from './l1-hit-cpu-profile.ts';
import { printProfiles } from './l1-hit-cpu-profile-report.ts';

/** The ratios the goals and the closing note are about. */
export interface CeilingRatios {
  expressOverHttp: number | null;
  l1OverExpress: number | null;
  nginxOverL1: number | null;
  nginxCost: number | null;
  l2OverL1: number | null;
  missOverL1: number | null;
  /** Bare Express CPU per request ÷ app L1 CPU per request: the share of the ceiling the CPU cost allows. */
  l1OverExpressByCpu: number | null;
  /** Share of the nginx path's server CPU per request that nginx adds. */
  nginxCpuShare: number | null;
}

/** What the ceilings part returns (and saves). */
export interface CeilingsResult {
  rows: CeilingRow[];
  ratios: CeilingRatios;
  goals: GoalVerdict[];
  plan: LoadPlan;
  path: string;
}

/** Goal thresholds of the throughput ceilings: the L1-hit path's share of bare Express. */
export const L1_SHARE_OF_EXPRESS = 0.8;
/** See L1_SHARE_OF_EXPRESS. */
export const MAX_NGINX_COST = 0.15;

/** Ratios between the targets' median req/s. */
export function ceilingRatios(rows: readonly CeilingRow[]): CeilingRatios {
  const rps = (id: string) => rows.find((row) => row.id === id)?.rps ?? Number.NaN;
  const cpu = (id: string) => rows.find((row) => row.id === id)?.cpuUsPerRequest ?? Number.NaN;
  const nginxOverL1 = ratio(rps('nginx-l1'), rps('app-l1'));
  const appCpuShare = ratio(cpu('app-l1'), cpu('nginx-l1'));
  return {
    expressOverHttp: ratio(rps('bare-express'), rps('bare-http')),
    l1OverExpress: ratio(rps('app-l1'), rps('bare-express')),
    nginxOverL1,
    nginxCost: nginxOverL1 === null ? null : 1 - nginxOverL1,
    l2OverL1: ratio(rps('app-l2'), rps('app-l1')),
    missOverL1: ratio(rps('app-miss'), rps('app-l1')),
    l1OverExpressByCpu: ratio(cpu('bare-express'), cpu('app-l1')),
    nginxCpuShare: appCpuShare === null ? null : 1 - appCpuShare,
  };
}

/** The two throughput goals: L1 path ≥ 80% of bare Express; nginx costs ≤ 15% on that path. */
export function ceilingGoals(ratios: CeilingRatios): GoalVerdict[] {
  return [
    atLeast(
      'L1-hit path ≥ 80% of the bare Express ceiling',
      ratios.l1OverExpress,
      L1_SHARE_OF_EXPRESS,
    ),
    atMost('nginx costs ≤ 15% of throughput on the L1-hit path', ratios.nginxCost, MAX_NGINX_COST),
  ];
}

/** Starts the targets, loads each the same way, prints and saves results/bench/ceilings.json. */
export async function runCeilings(
  env: BenchEnv,
  options: { quick: boolean; profile: boolean; log: (text: string) => void },
): Promise<CeilingsResult> {
  const plan = loadPlan(options.quick);
  const targets = await startCeilingTargets(env);
  for (const target of targets) await fillTarget(target);
  options.log(
    `ceilings: ${targets.length} targets, ${plan.repetitions} × ${plan.durationSec} s each`,
  );
  const rows = await measureTargets(targets, plan, options.log);
  const ratios = ceilingRatios(rows);
  const goals = ceilingGoals(ratios);
  options.log(printCeilings(rows, ratios, goals, plan));
  const profiles = await maybeProfile(env, plan, options, goals[0]?.pass === true);
  const { profile } = await env.postgres();
  const saved = {
    benchmark: 'ceilings',
    at: new Date().toISOString(),
    machine: machineInfo(),
    quick: options.quick,
    generator: { tool: 'autocannon 9.0.0 (separate process, closed loop)', ...plan },
    valueBytes: profile.length,
    ...{ rows, ratios, goals, profiles },
  };
  return { rows, ratios, goals, plan, path: await saveBenchResult('ceilings.json', saved) };
}

/** Profiles the L1 path when it misses its goal (or when asked); prints and returns the runs. */
async function maybeProfile(
  env: BenchEnv,
  plan: LoadPlan,
  options: { profile: boolean; log: (text: string) => void },
  l1GoalMet: boolean,
): Promise<ProfiledRun[] | undefined> {
  if (l1GoalMet && !options.profile) return undefined;
  const runs = await profileL1Path(env, plan);
  const [app, express] = runs;
  if (app !== undefined && express !== undefined) options.log(printProfiles(app, express));
  return runs;
}

const CEILING_COLUMNS = [
  { header: 'target' },
  { header: 'req/s', right: true },
  { header: 'vs Express', right: true },
  { header: 'p50', right: true },
  { header: 'p99', right: true },
  { header: 'CPU µs/req', right: true },
  { header: 'errors', right: true },
  { header: 'X-Cache as expected', right: true },
];

function ceilingCells(row: CeilingRow, expressRps: number): string[] {
  return [
    row.label,
    number(row.rps),
    multiple(ratio(row.rps, expressRps)),
    duration(row.p50Ms),
    duration(row.p99Ms),
    row.cpuUsPerRequest.toFixed(0),
    String(row.errors),
    row.expectedShare === null ? '-' : percent(row.expectedShare),
  ];
}

function printCeilings(
  rows: CeilingRow[],
  ratios: CeilingRatios,
  goals: GoalVerdict[],
  plan: LoadPlan,
): string {
  const express = rows.find((row) => row.id === 'bare-express')?.rps ?? Number.NaN;
  const table = renderTable(
    CEILING_COLUMNS,
    rows.map((row) => ceilingCells(row, express)),
  );
  const notes = [
    `autocannon in its own process, ${plan.connections} connections, median of ${plan.repetitions} × ${plan.durationSec} s per target (round-robin), after ${plan.warmupSec} s warm-up; generator and servers share the CPUs.`,
    `Express/node:http ${multiple(ratios.expressOverHttp)}; nginx/app (L1) ${multiple(ratios.nginxOverL1)}; L2/L1 ${multiple(ratios.l2OverL1)}; miss/L1 ${multiple(ratios.missOverL1)}.`,
    `CPU µs/req = user+system time of the target's server processes (app; nginx master+workers+app; +Redis for L2; +Postgres for misses) per request. By CPU cost: app L1 = ${percent(ratios.l1OverExpressByCpu)} of bare Express; nginx = ${percent(ratios.nginxCpuShare)} of the nginx path's server CPU.`,
    ...goals.map((g) => `GOAL ${g.pass ? 'PASS' : 'FAIL'}: ${g.goal}: ${g.detail}`),
  ];
  return renderSection('Throughput ceilings', table, notes);
}
