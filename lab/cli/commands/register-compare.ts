import type { Command, OptionValues } from '@commander-js/extra-typings';
import { WORKLOAD_NAMES } from '../../../loadtests/workload.ts';
import { compareCommand } from '../../compare/compare-command.ts';
import { type CompareFlags, MAX_REPEAT } from '../../compare/compare-settings.ts';
import { DEFAULT_APP_SCRAPE_TIMEOUT_MS } from '../../measure/scrape/app-metrics.ts';
import {
  consistencyList,
  driverName,
  durationOrZeroSeconds,
  durationSeconds,
  integerInRange,
  networkProfile,
  positiveInteger,
  positiveNumber,
  topologyList,
  workloadName,
} from '../option-parsers.ts';
import { remoteFlagsOf, withTargetOptions } from '../target-options.ts';

/** The options `compare` and `demo` share, typed (undefined = the preset's value). */
export function withCompareOptions<Args extends unknown[], Opts extends OptionValues>(
  command: Command<Args, Opts>,
) {
  return command
    .option(
      '--topologies <a,b,…>',
      'topologies to compare, in order (default: the whole catalog)',
      topologyList,
    )
    .option('--workload <name>', `${WORKLOAD_NAMES.join(' | ')} (default read-heavy)`, workloadName)
    .option(
      '--driver <name>',
      'native | compose: how each topology is brought up (default native)',
      driverName,
    )
    .option('--quick', 'short run: 20,000 users, 4 s warm-up, 8 s measured (~25 s per topology)')
    .option('--rate <r>', 'offered requests per second (default 150)', positiveNumber)
    .option(
      '--duration <s>',
      'measured seconds, e.g. 60, 90s, 2m (default 60; quick 8)',
      durationSeconds,
    )
    .option('--warmup <s>', 'warm-up seconds (default 20; quick 4)', durationOrZeroSeconds)
    .option('--seed-users <n>', 'users to seed (default 50000; quick 20000)', positiveInteger)
    .option('--seed <n>', 'seed of the request stream (default 1)', positiveInteger)
    .option(
      '--max-lag-ms <ms>',
      'scheduling-lag p99 above which a run is invalid (default 20)',
      positiveNumber,
    )
    .option(
      '--scrape-timeout-ms <ms>',
      `per app server /metrics scrape; a server that misses it is left out of the figures, flagged (default ${DEFAULT_APP_SCRAPE_TIMEOUT_MS})`,
      positiveInteger,
    )
    .option(
      '--results-dir <dir>',
      'where results/<run-id>/ and results/latest go (default results)',
    )
    .option(
      '--network <profile>',
      'loopback | lan | same-az | cross-az: round trip added on every hop (compare: loopback, demo: same-az)',
      networkProfile,
    )
    .option(
      '--consistency <a,b,…>',
      "run every topology under each mode: ttl | delete | lease | outbox | outbox+lease (default: each topology's own)",
      consistencyList,
    )
    .option(
      '--repeat <n>',
      `runs per topology; figures become medians with 95 % intervals (1..${MAX_REPEAT}, default 1)`,
      integerInRange(1, MAX_REPEAT),
    );
}

/** The parsed shared options as CompareFlags. */
export function compareFlagsOf(o: {
  topologies?: string[];
  workload?: CompareFlags['workload'];
  driver?: CompareFlags['driver'];
  quick?: true;
  rate?: number;
  duration?: number;
  warmup?: number;
  seedUsers?: number;
  seed?: number;
  maxLagMs?: number;
  scrapeTimeoutMs?: number;
  resultsDir?: string;
  repeat?: number;
  network?: CompareFlags['network'];
  consistency?: CompareFlags['consistency'];
}): CompareFlags {
  return {
    topologies: o.topologies,
    workload: o.workload,
    driver: o.driver,
    quick: o.quick,
    rate: o.rate,
    durationSec: o.duration,
    warmupSec: o.warmup,
    seedUsers: o.seedUsers,
    seed: o.seed,
    maxLagP99Ms: o.maxLagMs,
    ...(o.scrapeTimeoutMs === undefined ? {} : { scrapeTimeoutMs: o.scrapeTimeoutMs }),
    resultsDir: o.resultsDir,
    repeat: o.repeat,
    network: o.network,
    ...(o.consistency ? { consistency: o.consistency } : {}),
  };
}

/** Registers `cachelab compare [options]`; `run` is the command logic (tests pass their own). */
export function registerCompareCommand(
  program: Command,
  run: (flags: CompareFlags) => Promise<unknown> = compareCommand,
): void {
  withTargetOptions(
    withCompareOptions(
      program
        .command('compare')
        .description(
          'bring each topology up, load it, scrape it, and write results.json + report.html',
        ),
    ),
  ).action(async (options) => {
    const remote = remoteFlagsOf(options);
    await run({ ...compareFlagsOf(options), ...(remote ? { remote } : {}) });
  });
}
