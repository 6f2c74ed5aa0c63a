import type { Command } from '@commander-js/extra-typings';
import { WORKLOAD_NAMES } from '../../../loadtests/workload.ts';
import { runSimulateCommand, type SimulateFlags } from '../../simulate/simulate-command.ts';
import { integerInRange, integerList, positiveInteger, workloadName } from '../option-parsers.ts';

/** Registers `cachelab simulate [options]`. */
export function registerSimulateCommand(
  program: Command,
  run: (flags: SimulateFlags) => Promise<unknown> = runSimulateCommand,
): void {
  program
    .command('simulate')
    .description('simulate 1..64 servers: hit ratio per tier, DB reads, keys moved on resize')
    .option('--workload <name>', `${WORKLOAD_NAMES.join(' | ')} (default read-heavy)`, workloadName)
    .option('--keys <n>', 'key count (default 100000)', positiveInteger)
    .option(
      '--requests <n>',
      'measured requests (default 300000); warm-up is the same unless --warmup',
      positiveInteger,
    )
    .option('--warmup <n>', 'warm-up requests', integerInRange(0))
    .option('--servers <list>', 'app server counts (default 1,2,3,4,8,16,32,64)', integerList())
    .option(
      '--cache-entries <n>',
      'entries per server LRU / two-tier L1 / cache node (default 10000)',
      positiveInteger,
    )
    .option(
      '--global-entries <n>',
      'entries of the global LRU / two-tier L2 (default 30000)',
      positiveInteger,
    )
    .option(
      '--resize-nodes <list>',
      'node counts N to resize to N±1 (default 2,3,4,8)',
      integerList(),
    )
    .option(
      '--l1-ttl-requests <n>',
      'L1 lifetime in requests where a write invalidates only its server (default 45000 = 300 s × 150 req/s; 0 = never)',
      integerInRange(0),
    )
    .option('--window <n>', 'requests per resize measuring window (default 10000)', positiveInteger)
    .option('--seed <n>', 'stream seed (default 42)', integerInRange(0))
    .option('--out <path>', 'output folder (default results/simulate), or a .json file')
    .action(async (options) => {
      await run(options);
    });
}
