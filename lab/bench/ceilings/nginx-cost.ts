// nginx's CPU per request, measured the same way for every nginx compared: the same wrk (2 threads,
// 32 connections, random hot profile ids) paced at the same offered rate, over the same window, CPU of
// the nginx master and its workers only (never the app behind it), round-robin over the targets.
import { cpuMsOf } from '../../measure/proc-cpu.ts';
import { atMost, type GoalVerdict, median } from '../bench-stats.ts';
import { runWrk } from './wrk-generator.ts';

/** One nginx to measure: its master's pid (its workers are found as children). */
export interface NginxUnderTest {
  name: string;
  url: string;
  pid: number;
}

/** One paced window against one nginx. */
export interface PacedRun {
  offeredRps: number;
  rps: number;
  requests: number;
  /** CPU (user + system) of the nginx master and workers per request, µs. */
  nginxCpuUs: number;
  errors: number;
}

/** How the comparison is paced. */
export interface PacePlan {
  /** The offered rate every target gets, req/s. */
  rateRps: number;
  repetitions: number;
  durationSec: number;
}

/** nginx's CPU per proxied request may be at most this multiple of its floor. */
export const MAX_NGINX_OVER_FLOOR = 1.5;
/** Share of the proxied path's closed-loop ceiling offered to every target. */
export const PACE_SHARE_OF_CEILING = 0.5;
/** A target kept its pace when its median run achieved at least this share of the offered rate. */
export const KEPT_PACE = 0.95;
/** Every paced run uses this many connections (as the closed-loop ceilings do). */
export const PACED_CONNECTIONS = 32;

/**
 * The lowest offered rate: /proc counts CPU in 10 ms ticks, so a window needs thousands of requests
 * for a figure per request to mean anything.
 */
export const MIN_PACED_RPS = 1_000;

/**
 * The offered rate of a comparison: half the proxied path's closed-loop ceiling measured in the same
 * run, rounded down to 100 req/s (at least MIN_PACED_RPS), so both nginx and the app behind it have
 * headroom on shared cores; a target that still cannot keep it is flagged (keptPace).
 */
export function pacedRate(proxiedCeilingRps: number): number {
  if (!Number.isFinite(proxiedCeilingRps) || proxiedCeilingRps <= 0)
    throw new Error(`no proxied ceiling to pace from (got ${proxiedCeilingRps} req/s)`);
  const half = Math.floor((proxiedCeilingRps * PACE_SHARE_OF_CEILING) / 100) * 100;
  return Math.max(MIN_PACED_RPS, half);
}

/** Whether a target's median run achieved (nearly) the rate it was offered. */
export function keptPace(runs: readonly Pick<PacedRun, 'offeredRps' | 'rps'>[]): boolean {
  const offered = runs[0]?.offeredRps ?? Number.NaN;
  return median(runs.map((r) => r.rps)) >= offered * KEPT_PACE;
}

/** One paced window: nginx's CPU before and after, divided by the requests wrk completed. */
export async function measurePaced(
  target: NginxUnderTest,
  rateRps: number,
  durationSec: number,
  keyCount: number,
): Promise<PacedRun> {
  const before = await cpuMsOf([target.pid]);
  const report = await runWrk({
    url: target.url,
    connections: PACED_CONNECTIONS,
    durationSec,
    keyCount,
    generator: 'wrk',
    ratePerSec: rateRps,
  });
  const cpuMs = (await cpuMsOf([target.pid])) - before;
  return {
    offeredRps: rateRps,
    rps: report.rps,
    requests: report.requests,
    nginxCpuUs: (cpuMs * 1000) / Math.max(1, report.requests),
    errors: report.errors + report.non2xx,
  };
}

/**
 * Every target once per repetition (rep 1 of all, then rep 2 …), so drift in the machine's load is
 * spread over the targets instead of landing on one. Returns each target's runs by name.
 */
export async function measureRoundRobin(
  targets: readonly NginxUnderTest[],
  plan: PacePlan & { keyCount: number },
  log: (line: string) => void,
): Promise<Map<string, PacedRun[]>> {
  const runs = new Map<string, PacedRun[]>();
  for (let rep = 1; rep <= plan.repetitions; rep++) {
    for (const target of targets) {
      const run = await measurePaced(target, plan.rateRps, plan.durationSec, plan.keyCount);
      runs.set(target.name, [...(runs.get(target.name) ?? []), run]);
      log(
        `  rep ${rep}/${plan.repetitions} ${target.name} at ${plan.rateRps} req/s offered: ${Math.round(run.rps)} req/s, ${run.nginxCpuUs.toFixed(1)} µs/req`,
      );
    }
  }
  return runs;
}

/** nginx proxying beside nginx answering the same body itself, at one offered rate. */
export interface FloorComparison {
  offeredRps: number;
  /** Median CPU µs per request of each. */
  proxiedUs: number;
  floorUs: number;
  /** proxiedUs / floorUs. */
  overFloor: number;
  /** The median run of each achieved ≥ 95 % of the offered rate. */
  keptPace: boolean;
}

/** Medians of the proxied and the floor runs, and whether both kept the pace. */
export function compareWithFloor(
  proxied: readonly PacedRun[],
  floor: readonly PacedRun[],
): FloorComparison {
  const first = proxied[0] ?? floor[0];
  if (first === undefined) throw new Error('no paced runs to compare');
  const proxiedUs = median(proxied.map((r) => r.nginxCpuUs));
  const floorUs = median(floor.map((r) => r.nginxCpuUs));
  return {
    offeredRps: first.offeredRps,
    proxiedUs,
    floorUs,
    overFloor: proxiedUs / floorUs,
    keptPace: keptPace(proxied) && keptPace(floor),
  };
}

/** The floor goal of a comparison; a comparison whose runs fell behind the pace cannot pass. */
export function floorGoal(goal: string, comparison: FloorComparison): GoalVerdict {
  const format = (x: number): string => `${x.toFixed(2)}×`;
  const verdict = atMost(goal, comparison.overFloor, MAX_NGINX_OVER_FLOOR, format);
  const at = ` at ${comparison.offeredRps} req/s offered to both`;
  if (comparison.keptPace) return { ...verdict, detail: `${verdict.detail}${at}` };
  return { ...verdict, pass: false, detail: `${verdict.detail}${at}, but one fell behind it` };
}
