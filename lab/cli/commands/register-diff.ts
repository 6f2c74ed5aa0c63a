import type { Command } from '@commander-js/extra-typings';
import { type DiffOptions, diffCommand } from '../../compare/diff-command.ts';

/** Registers `cachelab diff <run-a> <run-b> [--results-dir] [--changed-only] [--fail-on-regression]`. */
export function registerDiffCommand(
  program: Command,
  run: (options: DiffOptions) => Promise<unknown> = diffCommand,
): void {
  program
    .command('diff')
    .description('what changed between two comparison runs, regressions flagged')
    .argument('<run-a>', 'run id under the results folder, `latest`, a run folder or results.json')
    .argument('<run-b>', 'the run compared with run-a, given the same way')
    .option('--results-dir <dir>', 'where run ids are looked up', 'results')
    .option('--changed-only', 'show only the metrics that got better or worse')
    .option('--fail-on-regression', 'exit with status 1 when anything regressed')
    .action(async (runA, runB, options) => {
      await run({
        runA,
        runB,
        resultsDir: options.resultsDir,
        changedOnly: options.changedOnly ?? false,
        failOnRegression: options.failOnRegression ?? false,
      });
    });
}
