import { LabError } from '../../../lab-errors.ts';
import { APP_SERVICE } from '../../../render/swarm/render-stack.ts';
import type { Topology } from '../../../topology/model.ts';
import type { LabState } from '../driver-types.ts';
import { readSwarmRecord, writeSwarmRecord } from './record.ts';
import { fullName, swarmState } from './stack-state.ts';
import { docker } from './swarm-cli.ts';
import { waitForServices } from './wait-tasks.ts';

/** Services `cachelab scale` may change, and the bounds of their replicas. */
export const SCALABLE = { [APP_SERVICE]: { min: 1, max: 32 } } as const;

/**
 * Changes the replicas of a running stack's service live (`docker service scale`) and waits until
 * exactly that many tasks are healthy. nginx re-resolves the service name every second, so new tasks
 * get traffic once healthy, and removed ones leave the name before they are stopped (and then drain).
 * Returns the updated state.
 */
export async function scaleSwarm(
  topology: Topology,
  state: LabState,
  service: string,
  replicas: number,
  timeoutMs = 180_000,
): Promise<LabState> {
  const bounds = SCALABLE[service as keyof typeof SCALABLE];
  if (!bounds) {
    throw new LabError(
      'USAGE',
      `only ${Object.keys(SCALABLE).join(', ')} can be scaled, not '${service}'`,
    );
  }
  if (!Number.isInteger(replicas) || replicas < bounds.min || replicas > bounds.max) {
    throw new LabError(
      'USAGE',
      `${service} replicas must be an integer from ${bounds.min} to ${bounds.max}`,
    );
  }
  const record = await readSwarmRecord(state.runDir);
  const name = fullName(record.stack, service);
  await docker(['service', 'scale', '--detach', `${name}=${replicas}`]);
  await waitForServices([{ name, kind: 'service', replicas }], { timeoutMs });
  const updated = { ...record, replicas: { ...record.replicas, [service]: replicas } };
  await writeSwarmRecord(state.runDir, updated);
  return { ...swarmState(topology, state.runDir, updated), startedAt: state.startedAt };
}
