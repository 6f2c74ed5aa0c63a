import type { Command } from '@commander-js/extra-typings';
import { loadLabConfig } from '../../config.ts';
import { attach } from '../../run/driver/attach.ts';
import { createProgressPrinter } from '../progress.ts';

/** Stops the recorded topology and forgets it; says so (exit 0) when nothing is running. */
export async function downAction(): Promise<void> {
  const config = loadLabConfig();
  const lab = await attach(config.stateFile);
  if (!lab) {
    process.stderr.write('cachelab: nothing is running\n');
    return;
  }
  const progress = createProgressPrinter();
  try {
    await lab.down(progress.listener);
  } finally {
    progress.finish();
  }
  const { state } = lab;
  const ports = state.services.flatMap((s) => s.ports).length;
  process.stderr.write(
    `cachelab: ${state.topology} is down (${state.services.length} processes stopped, ${ports} ports free); data removed, logs kept in ${state.runDir}/logs\n`,
  );
}

/** Registers `cachelab down`. */
export function registerDownCommand(program: Command): void {
  program
    .command('down')
    .description('stop the running topology and free its ports')
    .option('--driver <name>', 'ignored: the driver recorded at `up` is used')
    .action(() => downAction());
}
