import type { Topology } from '../../topology/model.ts';
import { NETWORK_CONNECT_TIMEOUTS } from '../swarm/stack-services.ts';
import { secretEnv } from './k8s-common.ts';
import { K8S_DATABASE_URL } from './postgres-objects.ts';

/**
 * A process's settings from the model as container env: the secrets first, since DATABASE_URL refers
 * to $(POSTGRES_PASSWORD), which must be defined before it; then the rest and the connect timeouts.
 */
export function modelEnv(topology: Topology, values: Record<string, string>) {
  const { DATABASE_URL, ...rest } = values;
  return [
    secretEnv('POSTGRES_PASSWORD'),
    { name: 'DATABASE_URL', value: DATABASE_URL ?? K8S_DATABASE_URL },
    ...(topology.redis.kind === 'none' ? [] : [secretEnv('REDIS_PASSWORD')]),
    ...Object.entries({ ...rest, ...NETWORK_CONNECT_TIMEOUTS }).map(([name, value]) => ({
      name,
      value,
    })),
  ];
}
