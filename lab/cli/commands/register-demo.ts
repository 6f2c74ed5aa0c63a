import type { Command } from '@commander-js/extra-typings';
import { demoCommand } from '../../compare/compare-command.ts';
import type { CompareFlags } from '../../compare/compare-settings.ts';
import { compareFlagsOf, withCompareOptions } from './register-compare.ts';

/** Registers `cachelab demo [compare options]`: quick and read-heavy unless told otherwise. */
export function registerDemoCommand(
  program: Command,
  run: (flags: CompareFlags) => Promise<unknown> = demoCommand,
): void {
  withCompareOptions(
    program
      .command('demo')
      .description('quick comparison of the whole catalog (read-heavy); prints the report path'),
  ).action(async (options) => {
    await run(compareFlagsOf(options));
  });
}
