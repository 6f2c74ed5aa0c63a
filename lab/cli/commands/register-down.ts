import type { Command } from '@commander-js/extra-typings';
import { downCommand } from '../../run/down-command.ts';
import { createProgressPrinter } from '../progress.ts';

/** `cachelab down`: the steps, then what was stopped; says so (exit 0) when nothing is running. */
async function downAndSay(): Promise<void> {
  const progress = createProgressPrinter();
  let state: Awaited<ReturnType<typeof downCommand>>;
  try {
    state = await downCommand(progress.listener);
  } finally {
    progress.finish();
  }
  if (!state) {
    process.stderr.write('cachelab: nothing is running\n');
    return;
  }
  const ports = state.services.flatMap((s) => s.ports).length;
  process.stderr.write(
    `cachelab: ${state.topology} is down (${state.services.length} processes stopped, ${ports} ports free); data removed, logs kept in ${state.runDir}/logs\n`,
  );
}

/** Registers `cachelab down`. */
export function registerDownCommand(program: Command, run = downAndSay): void {
  program
    .command('down')
    .description('stop the running topology and free its ports')
    .option('--driver <name>', 'ignored: the driver recorded at `up` is used')
    .action(async () => {
      await run();
    });
}
