import { POSTGRES } from '../../../render/compose/compose-types.ts';
import { APP_SERVICE } from '../../../render/swarm/render-stack.ts';
import type { RedisEndpoints } from '../../../topology/app-env.ts';
import type { Topology } from '../../../topology/model.ts';
import { redisNodeName } from '../../../topology/services.ts';
import type { LabState, ServiceRecord, ServiceRole } from '../driver-types.ts';
import type { SwarmRunRecord } from './record.ts';

/** The full swarm name of a stack's service, e.g. cachelab-global_app. */
export const fullName = (stack: string, service: string): string => `${stack}_${service}`;

/** What a stack service does, from its name (decides the status view). */
export function swarmRoleOf(service: string): ServiceRole {
  if (service === 'nginx' || service === 'postgres') return service;
  if (service === APP_SERVICE || /^app-\d+$/.test(service)) return 'app';
  if (/^redis-\d+$/.test(service)) return 'redis';
  return 'observer';
}

function hostRedis(topology: Topology, ports: readonly number[]): RedisEndpoints {
  const nodes = ports.map((port) => `127.0.0.1:${port}`);
  if (topology.redis.kind === 'none') return {};
  return topology.redis.kind === 'single' ? { url: `redis://${nodes[0]}` } : { nodes };
}

function record(stack: string, name: string, service: string, ports: number[]): ServiceRecord {
  return {
    name,
    role: swarmRoleOf(name),
    // Tasks are found by stack and service, never signalled by pid.
    pid: 0,
    startTime: 0,
    ports,
    stopSignal: 'SIGTERM',
    logPath: `docker-service:${fullName(stack, service)}`,
  };
}

/** The long-running services of a run as state-file records (one per app task: app-1, app-2…). */
export function serviceRecords(topology: Topology, r: SwarmRunRecord): ServiceRecord[] {
  const apps = Array.from({ length: r.replicas[APP_SERVICE] ?? 0 }, (_, i) =>
    record(r.stack, `app-${i + 1}`, APP_SERVICE, []),
  );
  const redis = r.redisPorts.map((port, i) =>
    record(r.stack, redisNodeName(i), redisNodeName(i), [port]),
  );
  return [
    record(r.stack, 'nginx', 'nginx', [r.httpPort]),
    ...apps,
    ...redis,
    record(r.stack, 'postgres', 'postgres', [r.postgresPort]),
  ].filter((s) => s.role !== 'redis' || topology.redis.kind !== 'none');
}

/**
 * The state-file view of a swarm run, as seen from this node: ports are published on the node that
 * runs the task (host mode), so 127.0.0.1 is right on a single-node swarm.
 */
export function swarmState(topology: Topology, runDir: string, r: SwarmRunRecord): LabState {
  const { user, db } = POSTGRES;
  return {
    version: 1,
    driver: 'swarm',
    topology: topology.name,
    startedAt: new Date().toISOString(),
    runDir,
    httpUrl: `http://127.0.0.1:${r.httpPort}`,
    httpPort: r.httpPort,
    databaseUrl: `postgres://${user}@127.0.0.1:${r.postgresPort}/${db}`,
    redis: hostRedis(topology, r.redisPorts),
    services: serviceRecords(topology, r),
  };
}
