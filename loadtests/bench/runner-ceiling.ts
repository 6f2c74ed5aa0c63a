// Benchmark (not a test): the Node runner's highest rate against one bare node:http target, beside
// autocannon's closed-loop maximum against the same target, in one run. The headline ratio holds both
// generators to the same rule: successful responses per second, nothing else (autocannon is
// closed-loop and has no schedule, so no lag, drop or achieved-rate rule can apply to it). The
// runner's ceilings under its own validity rules are saved beside it, each naming its rule. Paired
// rounds then compare the two in matched minutes, since the machine's speed drifts between samples.
//   node --import tsx loadtests/bench/runner-ceiling.ts [--step-sec 4] [--workers 1,2] [--out results/bench/runner-ceiling.json]
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DEFAULT_MAX_LAG_P99_MS } from '../runner/options.ts';
import {
  ATTEMPTS,
  MAX_IN_FLIGHT,
  runnerStep,
  searchCeiling,
  sweepThroughput,
  WARMUP_SEC,
} from './runner-steps.ts';

const TARGET = fileURLToPath(new URL('./target-server.ts', import.meta.url));
const MIN_START_RATE = 1000;
/** The ceiling search starts at this share of autocannon's first sample, to spend its steps near the knee. */
const START_SHARE = 0.4;
/** The rule both generators' headline figures follow. */
const SAME_RULE =
  'same for both: successful (2xx, error-free) responses per second of the measured window, best ' +
  'step for the runner (any step of any search, any thread count), best of the autocannon samples ' +
  '(before, between and after the searches); no lag, drop, achieved-rate or CPU rule for either ' +
  '(autocannon is closed-loop and has none)';

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

/** Runner steps in the paired rounds, each between two autocannon samples. */
const PAIRED_ROUNDS = 3;

/**
 * The drift-proof comparison: at the runner's best step (thread count and offered rate), autocannon
 * and the runner take turns, A R A R A R A, each as long as a runner step. Each runner figure is
 * divided by the mean of the two autocannon samples around it, so both saw the same minute of the
 * machine; the median of those ratios is the figure.
 */
async function pairedRounds(url: string, best: { workers: number; rate: number }, stepSec: number) {
  const settings = { stepSec, maxLagP99Ms: Number.POSITIVE_INFINITY, workers: best.workers };
  process.stdout.write(
    `paired rounds: autocannon and the runner (${best.workers} thread(s), ${best.rate}/s) in turn:\n`,
  );
  const sampleSec = stepSec + WARMUP_SEC;
  let before = await autocannonMax(url, sampleSec);
  const rounds = [];
  for (let i = 0; i < PAIRED_ROUNDS; i++) {
    const step = await runnerStep(url, best.rate, settings);
    const after = await autocannonMax(url, sampleSec);
    const autocannonRps = (before.rps + after.rps) / 2;
    rounds.push({
      runnerSuccessRps: step.successRps,
      autocannonRps,
      ratio: step.successRps / autocannonRps,
    });
    before = after;
  }
  const ratios = rounds.map((r) => r.ratio).sort((a, b) => a - b);
  return { ...best, rounds, medianRatio: ratios[Math.floor(ratios.length / 2)] ?? 0 };
}

/** autocannon; per thread count the runner's searches, each followed by autocannon; then paired rounds. */
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
  const paired = await pairedRounds(
    url,
    { workers: best.workers, rate: best.bestStep.rate },
    stepSec,
  );
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
    /** The same rule in matched minutes: median of runner ÷ the autocannon samples around it. */
    paired,
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
    `paired rounds at that rate, runner ÷ the autocannon samples around it: ${r.paired.rounds
      .map((p) => p.ratio.toFixed(2))
      .join(', ')}; median ${r.paired.medianRatio.toFixed(2)}\n` +
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
