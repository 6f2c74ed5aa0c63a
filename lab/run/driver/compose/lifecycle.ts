import { LabError } from '../../../lab-errors.ts';
import { CONTAINER_PORTS } from '../../../render/compose/compose-types.ts';
import type { RunningLab } from '../driver-types.ts';
import type {
  CacheTier,
  FailoverMode,
  LifecycleOperations,
  LifecycleOutcome,
} from '../lifecycle-types.ts';
import { failoverPair, parseClusterNodes } from '../redis-roles.ts';
import {
  addComposeApp,
  appsInRotation,
  removeComposeApp,
  upstreamOf,
  waitHealthy,
} from './app-rotation.ts';
import { execCommand } from './compose-binary.ts';
import { type ProjectContainer, projectContainers, roleOf } from './containers.ts';
import { pauseContainer } from './pause-container.ts';
import { readRunRecord } from './record.ts';
import { stateFromContainers } from './status-logs-down.ts';
import { applyComposeToxic, removeComposeToxic } from './toxics.ts';

async function projectOf(lab: RunningLab): Promise<string> {
  return (await readRunRecord(lab.state.runDir)).project.name;
}

async function containerOf(lab: RunningLab, service: string): Promise<ProjectContainer> {
  const containers = await projectContainers(await projectOf(lab));
  const found = containers.find((c) => c.service === service);
  if (!found) {
    const names = containers.map((c) => c.service).join(', ');
    throw new LabError('ACTION_FAILED', `no service '${service}' in this lab; services: ${names}`);
  }
  return found;
}

const docker = (args: string[], timeoutMs = 60_000) => execCommand('docker', args, { timeoutMs });

/** Host ports are published anew when a container restarts: refresh the lab's recorded addresses. */
async function refreshState(lab: RunningLab): Promise<void> {
  const containers = await projectContainers(await projectOf(lab));
  const run = { runDir: lab.state.runDir, httpPort: lab.state.httpPort };
  const fresh = stateFromContainers(lab.topology, run, containers);
  Object.assign(lab.state, { ...fresh, startedAt: lab.state.startedAt });
}

async function restart(lab: RunningLab, service: string): Promise<LifecycleOutcome> {
  const c = await containerOf(lab, service);
  if (c.status === 'paused') await docker(['unpause', c.id]);
  if (c.running) await docker(['restart', '--time', '10', c.id], 60_000);
  else await docker(['start', c.id]);
  await waitHealthy(lab, service);
  await refreshState(lab);
  return { service, detail: `restarted container ${c.name}` };
}

async function redisCli(container: string, args: string[]): Promise<string> {
  return (
    await docker(['exec', container, 'redis-cli', '-p', String(CONTAINER_PORTS.redis), ...args])
  ).stdout;
}

async function flushCache(lab: RunningLab, tier: CacheTier): Promise<LifecycleOutcome> {
  const containers = (await projectContainers(await projectOf(lab))).filter((c) => c.running);
  const mode = lab.topology.cache.mode;
  const redis = containers.filter((c) => roleOf(c.service) === 'redis');
  const apps = containers.filter((c) => roleOf(c.service) === 'app');
  const wantsL1 = tier !== 'l2' && ['local', 'local-disk', 'two-tier'].includes(mode);
  const wantsL2 = tier !== 'l1' && redis.length > 0;
  if (!wantsL1 && !wantsL2) {
    throw new LabError('ACTION_UNSUPPORTED', `${lab.topology.name} has no ${tier} cache tier`);
  }
  const flushed: string[] = [];
  for (const c of wantsL2 ? redis : []) {
    // A replica refuses FLUSHALL and empties itself by replicating its master.
    if (/role:slave/.test(await redisCli(c.id, ['INFO', 'replication']))) continue;
    await redisCli(c.id, ['FLUSHALL']);
    flushed.push(c.service);
  }
  for (const c of wantsL1 ? apps : []) await restart(lab, c.service);
  const l1 = wantsL1 ? `; rolling restart of ${apps.map((c) => c.service).join(', ')} (L1)` : '';
  return { service: tier, detail: `FLUSHALL on ${flushed.join(', ') || 'none'}${l1}` };
}

async function setNodeTimeout(containers: ProjectContainer[], ms: number): Promise<string> {
  let previous = '';
  for (const c of containers) {
    const got = await redisCli(c.id, ['CONFIG', 'GET', 'cluster-node-timeout']);
    previous ||= got.trim().split('\n')[1] ?? '';
    await redisCli(c.id, ['CONFIG', 'SET', 'cluster-node-timeout', String(ms)]);
  }
  return previous;
}

async function failover(
  lab: RunningLab,
  mode: FailoverMode,
  options: { nodeTimeoutMs?: number } = {},
): Promise<LifecycleOutcome> {
  if (lab.topology.redis.kind !== 'cluster') {
    throw new LabError('ACTION_UNSUPPORTED', `${lab.topology.name} has no Redis Cluster`);
  }
  const redis = (await projectContainers(await projectOf(lab))).filter(
    (c) => c.running && roleOf(c.service) === 'redis',
  );
  const previous =
    options.nodeTimeoutMs === undefined ? '' : await setNodeTimeout(redis, options.nodeTimeoutMs);
  const first = redis[0];
  if (!first) throw new LabError('ACTION_FAILED', 'no Redis Cluster node is running');
  const pair = failoverPair(parseClusterNodes(await redisCli(first.id, ['CLUSTER', 'NODES'])));
  const name = (n: { hostname: string | undefined; address: string }) =>
    n.hostname ?? n.address.split(':')[0] ?? n.address;
  const master = name(pair.master);
  const replica = name(pair.replica);
  const node = (service: string): ProjectContainer => {
    const found = redis.find((c) => c.service === service);
    if (found) return found;
    throw new LabError('ACTION_FAILED', `the cluster names ${service}, not a running Redis node`);
  };
  if (mode === 'kill') await docker(['kill', node(master).id]);
  else await redisCli(node(replica).id, ['CLUSTER', 'FAILOVER']);
  const how = mode === 'kill' ? 'docker kill' : `CLUSTER FAILOVER on ${replica}`;
  return {
    service: master,
    detail: `${how}: master ${master} of slot 0, replica ${replica}`,
    related: { replica, ...(previous ? { previousNodeTimeoutMs: previous } : {}) },
  };
}

/** The lifecycle operations of the compose driver: docker commands on the project's containers. */
export const composeLifecycle: LifecycleOperations = {
  services: async (lab) => {
    const rotation = await appsInRotation(lab);
    const inRotation = (c: ProjectContainer) => rotation.includes(c.service);
    return (await projectContainers(await projectOf(lab)))
      .filter((c) => roleOf(c.service) !== 'observer')
      .map((c) => ({
        name: c.service,
        role: roleOf(c.service) as 'nginx' | 'app' | 'redis' | 'postgres',
        up: c.running && c.status !== 'paused',
        ...(roleOf(c.service) !== 'app'
          ? {}
          : inRotation(c)
            ? { inRotation: true, upstream: upstreamOf(lab.topology, c.service) }
            : { inRotation: false }),
      }));
  },
  kill: async (lab, service) => {
    const c = await containerOf(lab, service);
    await docker(['kill', c.id]);
    return { service, detail: `docker kill ${c.name}` };
  },
  stop: async (lab, service) => {
    const c = await containerOf(lab, service);
    await docker(['stop', '--time', '10', c.id], 60_000);
    return { service, detail: `docker stop ${c.name}` };
  },
  pause: async (lab, service) => {
    const c = await containerOf(lab, service);
    await pauseContainer(c.id);
    return { service, detail: `docker pause ${c.name}` };
  },
  resume: async (lab, service) => {
    const c = await containerOf(lab, service);
    await docker(['unpause', c.id]);
    return { service, detail: `docker unpause ${c.name}` };
  },
  restart,
  addAppServer: async (lab) => {
    const outcome = await addComposeApp(lab);
    await refreshState(lab);
    return outcome;
  },
  removeAppServer: removeComposeApp,
  flushCache,
  applyToxic: applyComposeToxic,
  removeToxic: removeComposeToxic,
  failoverRedisMaster: failover,
};
