import type { Command } from '@commander-js/extra-typings';
import { parseScaleSpec, scaleCommand } from '../../run/scale-command.ts';

/** Registers `cachelab scale <service>=<n>` (swarm: the app servers, live). */
export function registerScaleCommand(program: Command): void {
  program
    .command('scale')
    .description('change the number of app servers of the running lab live (swarm): scale app=5')
    .argument('<service=n>', 'the service and its replicas, e.g. app=5')
    .action(async (spec) => {
      const { service, replicas } = parseScaleSpec(spec);
      const state = await scaleCommand({ service, replicas });
      const apps = state.services.filter((s) => s.role === 'app').map((s) => s.name);
      process.stderr.write(
        `cachelab: ${service} scaled to ${replicas} (${apps.join(', ')}), serving at ${state.httpUrl}\n`,
      );
    });
}
