// The runner's steps and searches for runner-ceiling.ts: one step at an offered rate, the ceiling
// search under the runner's validity rules, and the rule-free throughput sweep above it.
import { runLoad } from '../runner/run-load.ts';

const GROWTH = 1.3;
const MAX_STEPS = 16;
const BISECTIONS = 3;
/** The throughput sweep: rate × SWEEP_GROWTH above the ceiling, until the successes stop growing. */
const SWEEP_GROWTH = 1.08;
const SWEEP_MAX_STEPS = 8;
/** Steps in a row without a new best that end the sweep. */
const SWEEP_PATIENCE = 2;
/** Warm-up of every runner step. */
export const WARMUP_SEC = 1;
/** The runner's in-flight cap: a deeper queue only adds latency once the target falls behind. */
export const MAX_IN_FLIGHT = 1000;
/** Tries per rate: the machine is shared, so one unlucky descheduling should not end a search. */
export const ATTEMPTS = 2;
/** One runner step's figures. */
export interface Step {
  rate: number;
  sustained: boolean;
  achievedRps: number;
  /** Responses without an error per second of the measured window: the like-for-like figure. */
  successRps: number;
  lagP99Ms: number;
  latencyP99Ms: number;
  dropped: number;
  errors: number;
  /** Generator CPU (user + system) per request sent in the measured window, all threads. */
  cpuUsPerRequest: number;
  /** Cores the generator kept busy, and its busiest event loop's utilization. */
  coresUsed: number;
  maxEventLoopUtilization: number;
  invalidReasons: string[];
}

/** How a step runs: its measured seconds, lag rule and thread count. */
export interface SearchSettings {
  stepSec: number;
  maxLagP99Ms: number;
  workers: number;
}

/** One runner step at `rate`, logged as it ends. */
export async function runnerStep(url: string, rate: number, s: SearchSettings) {
  const { stepSec, maxLagP99Ms, workers } = s;
  const r = await runLoad({
    baseUrl: url,
    workload: 'read-heavy',
    keyCount: 10_000,
    rate,
    durationSec: stepSec,
    warmupSec: WARMUP_SEC,
    seed: 1,
    timeoutMs: 2000,
    maxInFlight: MAX_IN_FLIGHT,
    topology: 'bench-target',
    maxLagP99Ms,
    workers,
  });
  const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
  const step: Step = {
    rate,
    sustained: r.valid && errors === 0,
    achievedRps: r.achievedRps,
    successRps: Math.max(0, r.requests.completed - errors) / stepSec,
    lagP99Ms: r.schedulingLagMs?.p99 ?? 0,
    latencyP99Ms: r.latencyMs.p99,
    dropped: r.requests.dropped,
    errors,
    cpuUsPerRequest: r.generatorCpu?.cpuUsPerRequest ?? 0,
    coresUsed: r.generatorCpu?.coresUsed ?? 0,
    maxEventLoopUtilization: r.generatorCpu?.maxEventLoopUtilization ?? 0,
    invalidReasons: r.invalidReasons,
  };
  logStep(step);
  return step;
}

/** Ramps the rate by GROWTH until a step is not sustained, then bisects between the last two. */
export async function searchCeiling(url: string, startRate: number, settings: SearchSettings) {
  const steps: Step[] = [];
  const sustained = async (rate: number): Promise<boolean> => {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const s = await runnerStep(url, Math.round(rate), settings);
      steps.push(s);
      if (s.sustained) return true;
    }
    return false;
  };
  let good = 0;
  let bad = startRate;
  for (let i = 0; i < MAX_STEPS && (await sustained(bad)); i++) {
    good = bad;
    bad *= GROWTH;
  }
  for (let i = 0; i < BISECTIONS; i++) {
    const mid = (good + bad) / 2;
    if (await sustained(mid)) good = mid;
    else bad = mid;
  }
  const ceilingRps = Math.max(0, ...steps.filter((s) => s.sustained).map((s) => s.rate));
  const maxSuccessRps = Math.max(0, ...steps.map((s) => s.successRps));
  return { ceilingRps, maxSuccessRps, cpuUsPerRequestAtCeiling: atRate(steps, ceilingRps), steps };
}

/**
 * The most successful responses per second the runner gets from the target, whatever the rules:
 * offered rates from `fromRate` up by SWEEP_GROWTH until SWEEP_PATIENCE steps in a row bring no new
 * best. Above the target's capacity an open-model generator only queues, so the best step is the
 * pair's capacity under this generator: the figure autocannon's closed loop gives for itself.
 */
export async function sweepThroughput(url: string, fromRate: number, settings: SearchSettings) {
  const steps: Step[] = [];
  let best = 0;
  let sinceBest = 0;
  for (let rate = fromRate; steps.length < SWEEP_MAX_STEPS && sinceBest < SWEEP_PATIENCE; ) {
    const s = await runnerStep(url, Math.round(rate), settings);
    steps.push(s);
    if (s.successRps > best) {
      best = s.successRps;
      sinceBest = 0;
    } else sinceBest++;
    rate *= SWEEP_GROWTH;
  }
  return { maxSuccessRps: best, steps };
}

function atRate(steps: Step[], rate: number): number {
  return steps.find((s) => s.rate === rate && s.sustained)?.cpuUsPerRequest ?? 0;
}

function logStep(s: Step): void {
  const verdict = s.sustained ? 'sustained' : 'NOT sustained';
  process.stdout.write(
    `  runner ${s.rate}/s: ${verdict} achieved=${s.achievedRps.toFixed(0)} lag p99=${s.lagP99Ms.toFixed(2)}ms ` +
      `p99=${s.latencyP99Ms.toFixed(2)}ms cpu=${s.cpuUsPerRequest.toFixed(1)}µs/req ${s.coresUsed.toFixed(2)} cores ` +
      `loop ${(s.maxEventLoopUtilization * 100).toFixed(0)}% ${s.invalidReasons.join('; ')}\n`,
  );
}
