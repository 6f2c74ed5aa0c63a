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
import { WRK_THREADS } from './wrk-generator.ts';

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
  /** nginx's CPU per proxied request ÷ its CPU per request answering the body itself (its floor). */
  nginxOverFloor: number | null;
}

/** What the ceilings part returns (and saves). */
export interface CeilingsResult {
  /** One row per target and generator. */
  rows: CeilingRow[];
  /** From wrk's rows (the primary generator). */
  ratios: CeilingRatios;
  /** The same ratios from autocannon's rows (the second opinion). */
  secondOpinion: CeilingRatios;
  goals: GoalVerdict[];
  plan: LoadPlan;
  path: string;
}

/** Goal thresholds of the throughput ceilings: the L1-hit path's share of bare Express. */
export const L1_SHARE_OF_EXPRESS = 0.8;
/** See L1_SHARE_OF_EXPRESS. */
export const MAX_NGINX_COST = 0.15;
/** nginx's CPU per proxied request may be at most this multiple of its floor. */
export const MAX_NGINX_OVER_FLOOR = 1.5;

/** Ratios between one generator's rows (the targets' median req/s and CPU per request). */
export function ceilingRatios(rows: readonly CeilingRow[]): CeilingRatios {
  const row = (id: string) => rows.find((r) => r.id === id);
  const rps = (id: string) => row(id)?.rps ?? Number.NaN;
  const cpu = (id: string) => row(id)?.cpuUsPerRequest ?? Number.NaN;
  const nginxCpu = (id: string) => row(id)?.nginxCpuUsPerRequest ?? Number.NaN;
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
    nginxOverFloor: ratio(nginxCpu('nginx-l1'), nginxCpu('nginx-floor')),
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
    atMost(
      'nginx CPU per proxied request ≤ 1.5× its floor (return 200, same body)',
      ratios.nginxOverFloor,
      MAX_NGINX_OVER_FLOOR,
    ),
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
  const ratios = ceilingRatios(rows.filter((r) => r.generator === 'wrk'));
  const secondOpinion = ceilingRatios(rows.filter((r) => r.generator === 'autocannon'));
  const goals = ceilingGoals(ratios);
  options.log(printCeilings(rows, { ratios, secondOpinion }, goals, plan));
  const profiles = await maybeProfile(env, plan, options, goals[0]?.pass === true);
  const { profile } = await env.postgres();
  const saved = {
    benchmark: 'ceilings',
    at: new Date().toISOString(),
    machine: machineInfo(),
    quick: options.quick,
    generator: {
      primary: `wrk 4.1 (C, ${WRK_THREADS} threads, closed loop)`,
      secondOpinion: 'autocannon 9.0.0 (Node, separate process, closed loop)',
      ...plan,
    },
    valueBytes: profile.length,
    ...{ rows, ratios, secondOpinion, goals, profiles },
  };
  const path = await saveBenchResult('ceilings.json', saved);
  return { rows, ratios, secondOpinion, goals, plan, path };
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
  { header: 'wrk req/s', right: true },
  { header: 'autocannon req/s', right: true },
  { header: 'vs Express (wrk)', right: true },
  { header: 'p50 / p99 (wrk)', right: true },
  { header: 'server CPU µs/req', right: true },
  { header: 'nginx CPU µs/req', right: true },
  { header: 'wrk / autocannon CPU µs/req', right: true },
  { header: 'errors', right: true },
  { header: 'X-Cache as expected', right: true },
];

function ceilingCells(
  wrk: CeilingRow,
  second: CeilingRow | undefined,
  expressRps: number,
): string[] {
  const cpu = (x: number | null | undefined) =>
    x === null || x === undefined ? '-' : x.toFixed(1);
  return [
    wrk.label,
    number(wrk.rps),
    second ? number(second.rps) : '-',
    multiple(ratio(wrk.rps, expressRps)),
    `${duration(wrk.p50Ms)} / ${duration(wrk.p99Ms)}`,
    wrk.cpuUsPerRequest.toFixed(0),
    cpu(wrk.nginxCpuUsPerRequest),
    `${cpu(wrk.generatorCpuUsPerRequest)} / ${cpu(second?.generatorCpuUsPerRequest)}`,
    String(wrk.errors + (second?.errors ?? 0)),
    wrk.expectedShare === null ? '-' : percent(wrk.expectedShare),
  ];
}

function printCeilings(
  rows: CeilingRow[],
  { ratios, secondOpinion }: { ratios: CeilingRatios; secondOpinion: CeilingRatios },
  goals: GoalVerdict[],
  plan: LoadPlan,
): string {
  const wrkRows = rows.filter((row) => row.generator === 'wrk');
  const express = wrkRows.find((row) => row.id === 'bare-express')?.rps ?? Number.NaN;
  const second = (id: string) => rows.find((r) => r.id === id && r.generator === 'autocannon');
  const table = renderTable(
    CEILING_COLUMNS,
    wrkRows.map((row) => ceilingCells(row, second(row.id), express)),
  );
  const floor = wrkRows.find((r) => r.id === 'nginx-floor')?.nginxCpuUsPerRequest;
  const proxied = wrkRows.find((r) => r.id === 'nginx-l1')?.nginxCpuUsPerRequest;
  const notes = [
    `wrk (primary, C, ${WRK_THREADS} threads) and autocannon (second opinion, Node) each in their own process, ${plan.connections} connections, median of ${plan.repetitions} × ${plan.durationSec} s per target and generator (round-robin), after ${plan.warmupSec} s warm-up; generators and servers share the CPUs.`,
    `By wrk: Express/node:http ${multiple(ratios.expressOverHttp)}; nginx/app (L1) ${multiple(ratios.nginxOverL1)}; L2/L1 ${multiple(ratios.l2OverL1)}; miss/L1 ${multiple(ratios.missOverL1)}. By autocannon: nginx/app (L1) ${multiple(secondOpinion.nginxOverL1)}, L2/L1 ${multiple(secondOpinion.l2OverL1)}.`,
    `nginx CPU per proxied request ${proxied?.toFixed(1) ?? '-'} µs vs ${floor?.toFixed(1) ?? '-'} µs answering the same body itself (return 200): ${multiple(ratios.nginxOverFloor)} its floor (autocannon: ${multiple(secondOpinion.nginxOverFloor)}).`,
    `CPU µs/req = user+system time of the target's server processes (app; nginx master+workers+app; +Redis for L2; +Postgres for misses) per request; generator CPU is the generator process's own. By CPU cost: app L1 = ${percent(ratios.l1OverExpressByCpu)} of bare Express; nginx = ${percent(ratios.nginxCpuShare)} of the nginx path's server CPU.`,
    ...goals.map((g) => `GOAL ${g.pass ? 'PASS' : 'FAIL'}: ${g.goal}: ${g.detail}`),
  ];
  return renderSection('Throughput ceilings', table, notes);
}
