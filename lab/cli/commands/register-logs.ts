import type { Command } from '@commander-js/extra-typings';
import { loadLabConfig } from '../../lab-config.ts';
import { requireAttached } from '../../run/driver/attach.ts';
import { integerInRange } from '../option-parsers.ts';

/** Registers `cachelab logs [service] [--lines N]`. */
export function registerLogsCommand(program: Command): void {
  program
    .command('logs')
    .description(
      'show the last lines of one service log (postgres, redis-1, app-1, nginx…) or of all',
    )
    .argument('[service]', 'log name; omit for every log')
    .option('-n, --lines <n>', 'lines per log', integerInRange(1, 100_000), 40)
    .action(async (service, options) => {
      const lab = await requireAttached(loadLabConfig().stateFile);
      const text = await lab.logs(service, options.lines);
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    });
}
