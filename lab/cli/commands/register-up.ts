import type { Command } from '@commander-js/extra-typings';
import type { LabState } from '../../run/driver/driver-types.ts';
import { type UpFlags, upCommand } from '../../run/up-command.ts';
import {
  driverName,
  hopOverride,
  integerInRange,
  networkProfile,
  positiveInteger,
} from '../option-parsers.ts';
import { createProgressPrinter } from '../progress.ts';

function summary(state: LabState): string {
  return [
    `cachelab: ${state.topology} is up at ${state.httpUrl} (try ${state.httpUrl}/profiles/1)`,
    `  logs:   ${state.runDir}/logs (cachelab logs [service])`,
    '  status: cachelab status    stop: cachelab down',
    '',
  ].join('\n');
}

/** `cachelab up`: the steps as a progress bar (or lines), then where the topology answers. */
async function upAndSay(name: string, flags: UpFlags): Promise<void> {
  const progress = createProgressPrinter();
  const state = await upCommand(name, flags, {
    onProgress: progress.listener,
    onUpEnded: () => progress.finish(),
  });
  process.stderr.write(summary(state));
}

/** Registers `cachelab up <topology> [--driver] [--seed-users N] [--http-port P] [--observe] [--network]`. */
export function registerUpCommand(program: Command, run = upAndSay): void {
  program
    .command('up')
    .description('bring a topology up and leave it running (see `cachelab list`)')
    .argument('<topology>', 'topology name')
    .option(
      '--driver <name>',
      'native or compose (default: compose if Docker answers, else native)',
      driverName,
    )
    .option('--seed-users <n>', "users to seed (default: the topology's)", positiveInteger)
    .option(
      '--http-port <port>',
      'nginx port on 127.0.0.1 (default LAB_HTTP_PORT or 8080)',
      integerInRange(1, 65_535),
    )
    .option('--observe', 'also start Prometheus and the Redis/Postgres/nginx exporters')
    .option(
      '--network <profile>',
      'loopback | lan | same-az | cross-az: round trip a fault proxy adds on every hop (default loopback)',
      networkProfile,
    )
    .option(
      '--hop <hop=ms[/jitter]>',
      'override one hop of the profile (nginx-app, app-redis, app-postgres), repeatable: --hop app-redis=1',
      hopOverride,
    )
    .action(async (name, { hop, ...flags }) => {
      await run(name, hop ? { ...flags, hops: hop } : flags);
    });
}
