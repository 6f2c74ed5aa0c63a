import type { Command } from '@commander-js/extra-typings';
import { CONSISTENCY_MODES } from '../../../services/app/src/config.ts';
import { runScenarioCommand, scenarioTable } from '../../scenario/scenario-command.ts';
import { NETWORK_PROFILE_NAMES } from '../../topology/network.ts';
import { driverName, oneOf, topologyList } from '../option-parsers.ts';
import { remoteFlagsOf, withTargetOptions } from '../target-options.ts';

/** Registers `cachelab scenario list` and `cachelab scenario run <scenario|all> [options]`. */
export function registerScenarioCommand(program: Command): void {
  const scenario = program
    .command('scenario')
    .description('what happens when a piece fails, the load shifts or the fleet changes');
  scenario
    .command('list')
    .description('list the scenarios, the question each answers, and their timelines')
    .action(() => {
      process.stdout.write(scenarioTable());
    });
  withTargetOptions(scenario.command('run'))
    .description('run a scenario (or `all`) and write results.json, report.md and report.html')
    .argument('<scenario>', 'scenario name (see `cachelab scenario list`), or all')
    .option(
      '--topology <list>',
      "topologies, comma-separated (default: the scenario's)",
      topologyList,
    )
    .option(
      '--network <profile>',
      `network profile: ${NETWORK_PROFILE_NAMES.join(' | ')} (default: the scenario's, else loopback)`,
      oneOf(NETWORK_PROFILE_NAMES),
    )
    .option(
      '--consistency <mode>',
      `consistency of the app cache: ${CONSISTENCY_MODES.join(' | ')} (default: the topology's)`,
      oneOf(CONSISTENCY_MODES),
    )
    .option('--driver <name>', 'native or compose (default native)', driverName)
    .option('--observe', 'start Prometheus and write every action as an annotation series')
    .option('--results-dir <dir>', 'parent of the run folder (default results/scenarios)')
    .action(async (name, options) => {
      const remote = remoteFlagsOf(options);
      await runScenarioCommand(name, { ...options, ...(remote ? { remote } : {}) });
    });
}
