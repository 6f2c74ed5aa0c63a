import { duration, multiple, number, percent } from '../../text/format.ts';
import { renderSection, renderTable } from '../../text/table.ts';
import type { BenchEnv } from '../bench-env.ts';
import { saveBenchResult } from '../bench-results.ts';
import { atLeast, atMost, type GoalVerdict, ratio } from '../bench-stats.ts';
import { machineInfo } from '../machine.ts';
import { type CeilingRow, type LoadPlan, loadPlan, measureTargets } from './ceiling-run.ts';
import {
  type CeilingTarget,
  fillTarget,
  HOT_KEYS,
  startCeilingTargets,
} from './ceiling-targets.ts';
import { type ProfiledRun, profileL1Path } from './l1-hit-cpu-profile.ts';
import { printProfiles } from './l1-hit-cpu-profile-report.ts';
import {
  compareWithFloor,
  type FloorComparison,
  floorGoal,
  measureRoundRobin,
  type NginxUnderTest,
  pacedRate,
} from './nginx-cost.ts';
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
}

/** What the ceilings part returns (and saves). */
export interface CeilingsResult {
  /** One row per target and generator. */
  rows: CeilingRow[];
  /** From wrk's rows (the primary generator). */
  ratios: CeilingRatios;
  /** The same ratios from autocannon's rows (the second opinion). */
  secondOpinion: CeilingRatios;
  /** nginx's CPU per proxied request beside its floor, both paced at the same offered rate. */
  nginxFloor: FloorComparison;
  goals: GoalVerdict[];
  plan: LoadPlan;
  path: string;
}

/** Goal thresholds of the throughput ceilings: the L1-hit path's share of bare Express. */
export const L1_SHARE_OF_EXPRESS = 0.8;
/** See L1_SHARE_OF_EXPRESS. */
export const MAX_NGINX_COST = 0.15;

/** Ratios between one generator's rows (the targets' median req/s and CPU per request). */
export function ceilingRatios(rows: readonly CeilingRow[]): CeilingRatios {
  const row = (id: string) => rows.find((r) => r.id === id);
  const rps = (id: string) => row(id)?.rps ?? Number.NaN;
  const cpu = (id: string) => row(id)?.cpuUsPerRequest ?? Number.NaN;
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

/**
 * The goals: L1 path ≥ 80% of bare Express; nginx costs ≤ 15% of throughput on that path; nginx's CPU
 * per proxied request ≤ 1.5× its floor, counted only when both kept the offered pace.
 */
export function ceilingGoals(ratios: CeilingRatios, nginxFloor: FloorComparison): GoalVerdict[] {
  return [
    atLeast(
      'L1-hit path ≥ 80% of the bare Express ceiling',
      ratios.l1OverExpress,
      L1_SHARE_OF_EXPRESS,
    ),
    atMost('nginx costs ≤ 15% of throughput on the L1-hit path', ratios.nginxCost, MAX_NGINX_COST),
    floorGoal('nginx CPU per proxied request ≤ 1.5× its floor (return 200, same body)', nginxFloor),
  ];
}

/**
 * nginx proxying (nginx-l1) and its floor, both paced at half the proxied path's wrk ceiling from
 * `rows`, the same window and repetitions as the ceilings.
 */
async function measureFloorComparison(
  targets: readonly CeilingTarget[],
  rows: readonly CeilingRow[],
  plan: LoadPlan,
  log: (text: string) => void,
): Promise<FloorComparison> {
  const nginxOf = (id: string): NginxUnderTest => {
    const target = targets.find((t) => t.id === id);
    const pid = target?.nginxPids?.[0];
    if (target === undefined || pid === undefined) throw new Error(`no nginx target ${id}`);
    return { name: target.label, url: target.url, pid };
  };
  const ceiling = rows.find((r) => r.id === 'nginx-l1' && r.generator === 'wrk')?.rps ?? Number.NaN;
  const rateRps = pacedRate(ceiling);
  log(`nginx vs its floor: both paced at ${rateRps} req/s (half the proxied wrk ceiling)`);
  const [proxied, floor] = [nginxOf('nginx-l1'), nginxOf('nginx-floor')];
  const pace = { rateRps, repetitions: plan.repetitions, durationSec: plan.durationSec };
  const runs = await measureRoundRobin([proxied, floor], { ...pace, keyCount: HOT_KEYS }, log);
  return compareWithFloor(runs.get(proxied.name) ?? [], runs.get(floor.name) ?? []);
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
  const nginxFloor = await measureFloorComparison(targets, rows, plan, options.log);
  const goals = ceilingGoals(ratios, nginxFloor);
  options.log(printCeilings(rows, { ratios, secondOpinion, nginxFloor }, goals, plan));
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
    ...{ rows, ratios, secondOpinion, nginxFloor, goals, profiles },
  };
  const path = await saveBenchResult('ceilings.json', saved);
  return { rows, ratios, secondOpinion, nginxFloor, goals, plan, path };
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
  {
    ratios,
    secondOpinion,
    nginxFloor,
  }: { ratios: CeilingRatios; secondOpinion: CeilingRatios; nginxFloor: FloorComparison },
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
  const notes = [
    `wrk (primary, C, ${WRK_THREADS} threads) and autocannon (second opinion, Node) each in their own process, ${plan.connections} connections, median of ${plan.repetitions} × ${plan.durationSec} s per target and generator (round-robin), after ${plan.warmupSec} s warm-up; generators and servers share the CPUs.`,
    `By wrk: Express/node:http ${multiple(ratios.expressOverHttp)}; nginx/app (L1) ${multiple(ratios.nginxOverL1)}; L2/L1 ${multiple(ratios.l2OverL1)}; miss/L1 ${multiple(ratios.missOverL1)}. By autocannon: nginx/app (L1) ${multiple(secondOpinion.nginxOverL1)}, L2/L1 ${multiple(secondOpinion.l2OverL1)}.`,
    `nginx CPU per proxied request ${nginxFloor.proxiedUs.toFixed(1)} µs vs ${nginxFloor.floorUs.toFixed(1)} µs answering the same body itself (return 200, same config otherwise, access log buffered in both): ${multiple(nginxFloor.overFloor)} its floor, both paced by wrk at ${nginxFloor.offeredRps} req/s (half the proxied ceiling; median of ${plan.repetitions} × ${plan.durationSec} s; nginx master + workers only, the app's CPU not counted). The closed-loop nginx column above is at each target's own ceiling, so the two nginx rows there are not at one rate.`,
    `CPU µs/req = user+system time of the target's server processes (app; nginx master+workers+app; +Redis for L2; +Postgres for misses) per request; generator CPU is the generator process's own. By CPU cost: app L1 = ${percent(ratios.l1OverExpressByCpu)} of bare Express; nginx = ${percent(ratios.nginxCpuShare)} of the nginx path's server CPU.`,
    ...goals.map((g) => `GOAL ${g.pass ? 'PASS' : 'FAIL'}: ${g.goal}: ${g.detail}`),
  ];
  return renderSection('Throughput ceilings', table, notes);
}
