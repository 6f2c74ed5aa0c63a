import { LabError } from '../../../lab-errors.ts';
import { APP_SERVICE } from '../../../render/swarm/render-stack.ts';
import type { RunningLab } from '../driver-types.ts';
import type {
  LifecycleOperations,
  LifecycleOutcome,
  LifecycleService,
} from '../lifecycle-types.ts';
import { readSwarmRecord } from './record.ts';
import { scaleSwarm } from './scale.ts';
import { swarmStatus } from './status-logs.ts';

const unsupported = (what: string) => async (): Promise<never> => {
  throw new LabError(
    'ACTION_UNSUPPORTED',
    `${what} is not supported on swarm (tasks are rescheduled by swarm; use the native or compose driver)`,
  );
};

async function services(lab: RunningLab): Promise<LifecycleService[]> {
  const status = await swarmStatus(lab.state);
  return status.services.flatMap((s) =>
    s.role === 'observer' || s.role === 'network'
      ? []
      : [
          {
            name: s.name,
            role: s.role,
            up: s.alive,
            ...(s.role === 'app' ? { inRotation: s.alive } : {}),
          },
        ],
  );
}

async function rescale(lab: RunningLab, delta: number): Promise<LifecycleOutcome> {
  const record = await readSwarmRecord(lab.state.runDir);
  const current = record.replicas[APP_SERVICE] ?? lab.topology.appServers;
  const next = current + delta;
  const fresh = await scaleSwarm(lab.topology, lab.state, APP_SERVICE, next);
  Object.assign(lab.state, fresh);
  const service = `app-${Math.max(current, next)}`;
  return { service, detail: `docker service scale ${record.stack}_${APP_SERVICE}=${next}` };
}

async function removeAppServer(lab: RunningLab, service?: string): Promise<LifecycleOutcome> {
  const record = await readSwarmRecord(lab.state.runDir);
  const last = `app-${record.replicas[APP_SERVICE] ?? 0}`;
  // Swarm removes the highest slots when scaling down: only the last server can be named.
  if (service !== undefined && service !== last) {
    throw new LabError(
      'ACTION_UNSUPPORTED',
      `swarm removes the last app server (${last}), not ${service}`,
    );
  }
  return rescale(lab, -1);
}

/** The lifecycle operations swarm can do: list the services, add and remove app servers (scale). */
export const swarmLifecycle: LifecycleOperations = {
  services,
  kill: unsupported('kill'),
  stop: unsupported('stop'),
  pause: unsupported('pause'),
  resume: unsupported('resume'),
  restart: unsupported('restart'),
  addAppServer: (lab) => rescale(lab, 1),
  removeAppServer,
  flushCache: unsupported('flushing a cache tier'),
  applyToxic: unsupported('a fault proxy'),
  removeToxic: unsupported('a fault proxy'),
  failoverRedisMaster: unsupported('a Redis failover'),
};
