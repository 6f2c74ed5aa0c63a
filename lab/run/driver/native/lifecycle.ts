import { LabError } from '../../../lab-errors.ts';
import { redisCliBin } from '../../processes/binaries.ts';
import { redisCommand } from '../../processes/resp.ts';
import { runCommand } from '../../processes/run-command.ts';
import type { RunningLab } from '../driver-types.ts';
import type {
  CacheTier,
  FailoverMode,
  LifecycleOperations,
  LifecycleOutcome,
  LifecycleService,
} from '../lifecycle-types.ts';
import { failoverPair, parseClusterNodes } from '../redis-roles.ts';
import { addNativeApp, removeNativeApp } from './app-rotation.ts';
import { contextOf, updateRecord } from './lab-context.ts';
import { extrasOf, nativeService, nativeServices, upstreamNameOf } from './service-handles.ts';
import { applyNativeToxic, removeNativeToxic } from './toxics.ts';
import type { UpContext } from './up.ts';

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function restart(lab: RunningLab, name: string): Promise<LifecycleOutcome> {
  const ctx = contextOf(lab);
  const service = nativeService(ctx, name);
  const paused = extrasOf(ctx).paused;
  if (paused.delete(name)) signalGroup(service.pid(), 'SIGCONT');
  if (service.running()) await service.stop();
  const record = await service.start();
  updateRecord(lab, record);
  return { service: name, detail: `restarted ${name} (pid ${record.pid})` };
}

async function flushL2(ctx: UpContext): Promise<string[]> {
  const flushed: string[] = [];
  for (const [i, node] of (ctx.redis?.nodes ?? []).entries()) {
    if (!node.running) continue;
    // A replica refuses FLUSHALL (READONLY) and empties itself by replicating its master's.
    const info = await redisCommand(node.port, ['INFO', 'replication']);
    if (/role:slave/.test(info)) continue;
    await redisCommand(node.port, ['FLUSHALL']);
    flushed.push(`redis-${i + 1}`);
  }
  return flushed;
}

async function flushL1(lab: RunningLab, ctx: UpContext): Promise<string[]> {
  const { outOfRotation } = extrasOf(ctx);
  const names = ctx.apps.map((a) => a.name).filter((n) => !outOfRotation.has(n));
  // One at a time: nginx retries an idempotent request on another server while one restarts.
  for (const name of names) await restart(lab, name);
  return names;
}

const HAS_L1 = new Set(['local', 'local-disk', 'two-tier']);

async function flushCache(lab: RunningLab, tier: CacheTier): Promise<LifecycleOutcome> {
  const ctx = contextOf(lab);
  const mode = ctx.topology.cache.mode;
  const wantsL1 = tier !== 'l2' && HAS_L1.has(mode);
  const wantsL2 = tier !== 'l1' && ctx.redis !== undefined;
  if (!wantsL1 && !wantsL2) {
    throw new LabError('ACTION_UNSUPPORTED', `${ctx.topology.name} has no ${tier} cache tier`);
  }
  const l2 = wantsL2 ? await flushL2(ctx) : [];
  const l1 = wantsL1 ? await flushL1(lab, ctx) : [];
  const parts = [
    ...(l2.length ? [`FLUSHALL on ${l2.join(', ')}`] : []),
    ...(l1.length ? [`rolling restart of ${l1.join(', ')} (L1)`] : []),
  ];
  return { service: tier, detail: parts.join('; ') };
}

async function clusterNodesText(ctx: UpContext): Promise<string> {
  for (const node of ctx.redis?.nodes ?? []) {
    if (!node.running) continue;
    const text = await redisCommand(node.port, ['CLUSTER', 'NODES']).catch(() => undefined);
    if (text) return text;
  }
  throw new LabError('ACTION_FAILED', 'no Redis Cluster node answers CLUSTER NODES');
}

/** Sets cluster-node-timeout on every running node; returns the value the first one had. */
async function setNodeTimeout(ctx: UpContext, ms: number): Promise<string> {
  let previous = '';
  for (const node of (ctx.redis?.nodes ?? []).filter((n) => n.running)) {
    const args = ['-p', String(node.port), 'CONFIG'];
    const got = await runCommand(redisCliBin(), [...args, 'GET', 'cluster-node-timeout']);
    previous ||= got.stdout.trim().split('\n')[1] ?? '';
    await redisCommand(node.port, ['CONFIG', 'SET', 'cluster-node-timeout', String(ms)]);
  }
  return previous;
}

async function failover(
  lab: RunningLab,
  mode: FailoverMode,
  options: { nodeTimeoutMs?: number } = {},
): Promise<LifecycleOutcome> {
  const ctx = contextOf(lab);
  const nodes = ctx.redis?.nodes ?? [];
  if (!ctx.redis?.cluster) {
    throw new LabError('ACTION_UNSUPPORTED', `${ctx.topology.name} has no Redis Cluster`);
  }
  const previous =
    options.nodeTimeoutMs === undefined ? '' : await setNodeTimeout(ctx, options.nodeTimeoutMs);
  const { master, replica } = failoverPair(parseClusterNodes(await clusterNodesText(ctx)));
  // Under a network profile the nodes announce their proxies' addresses, not their own.
  const announced = (i: number) => `127.0.0.1:${ctx.network?.ports.get(`redis-${i + 1}`)}`;
  const indexOf = (address: string) => {
    const i = nodes.findIndex((n, k) => n.address === address || announced(k) === address);
    if (i >= 0) return i;
    throw new LabError('ACTION_FAILED', `the cluster names ${address}, no Redis node of this lab`);
  };
  const m = indexOf(master.address);
  const r = indexOf(replica.address);
  const masterName = `redis-${m + 1}`;
  const replicaName = `redis-${r + 1}`;
  if (mode === 'kill') {
    await nodes[m]?.kill();
  } else {
    await redisCommand(nodes[r]?.port ?? 0, ['CLUSTER', 'FAILOVER']);
  }
  const how = mode === 'kill' ? 'SIGKILL' : `CLUSTER FAILOVER on ${replicaName}`;
  return {
    service: masterName,
    detail: `${how}: master ${masterName} of slot 0, replica ${replicaName}`,
    related: { replica: replicaName, ...(previous ? { previousNodeTimeoutMs: previous } : {}) },
  };
}

function appRotation(ctx: UpContext, name: string, inRotation: boolean) {
  const upstream = inRotation ? upstreamNameOf(ctx, name) : undefined;
  return { inRotation, ...(upstream ? { upstream } : {}) };
}

/** The lifecycle operations of the native driver (processes of this process, by signal). */
export const nativeLifecycle: LifecycleOperations = {
  services: async (lab) => {
    const ctx = contextOf(lab);
    const { paused, outOfRotation } = extrasOf(ctx);
    return nativeServices(ctx).map(
      (s): LifecycleService => ({
        name: s.name,
        role: s.role,
        up: s.running() && !paused.has(s.name),
        ...(s.role === 'app' ? appRotation(ctx, s.name, !outOfRotation.has(s.name)) : {}),
      }),
    );
  },
  kill: async (lab, name) => {
    const service = nativeService(contextOf(lab), name);
    const pid = service.pid();
    await service.kill();
    return { service: name, detail: `SIGKILL ${name} (pid ${pid})` };
  },
  stop: async (lab, name) => {
    const service = nativeService(contextOf(lab), name);
    await service.stop();
    return { service: name, detail: `stopped ${name} gracefully` };
  },
  pause: async (lab, name) => {
    const ctx = contextOf(lab);
    const service = nativeService(ctx, name);
    signalGroup(service.pid(), 'SIGSTOP');
    extrasOf(ctx).paused.add(name);
    return { service: name, detail: `SIGSTOP ${name} (process group ${service.pid()})` };
  },
  resume: async (lab, name) => {
    const ctx = contextOf(lab);
    const service = nativeService(ctx, name);
    signalGroup(service.pid(), 'SIGCONT');
    extrasOf(ctx).paused.delete(name);
    return { service: name, detail: `SIGCONT ${name}` };
  },
  restart,
  addAppServer: (lab) => addNativeApp(lab),
  removeAppServer: (lab, name) => removeNativeApp(lab, name),
  flushCache,
  applyToxic: applyNativeToxic,
  removeToxic: removeNativeToxic,
  failoverRedisMaster: failover,
};
