import type { Command } from '@commander-js/extra-typings';
import { loadLabConfig } from '../../lab-config.ts';
import { attach } from '../../run/driver/attach.ts';
import type { LabStatus } from '../../run/driver/driver-types.ts';
import { formatTable } from '../../text/table.ts';

/** The `cachelab status` text for a probed topology. */
export function statusText(status: LabStatus): string {
  const { state } = status;
  const head = [
    `topology: ${state.topology} (driver ${state.driver}, up since ${state.startedAt})`,
    `url:      ${state.httpUrl} — ${status.serving ? 'serving' : 'NOT serving'}`,
    `run dir:  ${state.runDir}`,
    '',
  ].join('\n');
  const rows = status.services.map((s) => [
    s.name,
    s.role,
    String(s.pid),
    s.alive ? 'running' : 'DEAD',
    s.ports.map((p) => (s.listening.includes(p) ? String(p) : `${p}(closed)`)).join(','),
  ]);
  return `${head}\n${formatTable([['SERVICE', 'ROLE', 'PID', 'STATE', 'PORTS'], ...rows])}`;
}

/** True when every service runs and listens and nginx serves. */
export function isHealthy(status: LabStatus): boolean {
  const allUp = status.services.every((s) => s.alive && s.listening.length === s.ports.length);
  return status.serving && allUp;
}

/** Registers `cachelab status` (exit 0 healthy, 1 degraded, 3 nothing running). */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show the running topology: processes, ports, and whether nginx serves')
    .action(async () => {
      const lab = await attach(loadLabConfig().stateFile);
      if (!lab) {
        process.stdout.write('no topology is running\n');
        process.exitCode = 3;
        return;
      }
      const status = await lab.status();
      process.stdout.write(statusText(status));
      if (!isHealthy(status)) process.exitCode = 1;
    });
}
