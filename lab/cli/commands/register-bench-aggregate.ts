import type { Command } from '@commander-js/extra-typings';
import {
  type AggregateRunOptions,
  PROFILE_AGGREGATE_RESULT,
  runProfileAggregateBench,
} from '../../bench/profile-aggregate/profile-aggregate-bench.ts';
import { positiveInteger } from '../option-parsers.ts';

/** Registers `cachelab bench-aggregate [--users N] [--samples N] [--warmup N] [--out file]`. */
export function registerBenchAggregateCommand(
  program: Command,
  run: (options: AggregateRunOptions) => Promise<unknown> = runProfileAggregateBench,
): void {
  program
    .command('bench-aggregate')
    .description(
      'seed a throwaway Postgres (timed) and measure the profile aggregate query; prints and saves figures',
    )
    .option('--users <n>', 'users to seed', positiveInteger, 100_000)
    .option('--samples <n>', 'timed aggregate runs', positiveInteger, 5_000)
    .option('--warmup <n>', 'untimed runs first', positiveInteger, 500)
    .option('--out <file>', 'where the figures are saved', PROFILE_AGGREGATE_RESULT)
    .action(async (options) => {
      await run(options);
    });
}
