import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, type OutputConfiguration } from '@commander-js/extra-typings';
import { registerBenchCommand } from './commands/register-bench.ts';
import { registerBenchAggregateCommand } from './commands/register-bench-aggregate.ts';
import { registerBenchConsistencyCommand } from './commands/register-bench-consistency.ts';
import { registerCapacityCommand } from './commands/register-capacity.ts';
import { registerCompareCommand } from './commands/register-compare.ts';
import { registerDemoCommand } from './commands/register-demo.ts';
import { registerDiffCommand } from './commands/register-diff.ts';
import { registerDownCommand } from './commands/register-down.ts';
import { registerListCommand } from './commands/register-list.ts';
import { registerLoadCommand } from './commands/register-load.ts';
import { registerLogsCommand } from './commands/register-logs.ts';
import { registerNetCommand } from './commands/register-net.ts';
import { registerPlanCommand } from './commands/register-plan.ts';
import { registerRenderCommand } from './commands/register-render.ts';
import { registerScaleCommand } from './commands/register-scale.ts';
import { registerScenarioCommand } from './commands/register-scenario.ts';
import { registerSimulateCommand } from './commands/register-simulate.ts';
import { registerStatusCommand } from './commands/register-status.ts';
import { registerUpCommand } from './commands/register-up.ts';
import { describeError, exitCodeOf } from './output.ts';

/** Every command, in the order `cachelab --help` lists them; one file each under commands/. */
const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerListCommand,
  registerUpCommand,
  registerStatusCommand,
  registerLogsCommand,
  registerDownCommand,
  registerScaleCommand,
  registerLoadCommand,
  registerCompareCommand,
  registerDemoCommand,
  registerDiffCommand,
  registerCapacityCommand,
  registerPlanCommand,
  registerBenchCommand,
  registerBenchAggregateCommand,
  registerBenchConsistencyCommand,
  registerSimulateCommand,
  registerScenarioCommand,
  registerNetCommand,
  registerRenderCommand,
];

/**
 * The `cachelab` program with every command registered; commander errors are thrown, not exited on.
 * `output` redirects help and error text (tests capture it).
 */
export function buildProgram(output?: OutputConfiguration): Command {
  const program = new Command('cachelab')
    .description('a lab that measures where a cache should live')
    .exitOverride()
    .showHelpAfterError('(run `cachelab <command> --help` for usage)');
  if (output) program.configureOutput(output);
  for (const register of COMMANDS) register(program);
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
