import type { Command } from '@commander-js/extra-typings';
import { saveBenchResult } from '../../bench/bench-results.ts';
import { type CalibrateFlags, calibrateCommand } from '../../measure/network/calibrate-command.ts';
import { integerInRange, networkProfile } from '../option-parsers.ts';

/** Registers `cachelab net calibrate [--network <profile>] [--samples n]`. */
export function registerNetCommand(
  program: Command,
  run: (flags: CalibrateFlags) => Promise<unknown> = (flags) =>
    calibrateCommand(flags, saveBenchResult),
): void {
  const net = program.command('net').description('the emulated network between the services');
  net
    .command('calibrate')
    .description(
      "measure each hop's added round trip (Redis PING, Postgres SELECT 1, HTTP /healthz) and the proxy's CPU per message",
    )
    .option(
      '--network <profile>',
      'lan | same-az | cross-az | loopback (the bare proxy) (default same-az)',
      networkProfile,
    )
    .option('--samples <n>', 'round trips per hop (default 500)', integerInRange(20, 100_000))
    .action(async (options) => {
      await run(options);
    });
}
