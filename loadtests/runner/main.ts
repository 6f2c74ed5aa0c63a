// CLI: node --import tsx loadtests/runner/main.ts --url http://127.0.0.1:8080 --workload read-heavy …
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { formatRunSummary } from '../result-summary.ts';
import { WORKLOAD_NAMES } from '../workload.ts';
import { DEFAULT_MAX_LAG_P99_MS } from './options.ts';
import { type RunLoadOptions, runLoad } from './run-load.ts';

function numberArg(integer: boolean): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`not ${integer ? 'an integer' : 'a number'}: ${value}`);
    }
    return n;
  };
}

function buildCommand(): Command {
  return new Command('load-runner')
    .description('Open-model load against the cachelab profile API; prints a summary, writes JSON')
    .requiredOption('--url <url>', 'API origin, e.g. http://127.0.0.1:8080')
    .option('--workload <name>', `one of ${WORKLOAD_NAMES.join(', ')}`, 'read-heavy')
    .option('--rate <rps>', 'offered arrival rate (requests/s)', numberArg(false), 200)
    .option('--duration <sec>', 'measured window (s)', numberArg(false), 30)
    .option('--warmup <sec>', 'warm-up before the window, not measured (s)', numberArg(false), 5)
    .option('--keys <n>', 'profile ids 1..n', numberArg(true), 10_000)
    .option('--seed <n>', 'seed of the operation stream', numberArg(true), 1)
    .option('--timeout <ms>', 'per-request timeout (ms)', numberArg(false), 2000)
    .option(
      '--max-in-flight <n>',
      'in-flight cap; starts beyond it are dropped',
      numberArg(true),
      512,
    )
    .option(
      '--connections <n>',
      'keep-alive connections (default min(max-in-flight, 256))',
      numberArg(true),
    )
    .option(
      '--max-lag <ms>',
      'scheduling lag p99 above this marks the run invalid',
      numberArg(false),
      DEFAULT_MAX_LAG_P99_MS,
    )
    .option(
      '--workers <n>',
      'worker threads sharing the schedule (default 1 up to 2000/s, else one per core)',
      numberArg(true),
    )
    .option('--topology <name>', 'topology label recorded in the result', 'unknown')
    .option('--out <file>', 'where to write the RunResult JSON', 'results.json')
    .option('--quiet', 'no progress lines');
}

interface CliOptions {
  url: string;
  workload: string;
  rate: number;
  duration: number;
  warmup: number;
  keys: number;
  seed: number;
  timeout: number;
  maxInFlight: number;
  connections?: number;
  workers?: number;
  maxLag: number;
  topology: string;
  out: string;
  quiet?: boolean;
}

function toRunOptions(cli: CliOptions): RunLoadOptions {
  return {
    baseUrl: cli.url,
    workload: cli.workload as RunLoadOptions['workload'],
    keyCount: cli.keys,
    rate: cli.rate,
    durationSec: cli.duration,
    warmupSec: cli.warmup,
    seed: cli.seed,
    timeoutMs: cli.timeout,
    maxInFlight: cli.maxInFlight,
    topology: cli.topology,
    maxLagP99Ms: cli.maxLag,
    ...(cli.connections === undefined ? {} : { connections: cli.connections }),
    ...(cli.workers === undefined ? {} : { workers: cli.workers }),
    ...(cli.quiet
      ? {}
      : {
          onProgress: (p) =>
            process.stderr.write(
              `[${p.phase}] ${p.elapsedSec.toFixed(0)}s sent=${p.sent} done=${p.completed} ` +
                `failed=${p.failed} dropped=${p.dropped} in-flight=${p.inFlight}\n`,
            ),
        }),
  };
}

async function main(argv: string[]): Promise<void> {
  const cli = buildCommand().parse(argv).opts<CliOptions>();
  const result = await runLoad(toRunOptions(cli));
  const out = resolve(cli.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(formatRunSummary(result));
  process.stdout.write(`result written to ${out}\n`);
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(
    `load-runner failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exitCode = 1;
});
