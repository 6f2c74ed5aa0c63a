import { LabError } from '../../../lab-errors.ts';
import { APP_SERVICE } from '../../../render/swarm/render-stack.ts';
import { canConnect, httpStatus } from '../../processes/net-checks.ts';
import type { LabState, LabStatus, ServiceStatus } from '../driver-types.ts';
import { readSwarmRecord } from './record.ts';
import { fullName } from './stack-state.ts';
import { docker, serviceTasks } from './swarm-cli.ts';

/** The swarm service behind a recorded service name (app-3 is a task of the app service). */
const serviceOf = (name: string): string => (/^app-\d+$/.test(name) ? APP_SERVICE : name);

async function statusOf(stack: string, s: LabState['services'][number]): Promise<ServiceStatus> {
  const tasks = await serviceTasks(fullName(stack, serviceOf(s.name)));
  const slot = /^app-(\d+)$/.exec(s.name)?.[1];
  const mine = tasks.filter((t) => t.desired === 'running' && (!slot || t.slot === Number(slot)));
  const open = await Promise.all(s.ports.map((port) => canConnect(port, '127.0.0.1', 500)));
  return {
    name: s.name,
    role: s.role,
    pid: 0,
    alive: mine.some((t) => t.state === 'running'),
    listening: s.ports.filter((_, i) => open[i]),
    ports: s.ports,
  };
}

/** Each recorded service's running task, and GET /healthz through nginx. */
export async function swarmStatus(state: LabState): Promise<LabStatus> {
  const { stack } = await readSwarmRecord(state.runDir);
  const services = await Promise.all(state.services.map((s) => statusOf(stack, s)));
  const ok = (await httpStatus(`${state.httpUrl}/healthz`, 2_000).catch(() => 0)) === 200;
  return { state, services, serving: ok };
}

/** `docker service logs` of one service (app-N: the app service) or of all, the last `lines` each. */
export async function swarmLogs(state: LabState, service?: string, lines = 40): Promise<string> {
  const { stack } = await readSwarmRecord(state.runDir);
  const names = [...new Set(state.services.map((s) => serviceOf(s.name)))];
  const wanted = service === undefined ? names : [serviceOf(service)];
  if (
    service !== undefined &&
    !state.services.some((s) => s.name === service || s.name === wanted[0])
  ) {
    throw new LabError(
      'USAGE',
      `no service named '${service}'; services: ${state.services.map((s) => s.name).join(', ')}`,
    );
  }
  const parts = await Promise.all(
    wanted.map(async (name) => {
      const text = await docker([
        'service',
        'logs',
        '--no-trunc',
        '--tail',
        String(lines),
        fullName(stack, name),
      ]);
      return `== ${name} ==\n${text}`;
    }),
  );
  return parts.join('\n');
}
