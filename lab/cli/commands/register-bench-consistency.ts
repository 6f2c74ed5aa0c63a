import type { Command } from '@commander-js/extra-typings';
import {
  type ConsistencyBenchOptions,
  DEFAULT_MODES,
  DEFAULT_RATE,
  SHARED_TOPOLOGIES,
} from '../../bench/consistency/consistency-bench-plan.ts';
import { GOAL_READS } from '../../bench/consistency/consistency-goals.ts';
import { FAILURE_KINDS } from '../../bench/consistency/recovery-figures.ts';
import { runConsistencyBench } from '../../bench/consistency/run-consistency-bench.ts';
import {
  consistencyList,
  driverName,
  integerInRange,
  positiveNumber,
  someOf,
  topologyList,
} from '../option-parsers.ts';

/** Registers `cachelab bench-consistency [--reads N] [--rate R] [--topologies …] [--modes …] [--failures …]`. */
export function registerBenchConsistencyCommand(
  program: Command,
  run: (options: ConsistencyBenchOptions) => Promise<unknown> = runConsistencyBench,
): void {
  program
    .command('bench-consistency')
    .description(
      'the consistency goals: stale reads under steady write-heavy load and after Redis failures, per mode; prints and saves figures',
    )
    .option(
      '--reads <n>',
      `steady write-heavy reads per topology and mode (goal: ≥ ${GOAL_READS})`,
      integerInRange(1, 10_000_000),
      GOAL_READS,
    )
    .option('--rate <r>', 'offered requests per second (70 % reads)', positiveNumber, DEFAULT_RATE)
    .option(
      '--topologies <a,b,…>',
      `shared-cache topologies (default ${SHARED_TOPOLOGIES.join(',')})`,
      topologyList,
    )
    .option(
      '--modes <a,b,…>',
      `consistency modes (default ${DEFAULT_MODES.join(',')})`,
      consistencyList,
    )
    .option(
      '--failures <a,b,…>',
      `${FAILURE_KINDS.join(', ')} (default: all; each where it applies)`,
      someOf(FAILURE_KINDS),
    )
    .option('--driver <name>', 'native or compose (default native)', driverName)
    .option(
      '--out <file>',
      'where the figures are saved (default results/bench/consistency-goals.json)',
    )
    .action(async (options) => {
      await run({
        reads: options.reads,
        rate: options.rate,
        topologies: options.topologies ?? [...SHARED_TOPOLOGIES],
        modes: options.modes ?? [...DEFAULT_MODES],
        failures: options.failures ?? [...FAILURE_KINDS],
        driver: options.driver,
        out: options.out,
      });
    });
}
