import { type Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { WORKLOAD_NAMES } from '../../../loadtests/workload.ts';
import { type CapacityFlags, capacityCommand } from '../../capacity/capacity-command.ts';
import { parseSlo, type Slo, SloSyntaxError } from '../../capacity/slo.ts';
import { type NetworkProfile, parseNetworkProfile } from '../../topology/network.ts';
import {
  driverName,
  integerInRange,
  positiveInteger,
  positiveNumber,
  topologyList,
  workloadName,
} from '../option-parsers.ts';

/** --slo p99=50ms,errors=0.1% as an option parser (a bad value is a usage error). */
export function sloOption(value: string): Slo {
  try {
    return parseSlo(value);
  } catch (error) {
    if (error instanceof SloSyntaxError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

function networkOption(value: string): NetworkProfile {
  try {
    return parseNetworkProfile(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/** Registers `cachelab capacity [options]`. */
export function registerCapacityCommand(
  program: Command,
  run: (flags: CapacityFlags) => Promise<unknown> = capacityCommand,
): void {
  program
    .command('capacity')
    .description(
      'step the offered rate (ramp, then bisect) until the SLO or the run breaks: max throughput per topology',
    )
    .option(
      '--topologies <a,b,…>',
      'topologies to search (default: the whole catalog)',
      topologyList,
    )
    .option('--slo <bounds>', 'e.g. p99=50ms,errors=0.1% (the default)', sloOption)
    .option(
      '--network <profile>',
      'network profile between the tiers (default loopback)',
      networkOption,
    )
    .option('--workload <name>', `${WORKLOAD_NAMES.join(' | ')} (default read-heavy)`, workloadName)
    .option('--driver <name>', 'native | compose (default native)', driverName)
    .option('--seed-users <n>', 'users to seed (default 20000)', positiveInteger)
    .option('--step-sec <s>', 'measured seconds per step (default 3)', positiveNumber)
    .option('--start-rps <r>', 'first offered rate (default 200)', positiveNumber)
    .option('--max-rps <r>', 'highest offered rate (default 20000)', positiveNumber)
    .option('--max-steps <n>', 'steps per topology at most (default 14)', integerInRange(2, 40))
    .option(
      '--repeat <n>',
      'searches per topology; capacity becomes the median with a 95 % interval (1..20, default 1)',
      integerInRange(1, 20),
    )
    .option('--results-dir <dir>', 'parent of capacity/<run-id>/ (default results)')
    .action(async (options) => {
      await run(options);
    });
}
