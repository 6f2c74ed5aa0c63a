import type { Command } from '@commander-js/extra-typings';
import { type PlanFlags, planCommand } from '../../plan/plan-command.ts';
import { integerList, positiveNumber, topologyList } from '../option-parsers.ts';

/** Registers `cachelab plan --rps N [options]`. */
export function registerPlanCommand(
  program: Command,
  run: (flags: PlanFlags) => Promise<unknown> = planCommand,
): void {
  program
    .command('plan')
    .description(
      'extrapolate cores per tier, Redis nodes and DB queries/s for a target rate from measured costs',
    )
    .requiredOption('--rps <r>', 'target requests per second, e.g. 100000', positiveNumber)
    .option('--servers <list>', 'app server counts (default 3,8,16,32)', integerList(1, 1024))
    .option(
      '--topologies <a,b,…>',
      'topologies to plan (default: every measured one)',
      topologyList,
    )
    .option(
      '--from <results.json>',
      "a comparison's or a capacity run's results.json (default results/latest/results.json)",
    )
    .option('--results-dir <dir>', 'parent of plan/<run-id>/ (default results)')
    .action(async (options) => {
      await run(options);
    });
}
