// Benchmark (not a test): the Node runner's highest rate against one bare node:http target, beside
// autocannon's closed-loop maximum against the same target, in one run. The headline ratio holds both
// generators to the same rule: successful responses per second, nothing else (autocannon is
// closed-loop and has no schedule, so no lag, drop or achieved-rate rule can apply to it). The
// runner's ceilings under its own validity rules are saved beside it, each naming its rule.
//   node --import tsx loadtests/bench/runner-ceiling.ts [--step-sec 4] [--workers 1,2] [--out results/bench/runner-ceiling.json]
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DEFAULT_MAX_LAG_P99_MS } from '../runner/options.ts';
import { runLoad } from '../runner/run-load.ts';

const TARGET = fileURLToPath(new URL('./target-server.ts', import.meta.url));
const MIN_START_RATE = 1000;
/** The ceiling search starts at this share of autocannon's first sample, to spend its steps near the knee. */
const START_SHARE = 0.4;
const GROWTH = 1.3;
const MAX_STEPS = 16;
const BISECTIONS = 3;
/** The throughput sweep: rate × SWEEP_GROWTH above the ceiling, until the successes stop growing. */
const SWEEP_GROWTH = 1.08;
const SWEEP_MAX_STEPS = 8;
/** Steps in a row without a new best that end the sweep. */
const SWEEP_PATIENCE = 2;
const WARMUP_SEC = 1;
/** The runner's in-flight cap: a deeper queue only adds latency once the target falls behind. */
const MAX_IN_FLIGHT = 1000;
/** Tries per rate: the machine is shared, so one unlucky descheduling should not end a search. */
const ATTEMPTS = 2;
/** The rule both generators' headline figures follow. */
const SAME_RULE =
  'same for both: successful (2xx, error-free) responses per second of the measured window, best ' +
  'step for the runner (any step of any search, any thread count), best of the autocannon samples ' +
  '(before, between and after the searches); no lag, drop, achieved-rate or CPU rule for either ' +
  '(autocannon is closed-loop and has none)';

interface Step {
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

async function startTarget(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', TARGET], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffered = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    buffered += chunk.toString();
    const port = /port=(\d+)/.exec(buffered)?.[1];
    if (port) return { url: `http://127.0.0.1:${port}`, child };
  }
  throw new Error(`bench target exited before listening (code ${child.exitCode})`);
}

interface SearchSettings {
  stepSec: number;
  maxLagP99Ms: number;
  workers: number;
}

async function runnerStep(url: string, rate: number, s: SearchSettings) {
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
async function searchCeiling(url: string, startRate: number, settings: SearchSettings) {
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
async function sweepThroughput(url: string, fromRate: number, settings: SearchSettings) {
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

/** autocannon's closed-loop maximum, in-process like the runner, with its CPU cost per request. */
async function autocannonMax(url: string, durationSec: number) {
  const cpu = process.cpuUsage();
  const r = await autocannon({ url: `${url}/profiles/1`, connections: 50, duration: durationSec });
  const used = process.cpuUsage(cpu);
  const result = {
    /** 2xx responses per second: the same rule as the runner's successRps. */
    rps: r['2xx'] / r.duration,
    allResponsesRps: r.requests.total / r.duration,
    latencyP99Ms: r.latency.p99,
    errors: r.errors + r.non2xx,
    cpuUsPerRequest: (used.user + used.system) / Math.max(1, r.requests.total),
  };
  process.stdout.write(
    `autocannon (50 connections, closed loop): ${result.rps.toFixed(0)} req/s\n`,
  );
  return result;
}

function logStep(s: Step): void {
  const verdict = s.sustained ? 'sustained' : 'NOT sustained';
  process.stdout.write(
    `  runner ${s.rate}/s: ${verdict} achieved=${s.achievedRps.toFixed(0)} lag p99=${s.lagP99Ms.toFixed(2)}ms ` +
      `p99=${s.latencyP99Ms.toFixed(2)}ms cpu=${s.cpuUsPerRequest.toFixed(1)}µs/req ${s.coresUsed.toFixed(2)} cores ` +
      `loop ${(s.maxEventLoopUtilization * 100).toFixed(0)}% ${s.invalidReasons.join('; ')}\n`,
  );
}

/** The runner's two searches at one thread count. */
async function runnerAt(url: string, workers: number, startRate: number, stepSec: number) {
  const settings = { stepSec, maxLagP99Ms: DEFAULT_MAX_LAG_P99_MS, workers };
  process.stdout.write(
    `runner, ${workers} thread(s), valid runs (lag p99 <= ${DEFAULT_MAX_LAG_P99_MS} ms):\n`,
  );
  const valid = await searchCeiling(url, startRate, settings);
  process.stdout.write(`runner, ${workers} thread(s), throughput sweep (no rule):\n`);
  const unruled = { ...settings, maxLagP99Ms: Number.POSITIVE_INFINITY };
  const throughput = await sweepThroughput(url, Math.max(startRate, valid.ceilingRps), unruled);
  const all = [...valid.steps, ...throughput.steps];
  const best = all.reduce((a, b) => (b.successRps > a.successRps ? b : a));
  return { workers, valid, throughput, bestSuccessRps: best.successRps, bestStep: best };
}

/** autocannon, then per thread count the runner's searches, each followed by autocannon again. */
async function measure(url: string, stepSec: number, workerCounts: number[]) {
  const loadavgBefore = loadavg();
  const samples = [await autocannonMax(url, 8)];
  const first = samples[0] as Awaited<ReturnType<typeof autocannonMax>>;
  const startRate = Math.max(MIN_START_RATE, Math.round(START_SHARE * first.rps));
  const runner = [];
  for (const workers of workerCounts) {
    runner.push(await runnerAt(url, workers, startRate, stepSec));
    samples.push(await autocannonMax(url, 8));
  }
  // Sampled around every search: the machine's load drifts, and autocannon's JIT warms up.
  const meanRps = samples.reduce((sum, a) => sum + a.rps, 0) / samples.length;
  // Best against best: the runner's figure is the best of many steps, so a mean would favour it.
  const bestRps = Math.max(...samples.map((a) => a.rps));
  const best = runner.reduce((a, b) => (b.bestSuccessRps > a.bestSuccessRps ? b : a));
  return {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, loadavgBefore, loadavgAfter: loadavg() },
    target: 'bare node:http, fixed 70-byte JSON body, child process on 127.0.0.1',
    stepSec,
    attemptsPerRate: ATTEMPTS,
    maxInFlight: MAX_IN_FLIGHT,
    runner,
    autocannon: { connections: 50, samples, meanRps, bestRps },
    /** The goal (runner ≥ 0.8× autocannon), under one rule applied to both generators. */
    ratio: best.bestSuccessRps / bestRps,
    ratioRule: SAME_RULE,
    runnerSuccessRps: best.bestSuccessRps,
    /** The thread count, offered rate and generator CPU of the runner's best step. */
    runnerBest: { workers: best.workers, step: best.bestStep },
    /** Not like-for-like: the runner's ceilings under rules autocannon is not held to. */
    stricterForRunner: {
      rule: `runner only: lag p99 <= ${DEFAULT_MAX_LAG_P99_MS} ms, dropped <= 1%, achieved >= 95% of offered, busiest loop <= 90%, no errors; autocannon: none; ÷ autocannon mean of the samples`,
      byWorkers: runner.map((r) => ({
        workers: r.workers,
        ceilingRps: r.valid.ceilingRps,
        ratio: r.valid.ceilingRps / meanRps,
      })),
    },
  };
}

function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** `--workers 1,2`: the thread counts to search; by default one thread and one per core. */
function workerCounts(): number[] {
  const given = argValue('--workers', `1,${availableParallelism()}`);
  const counts = [...new Set(given.split(',').map(Number))];
  if (counts.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new RangeError(`--workers takes positive integers separated by commas, got ${given}`);
  }
  return counts;
}

function summary(r: Awaited<ReturnType<typeof measure>>, out: string): string {
  const step = r.runnerBest.step;
  const strict = r.stricterForRunner.byWorkers
    .map((w) => `${w.ceilingRps} req/s with ${w.workers} thread(s) (ratio ${w.ratio.toFixed(2)})`)
    .join(', ');
  return (
    `runner ${r.runnerSuccessRps.toFixed(0)} (${r.runnerBest.workers} thread(s), offered ${step.rate}/s, ` +
    `${step.cpuUsPerRequest.toFixed(1)} µs CPU/req, ${step.coresUsed.toFixed(2)} cores) vs autocannon ` +
    `${r.autocannon.bestRps.toFixed(0)} successful responses/s: ratio ${r.ratio.toFixed(2)} (rule: ${r.ratioRule})\n` +
    `runner ceilings under its own stricter rules: ${strict}; load average ` +
    `${r.machine.loadavgBefore[0]?.toFixed(1)} -> ${r.machine.loadavgAfter[0]?.toFixed(1)}\nwritten to ${out}\n`
  );
}

async function main(): Promise<void> {
  const stepSec = Number(argValue('--step-sec', '4'));
  const counts = workerCounts();
  const out = resolve(argValue('--out', 'results/bench/runner-ceiling.json'));
  const { url, child } = await startTarget();
  try {
    const r = await measure(url, stepSec, counts);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(r, null, 2)}\n`);
    process.stdout.write(summary(r, out));
  } finally {
    if (child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }
}

await main();
