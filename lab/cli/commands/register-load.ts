import type { Command } from '@commander-js/extra-typings';
import { WORKLOAD_NAMES } from '../../../loadtests/workload.ts';
import { LOAD_GENERATORS, type LoadFlags, loadCommand } from '../../measure/load/load-command.ts';
import { integerInRange, networkProfile, oneOf, workloadName } from '../option-parsers.ts';
import { remoteFlagsOf, withTargetOptions } from '../target-options.ts';

/** Registers `cachelab load [--topology] [--workload] [--rate] [--duration] [--warmup] [--keys]`. */
export function registerLoadCommand(
  program: Command,
  run: (flags: LoadFlags) => Promise<unknown> = loadCommand,
): void {
  withTargetOptions(program.command('load'))
    .description('load the running topology (k6 when installed, else the Node runner)')
    .option('--topology <name>', 'expected running topology (checked)')
    .option('--workload <name>', WORKLOAD_NAMES.join(' | '), workloadName, 'read-heavy' as const)
    .option('--rate <rps>', 'offered arrival rate', integerInRange(1, 1_000_000), 300)
    .option('--duration <s>', 'measured window in seconds', integerInRange(1, 86_400), 30)
    .option('--warmup <s>', 'warm-up before the window', integerInRange(0, 3_600), 5)
    .option(
      '--keys <n>',
      'profile ids 1..n (at most the seeded users)',
      integerInRange(1, 100_000_000),
      10_000,
    )
    .option(
      '--generator <name>',
      LOAD_GENERATORS.join(' | '),
      oneOf(LOAD_GENERATORS),
      'auto' as const,
    )
    .option(
      '--network <profile>',
      'loopback | lan | same-az | cross-az: the running topology must be under it (checked)',
      networkProfile,
    )
    .option(
      '--replicas <n>',
      'swarm lab: run the Node runner as n swarm tasks starting together, merged into one result',
      integerInRange(1, 64),
    )
    .action(async (options) => {
      const remote = remoteFlagsOf(options);
      await run({ ...options, ...(remote ? { remote } : {}) });
    });
}
