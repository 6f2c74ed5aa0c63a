import type { Command } from '@commander-js/extra-typings';
import {
  BENCH_PARTS,
  type BenchOptions,
  DEFAULT_BENCH_PARTS,
  DEFAULT_BENCH_SEED_USERS,
} from '../../bench/bench-options.ts';
import { runBenchCommand } from '../../bench/run-bench.ts';
import { positiveInteger, someOf } from '../option-parsers.ts';

/** Registers `cachelab bench [--quick] [--only ladder,ceilings,peer,nginx-settings] [--seed-users N] [--profile]`. */
export function registerBenchCommand(
  program: Command,
  run: (options: BenchOptions) => Promise<unknown> = runBenchCommand,
): void {
  program
    .command('bench')
    .description(
      'latency ladder, throughput ceilings and bentocache as a peer; prints and saves figures',
    )
    .option('--quick', 'shorter runs: smoke figures, not for quoting')
    .option(
      '--only <parts>',
      `${BENCH_PARTS.join(', ')}: comma-separated or repeated (default: ${DEFAULT_BENCH_PARTS.join(', ')})`,
      someOf(BENCH_PARTS),
    )
    .option(
      '--seed-users <n>',
      'users seeded into the throwaway Postgres',
      positiveInteger,
      DEFAULT_BENCH_SEED_USERS,
    )
    .option('--profile', 'profile the L1-hit path with --cpu-prof even when it meets its goal')
    .action(async (options) => {
      await run({
        quick: options.quick ?? false,
        parts: options.only ?? [...DEFAULT_BENCH_PARTS],
        seedUsers: options.seedUsers,
        profile: options.profile ?? false,
      });
    });
}
