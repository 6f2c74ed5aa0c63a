import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { BenchUsageError, runBenchCommand } from '../bench/run-bench.ts';
import { runCompareCommand, runDemoCommand } from '../compare/compare-command.ts';
import { runDiffCommand } from '../compare/diff-command.ts';
import { LabError } from '../errors.ts';
import { runSimulateCommand } from '../simulate/simulate-command.ts';
import { registerDownCommand } from './commands/down.ts';
import { registerListCommand } from './commands/list.ts';
import { registerLoadCommand } from './commands/load.ts';
import { registerLogsCommand } from './commands/logs.ts';
import { registerPassthroughCommand } from './commands/passthrough.ts';
import { registerStatusCommand } from './commands/status.ts';
import { registerUpCommand } from './commands/up.ts';
import { describeError, exitCodeOf } from './output.ts';

/** The `cachelab` program with every command registered; commander errors are thrown, not exited on. */
export function buildProgram(): Command {
  const program = new Command('cachelab')
    .description('a lab that measures where a cache should live')
    .exitOverride()
    .showHelpAfterError('(run `cachelab --help` for usage)');
  registerListCommand(program);
  registerUpCommand(program);
  registerStatusCommand(program);
  registerLogsCommand(program);
  registerDownCommand(program);
  registerLoadCommand(program);
  registerPassthroughCommand(program, {
    name: 'compare',
    description: 'bring each topology up, load it, scrape it, and write results.json + report.html',
    run: (args) => runCompareCommand(args),
  });
  registerPassthroughCommand(program, {
    name: 'demo',
    description: 'quick comparison of the whole catalog (read-heavy); prints the report path',
    run: (args) => runDemoCommand(args),
  });
  registerPassthroughCommand(program, {
    name: 'diff',
    description: 'what changed between two comparison runs: cachelab diff <run-a> <run-b>',
    run: (args) => runDiffCommand(args),
  });
  registerPassthroughCommand(program, {
    name: 'bench',
    description:
      'latency ladder, throughput ceilings and bentocache as a peer; prints and saves figures',
    run: (args) =>
      runBenchCommand(args).catch((error: unknown) => {
        if (error instanceof BenchUsageError) throw new LabError('USAGE', error.message);
        throw error;
      }),
  });
  registerPassthroughCommand(program, {
    name: 'simulate',
    description: 'simulate 1..64 servers: hit ratio per tier, DB reads, keys moved on resize',
    run: (args) => runSimulateCommand(args),
  });
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 2 usage, 3 state/ports, 4 up failed, 130 interrupted. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its message already; help and --version are not errors
      return error.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(describeError(error));
    return exitCodeOf(error);
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === fileURLToPath(import.meta.url);
}

if (isEntryPoint()) process.exitCode = await main();
